"""Payments of checkouts (DOMAIN.md process 5; issue 4 point 4).

Virtual account and QRIS go through the active gateway (`opop.mart.gateways`); bank transfer
(with an uploaded proof) and pay-on-pickup are confirmed by the seller and are offered only when
the checkout has a single order. A provider notification is trusted only when its signature is
valid (constant-time compare), it is not a replay (unique `PaymentEvent.dedupe_key`), its amount
is the payment's, and the provider's status call agrees: the status call always wins.
"""

from __future__ import annotations

import hashlib
import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opop.accounts.access import Access, memberships_of
from opop.common.audit import audit_record
from opop.common.models import AuditEvent
from opop.mart.gateways.base import (
    EXPIRED,
    FAILED,
    PAID,
    GatewayError,
    active_gateway_name,
    get_gateway,
    midtrans_amount,
    midtrans_dedupe_key,
)
from opop.mart.models import Checkout, Order, Payment, PaymentEvent
from opop.registry.selectors import enterprises_editable_by

M, S = Payment.Method, Payment.Status
GATEWAY_METHODS = {M.VIRTUAL_ACCOUNT, M.QRIS}
MANUAL = "manual"  # provider of transfer and pickup payments: confirmed by the seller


def _mark_paid(*, checkout, paid_at):
    from opop.mart.services.checkout import checkout_mark_paid

    return checkout_mark_paid(checkout=checkout, paid_at=paid_at)


def _expire(*, checkout):
    from opop.mart.services.checkout import checkout_expire

    return checkout_expire(checkout=checkout)


def _event(*, payment, provider, key, payload, outcome, valid=True) -> PaymentEvent:
    return PaymentEvent.objects.create(
        payment=payment,
        provider=provider,
        dedupe_key=key[:200],
        signature_valid=valid,
        payload=payload,
        outcome=outcome,
    )


# --- Starting a payment ------------------------------------------------------------------------


@transaction.atomic
def payment_start(*, checkout: Checkout, method: str) -> Payment:
    """The checkout's payment by `method`, charged at the gateway; a second call returns the
    first payment. A gateway failure raises and leaves no payment behind."""
    payment = payment_create(checkout=checkout, method=method)
    return payment_charge(payment=payment)


def payment_create(*, checkout: Checkout, method: str) -> Payment:
    """The checkout's payment row, not yet charged: call it inside the checkout's transaction.

    A gateway method (VA, QRIS) gets its account number or QR code from `payment_charge`,
    called after the checkout has committed, so that a slow gateway never holds the row locks
    on the products' stock while it answers.
    """
    existing = Payment.objects.filter(checkout=checkout).first()
    if existing is not None:
        return existing
    if method not in M.values:
        raise ValidationError({"method": _("Choose a payment method.")})
    orders = list(checkout.orders.all())
    if method in (M.BANK_TRANSFER, M.PICKUP) and len(orders) > 1:
        raise ValidationError(
            {"method": _("This method is only possible when everything comes from one seller.")}
        )
    if method == M.PICKUP and any(o.delivery != Order.Delivery.PICKUP for o in orders):
        raise ValidationError(
            {"method": _("Pay on pickup is only possible when you pick the order up.")}
        )
    provider = active_gateway_name() if method in GATEWAY_METHODS else MANUAL
    payment = Payment.objects.create(
        checkout=checkout,
        method=method,
        provider=provider,
        amount=checkout.total,
        external_id=checkout.reference,
        expires_at=checkout.expires_at,
    )
    if provider == MANUAL:
        _event(
            payment=payment,
            provider=MANUAL,
            key=f"{MANUAL}:{payment.external_id}:created",
            payload={"method": method},
            outcome="created",
        )
    return payment


def payment_needs_charge(payment: Payment) -> bool:
    """A gateway payment still waiting for its account number or QR code."""
    return (
        payment.method in GATEWAY_METHODS
        and payment.status == S.PENDING
        and not (payment.va_number or payment.qris_payload)
    )


@transaction.atomic
def payment_charge(*, payment: Payment) -> Payment:
    """Ask the gateway for the payment's account number or QR code. Safe to repeat: a charged
    payment is returned as it is. Raises ValidationError when the gateway cannot be reached."""
    locked = Payment.objects.select_for_update().get(pk=payment.pk)
    if not payment_needs_charge(locked):
        payment.refresh_from_db()
        return payment
    try:
        charge = get_gateway(locked.provider).create_charge(locked)
    except GatewayError as error:
        raise ValidationError(
            _("The payment service cannot be reached; please try again in a moment.")
        ) from error
    locked.va_number = charge.va_number
    locked.qris_payload = charge.qris_payload
    locked.expires_at = charge.expires_at or locked.expires_at
    locked.save(update_fields=["va_number", "qris_payload", "expires_at", "updated_at"])
    _event(
        payment=locked,
        provider=locked.provider,
        key=f"{locked.provider}:{locked.external_id}:created",
        payload=charge.raw,
        outcome="created",
    )
    payment.refresh_from_db()
    return payment


