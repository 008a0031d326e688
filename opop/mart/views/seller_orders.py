"""The seller's orders: the list to fulfil and one order with its fulfilment steps."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from opop.accounts.decorators import require_access
from opop.mart import selectors_seller as selectors
from opop.mart.forms_seller import OrderStatusFilter, OrderStepForm, ReplyForm
from opop.mart.models import Review
from opop.mart.services.buyer_contact import (
    CONTACT_DAYS_AFTER_CLOSE,
    buyer_contact_viewed,
    seller_sees_contact,
)
from opop.mart.services.seller import actions_for, seller_order_step

PAGE_SIZE = 25
STEP_LABELS = {
    "pack": gettext_lazy("Mark packed"),
    "ship": gettext_lazy("Ship via Agen Pos"),
    "handover": gettext_lazy("Handed over at pickup"),
    "complete": gettext_lazy("Mark completed"),
    "cancel": gettext_lazy("Cancel order"),
}


@require_access("sells")
def seller_orders(request):
    filters = OrderStatusFilter(request.GET)
    rows = selectors.orders_of_seller(request.access).select_related("buyer", "seller")
    if filters.is_valid() and filters.cleaned_data["status"]:
        rows = rows.filter(status=filters.cleaned_data["status"])
    page = Paginator(rows.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "mart/seller_orders.html", {"filters": filters, "page": page})


def _order(request, number: str):
    return get_object_or_404(
        selectors.orders_of_seller(request.access).select_related(
            "buyer", "seller", "checkout__regency", "checkout__district"
        ),
        number=number,
    )


@require_access("sells")
def seller_order(request, number: str):
    order = _order(request, number)
    lines = list(order.lines.all())
    reviews = {
        review.line_id: review
        for review in Review.objects.filter(line__order=order).select_related("buyer")
    }
    for line in lines:
        line.the_review = reviews.get(line.pk)
    try:
        shipment = order.shipment
    except Exception:  # no shipment yet (or logistics not installed)
        shipment = None
    contact_visible = seller_sees_contact(order)
    if contact_visible:
        buyer_contact_viewed(actor=request.user, orders=[order], via="page")
    context = {
        "order": order,
        "checkout": order.checkout,
        "contact_visible": contact_visible,
        "contact_days": CONTACT_DAYS_AFTER_CLOSE,
        "lines": lines,
        "events": order.events.select_related("actor"),
        "shipment": shipment,
        "steps": [(name, STEP_LABELS[name]) for name in actions_for(order)],
        "reply_form": ReplyForm(),
    }
    return render(request, "mart/seller_order.html", context)


@require_POST
@require_access("sells")
def seller_order_action(request, number: str):
    order = _order(request, number)
    form = OrderStepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This step is not possible for this order now."))
        return redirect("mart:seller_order", number=number)
    action = form.cleaned_data["action"]
    try:
        seller_order_step(
            actor=request.user, order=order, action=action, note=form.cleaned_data["note"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except ImportError:
        messages.error(request, _("This step is not available yet. Try again later."))
    else:
        messages.success(request, _("Order %(number)s updated.") % {"number": order.number})
    return redirect("mart:seller_order", number=number)
