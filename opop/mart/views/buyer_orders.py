"""The buyer's orders: list, detail with timeline, "I received it", cancel, invoice PDF."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opop.mart.invoice import invoice_pdf
from opop.mart.models import Order
from opop.mart.selectors_buyer import buyer_order_or_404, is_seller_of, orders_of_buyer
from opop.mart.services.orders import allowed_moves, order_transition
from opop.mart.services.reviews import REVIEWABLE

S = Order.Status


@login_required
def my_orders(request):
    orders = orders_of_buyer(request.user)[:100]
    return render(request, "mart/my_orders.html", {"orders": orders})


def _lines_with_review_state(order) -> list:
    """The order's lines, each marked whether its buyer may review it now (one query)."""
    lines = list(order.lines.select_related("review"))
    reviewable = order.status in REVIEWABLE
    for line in lines:
        line.may_review = reviewable and line.product_id is not None and not hasattr(line, "review")
    return lines


@login_required
def my_order(request, number: str):
    order = buyer_order_or_404(request.user, number)
    moves = allowed_moves(request.user, order)
    context = {
        "order": order,
        "checkout": order.checkout,
        "lines": _lines_with_review_state(order),
        "events": order.events.select_related("actor"),
        "payment": getattr(order.checkout, "payment", None) if _has_payment(order) else None,
        "may_receive": S.DELIVERED in moves or S.COMPLETED in moves,
        "may_cancel": S.CANCELLED in moves,
        "shipment": _shipment(order),
    }
    return render(request, "mart/my_order.html", context)


def _has_payment(order) -> bool:
    from opop.mart.models import Payment

    return Payment.objects.filter(checkout_id=order.checkout_id).exists()


def _shipment(order):
    from opop.logistics.models import Shipment

    return Shipment.objects.filter(order=order).prefetch_related("events").first()


@login_required
@require_POST
def my_order_received(request, number: str):
    order = buyer_order_or_404(request.user, number)
    try:
        for step in (S.DELIVERED, S.COMPLETED):
            if step in allowed_moves(request.user, order):
                order = order_transition(
                    actor=request.user,
                    order=order,
                    to_status=step,
                    note=_("Received by the buyer."),
                )
        messages.success(request, _("Thank you! The order is completed."))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    return redirect("mart:my_order", number=order.number)


@login_required
@require_POST
def my_order_cancel(request, number: str):
    order = buyer_order_or_404(request.user, number)
    try:
        order_transition(
            actor=request.user,
            order=order,
            to_status=S.CANCELLED,
            note=request.POST.get("note", "")[:255] or _("Cancelled by the buyer."),
        )
        messages.success(request, _("The order is cancelled."))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    return redirect("mart:my_order", number=number)


@login_required
def invoice(request, number: str):
    """The invoice of one order, for its buyer and its seller's users only (others: 404)."""
    order = get_object_or_404(Order.objects.select_related("seller", "buyer"), number=number)
    if order.buyer_id != request.user.pk and not is_seller_of(request.user, order):
        raise Http404
    if order.status in {S.AWAITING_PAYMENT, S.CANCELLED} and not order.paid_at:
        raise Http404  # nothing was sold: no invoice
    response = HttpResponse(invoice_pdf(order), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="invoice-{order.number}.pdf"'
    return response