# --- Provider notifications --------------------------------------------------------------------


def payment_notification_handle(*, provider: str, payload: dict) -> PaymentEvent:
    """Record a provider's notification and act on it when it is genuine, new and confirmed.

    Rejected and replayed notifications change nothing; the PaymentEvent says why."""
    if not isinstance(payload, dict):
        payload = {"unreadable": str(payload)[:1000]}
    if provider != active_gateway_name() or not get_gateway(provider).verify_notification(payload):
        digest = hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode())
        return _record_once(
            key=f"{provider}:forged:{digest.hexdigest()}",
            provider=provider,
            payload=payload,
            outcome="rejected_signature",
            valid=False,
        )
    key = midtrans_dedupe_key(provider, payload)
    replay = PaymentEvent.objects.filter(dedupe_key=key).first()
    if replay is not None:
        return replay
    gateway = get_gateway(provider)
    external_id = str(payload.get("order_id", ""))
    known = Payment.objects.filter(external_id=external_id, provider=provider).exists()
    status = None
    if known:
        try:
            status = gateway.status(external_id)  # outside the transaction: no lock held
        except GatewayError:
            status = None
    return _apply(provider=provider, key=key, payload=payload, status=status)


def _record_once(*, key, provider, payload, outcome, valid, payment=None) -> PaymentEvent:
    try:
        with transaction.atomic():
            return _event(
                payment=payment,
                provider=provider,
                key=key,
                payload=payload,
                outcome=outcome,
                valid=valid,
            )
    except IntegrityError:
        return PaymentEvent.objects.get(dedupe_key=key)


@transaction.atomic
def _apply(*, provider, key, payload, status) -> PaymentEvent:
    external_id = str(payload.get("order_id", ""))
    payment = (
        Payment.objects.select_for_update(of=("self",))
        .select_related("checkout")
        .filter(external_id=external_id, provider=provider)
        .first()
    )
    # Under the payment's lock, a concurrent copy of this notification has finished or waits.
    replay = PaymentEvent.objects.filter(dedupe_key=key).first()
    if replay is not None:
        return replay
    outcome = _outcome(payment, payload, status)
    event = _event(payment=payment, provider=provider, key=key, payload=payload, outcome=outcome)
    if outcome == "paid":
        _pay(payment, paid_at=status.get("paid_at") or timezone.now())
    elif outcome in ("expired", "failed"):
        _close(payment, S.EXPIRED if outcome == "expired" else S.FAILED)
    return event


def _outcome(payment, payload, status) -> str:
    if payment is None:
        return "unknown_payment"
    if midtrans_amount(payload.get("gross_amount")) != payment.amount:
        return "rejected_amount"
    if status is None:
        return "status_unavailable"
    if status["amount"] is not None and status["amount"] != payment.amount:
        return "rejected_amount"
    closed = payment.checkout.status != Checkout.Status.AWAITING_PAYMENT
    if payment.status != S.PENDING or closed:
        # Money for a checkout already expired or cancelled: logged for the refund, not applied.
        late = status["status"] == PAID and payment.status != S.PAID
        return "late_paid" if late else "ignored"
    return {PAID: "paid", EXPIRED: "expired", FAILED: "failed"}.get(status["status"], "pending")


def _pay(payment: Payment, *, paid_at) -> None:
    payment.status = S.PAID
    payment.paid_at = paid_at
    payment.save(update_fields=["status", "paid_at", "updated_at"])
    _mark_paid(checkout=payment.checkout, paid_at=paid_at)


def _close(payment: Payment, status: str) -> None:
    payment.status = status
    payment.save(update_fields=["status", "updated_at"])
    _expire(checkout=payment.checkout)


# --- Bank transfer and pay on pickup: confirmed by the seller ----------------------------------


def sells_order(actor, order: Order) -> bool:
    """Whether one of `actor`'s roles sells for the order's seller."""
    for membership in memberships_of(actor):
        if membership.programme_id != order.programme_id:
            continue
        access = Access(membership=membership)
        if access.sells and enterprises_editable_by(access).filter(pk=order.seller_id).exists():
            return True
    return False


def _locked(payment: Payment) -> Payment:
    return (
        Payment.objects.select_for_update(of=("self",))
        .select_related("checkout")
        .get(pk=payment.pk)
    )


