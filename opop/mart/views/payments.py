"""`/mart/pay/`: the buyer's payment page (with the simulator's "pay now" button), the transfer
proof, the seller's confirmations (transfer received, cash at pickup) and the provider callback."""

from __future__ import annotations

import json

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from opop.accounts.ratelimit import client_ip
from opop.mart.gateways.base import active_gateway_name, simulator_active
from opop.mart.gateways.simulator import simulator_pay
from opop.mart.models import Payment
from opop.mart.services import payments as services

PROOF_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}


def _buyers_payment(request, reference: str) -> Payment:
    return get_object_or_404(
        Payment.objects.select_related("checkout"),
        checkout__reference=reference,
        checkout__buyer=request.user,
    )


def _qr_svg(payload: str) -> str:
    if not payload:
        return ""
    return segno.make(payload, error="m").svg_inline(scale=5, border=2, omitsize=True)


def _page(request, payment: Payment, *, proof_error: str = "", status: int = 200):
    checkout = payment.checkout
    context = {
        "checkout": checkout,
        "payment": payment,
        "orders": checkout.orders.select_related("seller").order_by("number"),
        "qr_svg": _qr_svg(payment.qris_payload) if payment.method == Payment.Method.QRIS else "",
        "pending": payment.status == Payment.Status.PENDING,
        "needs_charge": services.payment_needs_charge(payment),
        "simulator": simulator_active() and payment.provider == "simulator",
        "proof_error": proof_error,
    }
    return render(request, "mart/payment.html", context, status=status)


@login_required
@require_GET
def payment(request, reference: str):
    return _page(request, _buyers_payment(request, reference))


@login_required
@require_POST
def payment_proof_upload(request, reference: str):
    payment = _buyers_payment(request, reference)
    try:
        services.payment_proof_upload(
            actor=request.user, payment=payment, upload=request.FILES.get("file")
        )
    except ValidationError as error:
        text = (
            " ".join(error.message_dict.get("file", error.messages))
            if hasattr(error, "error_dict")
            else " ".join(error.messages)
        )
        return _page(request, payment, proof_error=text, status=400)
    messages.success(request, _("Your transfer proof was sent to the seller."))
    return redirect("mart:payment", reference=reference)


@login_required
@require_GET
def payment_proof(request, reference: str):
    """The transfer proof, for the buyer and the seller of the order; never a public file."""
    payment = get_object_or_404(
        Payment.objects.select_related("checkout"), checkout__reference=reference
    )
    order = payment.checkout.orders.first()
    is_buyer = payment.checkout.buyer_id == request.user.pk
    if not payment.proof or not (is_buyer or (order and services.sells_order(request.user, order))):
        raise Http404
    try:
        handle = payment.proof.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    extension = payment.proof.name.rsplit(".", 1)[-1].lower()
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"proof-{reference}.{extension}",
        content_type=PROOF_TYPES.get(extension, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def payment_charge_retry(request, reference: str):
    """The gateway could not be reached when the checkout was placed: ask it again."""
    payment = _buyers_payment(request, reference)
    try:
        services.payment_charge(payment=payment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("mart:payment", reference=reference)


@login_required
@require_POST
def payment_simulate(request, reference: str):
    """SIMULATOR ONLY: pay as the bank would, through a signed notification."""
    payment = _buyers_payment(request, reference)
    if not simulator_active() or payment.provider != "simulator":
        raise Http404
    event = simulator_pay(payment)
    if event.outcome == "paid":
        messages.success(request, _("Paid through the simulator."))
    else:
        messages.warning(
            request, _("The simulator could not pay: %(outcome)s.") % {"outcome": event.outcome}
        )
    return redirect("mart:payment", reference=reference)


def _seller_confirm(request, reference: str, method: str, confirm):
    payment = get_object_or_404(
        Payment.objects.select_related("checkout"),
        checkout__reference=reference,
        method=method,
    )
    order = payment.checkout.orders.first()
    if order is None or not services.sells_order(request.user, order):
        raise Http404
    try:
        confirm(actor=request.user, payment=payment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Payment confirmed; the order is paid."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        try:
            target = reverse("mart:seller_order", kwargs={"number": order.number})
        except NoReverseMatch:  # the seller pages are not wired in
            target = "/"
    return redirect(target)


@login_required
@require_POST
def payment_transfer_confirm(request, reference: str):
    return _seller_confirm(
        request, reference, Payment.Method.BANK_TRANSFER, services.payment_transfer_confirm
    )


@login_required
@require_POST
def payment_pickup_confirm(request, reference: str):
    return _seller_confirm(
        request, reference, Payment.Method.PICKUP, services.payment_pickup_confirm
    )


@csrf_exempt
@require_POST
def payment_callback(request):
    """Midtrans-format notifications. Recorded whatever they are; 200 once recorded, so the
    provider does not keep retrying a notification we deliberately ignored.

    Every forged notification leaves a row, so an address that keeps sending them is refused
    (429, nothing written) after `PAYMENT_CALLBACK_REJECTS_PER_IP` within the window. The
    provider's genuine notifications never count against it.
    """
    ip = client_ip(request)
    if _forged_count(ip) >= settings.PAYMENT_CALLBACK_REJECTS_PER_IP:
        return JsonResponse(
            {"received": False, "detail": "too many rejected notifications"}, status=429
        )
    try:
        payload = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError):
        return HttpResponseBadRequest("not JSON")
    if not isinstance(payload, dict):
        return HttpResponseBadRequest("not a JSON object")
    event = services.payment_notification_handle(provider=active_gateway_name(), payload=payload)
    if event.outcome == "rejected_signature":
        _forged_seen(ip)
    return JsonResponse({"received": True, "outcome": event.outcome})


def _forged_key(ip: str) -> str:
    return f"pay-callback-forged:{ip}"


def _forged_count(ip: str) -> int:
    return cache.get(_forged_key(ip), 0)


def _forged_seen(ip: str) -> None:
    key = _forged_key(ip)
    cache.add(key, 0, timeout=settings.PAYMENT_CALLBACK_REJECT_WINDOW)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=settings.PAYMENT_CALLBACK_REJECT_WINDOW)
