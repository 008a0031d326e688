"""The order state machine (DOMAIN.md process 8).

    awaiting ─(payment)→ paid → packed → shipped → delivered → completed
    awaiting → cancelled (the whole checkout: its orders share one payment; stock released)
    paid/packed → cancelled (stock back on the shelf; the payment is due back: refund path)
    cancelled (was paid), shipped, delivered → refunded (seller or programme admin)

Who may move what: the payment alone marks orders paid (`checkout_mark_paid`); the seller packs,
ships, delivers and completes; the buyer confirms receipt (delivered → completed) and may cancel
before shipping; the post's tracking (actor None) marks delivered. Every move writes an
OrderEvent and notifies the buyer and the seller's users.
"""

from __future__ import annotations

from collections import Counter

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from opop.common.audit import audit_record
from opop.common.models import AuditEvent
from opop.mart.models import Order, OrderEvent, StockLevel
from opop.mart.sales import sales_count_move
from opop.mart.selectors_buyer import is_programme_admin, is_seller_of, seller_users
from opop.notifications.services import in_language_of, notify

S = Order.Status
SYSTEM, BUYER, SELLER, ADMIN = "system", "buyer", "seller", "admin"

# (from, to) → who may make that move.
TRANSITIONS: dict[tuple[str, str], set[str]] = {
    (S.PAID, S.PACKED): {SELLER},
    (S.PACKED, S.SHIPPED): {SELLER, SYSTEM},
    (S.SHIPPED, S.DELIVERED): {SELLER, BUYER, SYSTEM},
    (S.DELIVERED, S.COMPLETED): {SELLER, BUYER, SYSTEM},
    (S.AWAITING_PAYMENT, S.CANCELLED): {BUYER, SELLER, ADMIN, SYSTEM},
    (S.PAID, S.CANCELLED): {BUYER, SELLER, ADMIN},
    (S.PACKED, S.CANCELLED): {BUYER, SELLER, ADMIN},
    (S.CANCELLED, S.REFUNDED): {SELLER, ADMIN},
    (S.SHIPPED, S.REFUNDED): {SELLER, ADMIN},
    (S.DELIVERED, S.REFUNDED): {SELLER, ADMIN},
}
# Orders picked up at the pesantren skip the post: packed → delivered.
PICKUP_TRANSITIONS = {(S.PACKED, S.DELIVERED): {SELLER, BUYER}}


def actor_side(actor, order: Order) -> str | None:
    if actor is None:
        return SYSTEM
    if actor.pk == order.buyer_id:
        return BUYER
    if is_seller_of(actor, order):
        return SELLER
    if is_programme_admin(actor, order.programme_id):
        return ADMIN
    return None


def allowed_moves(actor, order: Order) -> list[str]:
    """The statuses `actor` may move `order` to now (for the buttons on a page)."""
    side = actor_side(actor, order)
    rules = _rules(order)
    return [to for (frm, to), sides in rules.items() if frm == order.status and side in sides]


def _rules(order: Order) -> dict:
    if order.delivery == Order.Delivery.PICKUP:
        return {**TRANSITIONS, **PICKUP_TRANSITIONS}
    return TRANSITIONS


def order_transition(*, actor, order: Order, to_status: str, note: str = "") -> Order:
    with transaction.atomic():
        order = Order.objects.select_for_update().select_related("seller").get(pk=order.pk)
        if order.status == to_status:
            return order  # a retried click or callback changes nothing
        if to_status == S.PAID:
            raise ValidationError(_("Orders are marked paid by their payment only."))
        sides = _rules(order).get((order.status, to_status))
        if sides is None:
            raise ValidationError(
                _("An order that is %(now)s cannot become %(to)s.")
                % {"now": order.get_status_display(), "to": S(to_status).label}
            )
        side = actor_side(actor, order)
        if side not in sides:
            raise PermissionDenied(_("You may not make this change to the order."))
        if to_status == S.CANCELLED and order.status == S.AWAITING_PAYMENT:
            from opop.mart.services.checkout import checkout_cancel

            checkout_cancel(checkout=order.checkout, actor=actor, note=note)
            order.refresh_from_db()
            return order
        if to_status == S.CANCELLED:
            _restock(order)  # paid units go back on the shelf; the money goes back (refund)
        order_move(order, to_status, actor=actor, note=note)
        return order


def _restock(order: Order) -> None:
    quantities = Counter()
    for line in order.lines.all():
        if line.product_id:
            quantities[line.product_id] += line.quantity
    rows = (
        StockLevel.objects.select_for_update(of=("self",))
        .filter(product_id__in=list(quantities))
        .order_by("product_id")
    )
    for row in rows:
        StockLevel.objects.filter(pk=row.pk).update(
            on_hand=F("on_hand") + quantities[row.product_id]
        )


STATUS_TEXT = {
    S.PAID: gettext_noop("Order %(number)s is paid."),
    S.PACKED: gettext_noop("Order %(number)s is packed."),
    S.SHIPPED: gettext_noop("Order %(number)s is on its way."),
    S.DELIVERED: gettext_noop("Order %(number)s was delivered."),
    S.COMPLETED: gettext_noop("Order %(number)s is completed."),
    S.CANCELLED: gettext_noop("Order %(number)s was cancelled."),
    S.REFUNDED: gettext_noop("Order %(number)s was refunded."),
}


def order_move(order: Order, to_status: str, *, actor=None, note: str = "") -> Order:
    """Set the status, write the event and the audit, tell buyer and sellers. No checks: call
    only from this module or the checkout service, inside their transaction."""
    previous = order.status
    order.status = to_status
    fields = ["status", "updated_at"]
    if to_status == S.PAID:
        # The payment may have set the moment it was paid (`checkout_mark_paid`); save it.
        order.paid_at = order.paid_at or timezone.now()
        fields.append("paid_at")
    if to_status == S.COMPLETED:
        order.completed_at = timezone.now()
        fields.append("completed_at")
    order.save(update_fields=fields)
    sales_count_move(order, previous=previous)
    OrderEvent.objects.create(order=order, status=to_status, actor=actor, note=note[:255])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=order,
        changes={"status": [previous, to_status]},
        note=(note or f"order {to_status}")[:255],
    )
    order_notify(order, STATUS_TEXT[to_status])
    return order


def order_notify(order: Order, text: str) -> None:
    """`text`: an untranslated msgid with %(number)s, read by each recipient in their language."""
    buyer_url = reverse("mart:my_order", args=[order.number])
    recipients = [(order.buyer, buyer_url)]
    recipients += [(user, buyer_url) for user in seller_users(order.seller) if user != order.buyer]
    for user, url in recipients:
        with in_language_of(user):
            notify(
                user=user,
                kind=f"mart.order.{order.status}",
                title=_(text) % {"number": order.number},
                body=_("Status: %(status)s") % {"status": order.get_status_display()},
                url=url if user == order.buyer else _seller_url(order, url),
                programme=order.programme,
            )


def _seller_url(order: Order, fallback: str) -> str:
    try:
        return reverse("mart:seller_order", args=[order.number])
    except NoReverseMatch:  # the seller pages come from another module; until then, no link
        return ""