def _single_order(payment: Payment) -> Order:
    orders = list(payment.checkout.orders.all()[:2])
    if len(orders) != 1:
        raise ValidationError(_("This payment is not for a single order."))
    return orders[0]


@transaction.atomic
def payment_proof_upload(*, actor, payment: Payment, upload) -> Payment:
    """The buyer attaches the proof of a bank transfer (PDF, JPEG or PNG, judged by content)."""
    from opop.intake.documents import check_document

    payment = _locked(payment)
    if actor is None or payment.checkout.buyer_id != actor.pk:
        raise PermissionDenied
    if payment.method != M.BANK_TRANSFER:
        raise ValidationError({"file": _("This payment does not take a transfer proof.")})
    if payment.status != S.PENDING:
        raise ValidationError({"file": _("This payment is no longer waiting for a proof.")})
    checked = check_document(upload)
    old_file = payment.proof.name
    payment.proof.save(f"proof.{checked.extension}", ContentFile(checked.content), save=False)
    payment.save(update_fields=["proof", "updated_at"])
    sha256 = hashlib.sha256(checked.content).hexdigest()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=payment,
        programme_id=payment.checkout.programme_id,
        changes={"proof": [None, sha256]},
        note=f"transfer proof {payment.external_id}",
    )
    if old_file and old_file != payment.proof.name:
        storage = payment.proof.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    return payment


def _confirm(*, actor, payment: Payment, method: str) -> Payment:
    payment = _locked(payment)
    order = _single_order(payment)
    if actor is None or not sells_order(actor, order):
        raise PermissionDenied
    if payment.method != method:
        raise ValidationError(_("This payment is not paid this way."))
    if payment.status == S.PAID:
        return payment
    if payment.status != S.PENDING or payment.checkout.status != Checkout.Status.AWAITING_PAYMENT:
        raise ValidationError(_("This payment has expired or was cancelled."))
    if method == M.BANK_TRANSFER and not payment.proof:
        raise ValidationError(_("The buyer has not uploaded a transfer proof yet."))
    now = timezone.now()
    _event(
        payment=payment,
        provider=MANUAL,
        key=f"{MANUAL}:{payment.external_id}:paid",
        payload={"method": method, "confirmed_by": actor.pk, "at": now.isoformat()},
        outcome="paid",
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=payment,
        programme_id=payment.checkout.programme_id,
        changes={"status": [S.PENDING, S.PAID]},
        note=f"{method} confirmed by the seller",
    )
    _pay(payment, paid_at=now)
    return payment


@transaction.atomic
def payment_transfer_confirm(*, actor, payment: Payment) -> Payment:
    """The seller has seen the money of a bank transfer arrive."""
    return _confirm(actor=actor, payment=payment, method=M.BANK_TRANSFER)


@transaction.atomic
def payment_pickup_confirm(*, actor, payment: Payment) -> Payment:
    """The seller received the cash when the buyer picked the order up."""
    return _confirm(actor=actor, payment=payment, method=M.PICKUP)


# --- The expiry sweep --------------------------------------------------------------------------


def payments_expire_overdue(*, now=None) -> int:
    """Expire pending payments past their time and release their stock; returns how many.

    A gateway payment is asked about first: one paid at the last minute is marked paid instead.
    Safe to run twice or concurrently (each payment is re-checked under its lock)."""
    now = now or timezone.now()
    overdue = Payment.objects.filter(status=S.PENDING, expires_at__lte=now).order_by("pk")
    expired = 0
    for payment in overdue.only("pk", "provider", "external_id").iterator():
        status = None
        if payment.provider != MANUAL:
            try:
                status = get_gateway(payment.provider).status(payment.external_id)
            except GatewayError:
                continue  # the provider is unreachable: ask again on the next run
        expired += _expire_one(payment.pk, now=now, status=status)
    return expired


@transaction.atomic
def _expire_one(pk: int, *, now, status) -> int:
    payment = Payment.objects.select_for_update(of=("self",)).select_related("checkout").get(pk=pk)
    if payment.status != S.PENDING or payment.expires_at > now:
        return 0
    if status is not None and status["status"] == PAID and status["amount"] == payment.amount:
        _event(
            payment=payment,
            provider=payment.provider,
            key=f"{payment.provider}:{payment.external_id}:sweep-paid",
            payload=_jsonable(status),
            outcome="paid",
        )
        _pay(payment, paid_at=status.get("paid_at") or now)
        return 0
    _event(
        payment=payment,
        provider=payment.provider,
        key=f"{payment.provider}:{payment.external_id}:sweep-expired",
        payload=_jsonable(status) if status else {"expires_at": payment.expires_at.isoformat()},
        outcome="expired",
    )
    _close(payment, S.EXPIRED)
    return 1


def _jsonable(status: dict) -> dict:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in status.items()}
