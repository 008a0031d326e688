"""The seller's writes: stock counts and the fulfilment steps of their orders.

Order steps go through `opop.mart.services.orders.order_transition` (the state machine) and
shipping through `opop.logistics.services.shipment_create`; both are imported when called so
that this module loads even where those services are not installed yet.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from opop.common.audit import audit_record
from opop.common.models import AuditEvent
from opop.mart.models import Order, StockLevel


@transaction.atomic
def stock_set(*, actor, product, on_hand: int) -> StockLevel:
    """Count the store: `on_hand` becomes the new figure, never below what checkouts reserved."""
    if on_hand is None or on_hand < 0:
        raise ValidationError({"on_hand": _("Stock cannot be negative.")})
    StockLevel.objects.get_or_create(product=product)
    level = StockLevel.objects.select_for_update().get(pk=product.pk)
    if on_hand < level.reserved:
        raise ValidationError(
            {
                "on_hand": _(
                    "%(reserved)d units are reserved by orders waiting for payment or shipping; "
                    "stock cannot be set below %(reserved)d."
                )
                % {"reserved": level.reserved}
            }
        )
    before = level.on_hand
    level.on_hand = on_hand
    level.full_clean()
    level.save()
    if before != on_hand:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=level,
            programme_id=product.programme_id,
            changes={"on_hand": [before, on_hand]},
        )
    return level


def _order_transition(**kwargs) -> Order:
    from opop.mart.services.orders import order_transition

    return order_transition(**kwargs)


def _shipment_create(**kwargs):
    from opop.logistics.services import shipment_create

    return shipment_create(**kwargs)


# What the seller's buttons do: action → (the status it leads to, the delivery it needs).
ACTIONS = {
    "pack": (Order.Status.PACKED, None),
    "ship": (Order.Status.SHIPPED, Order.Delivery.POST),
    "handover": (Order.Status.DELIVERED, Order.Delivery.PICKUP),
    "complete": (Order.Status.COMPLETED, None),
    "cancel": (Order.Status.CANCELLED, None),
}
# Which buttons a seller sees for an order in each status.
ACTIONS_BY_STATUS = {
    Order.Status.PAID: ["pack", "cancel"],
    Order.Status.PACKED: ["ship", "handover", "cancel"],
    Order.Status.DELIVERED: ["complete"],
}


def actions_for(order: Order) -> list[str]:
    return [
        name
        for name in ACTIONS_BY_STATUS.get(order.status, [])
        if ACTIONS[name][1] in (None, order.delivery)
    ]


@transaction.atomic
def seller_order_step(*, actor, order: Order, action: str, note: str = "") -> Order:
    """One step of fulfilment by the seller. Shipping books the parcel with the post first, so
    that an order is never marked shipped without a tracking number."""
    if action not in actions_for(order):
        raise ValidationError(_("This step is not possible for this order now."))
    to_status, _delivery = ACTIONS[action]
    if action == "cancel" and not note.strip():
        raise ValidationError({"note": _("Say why the order is cancelled.")})
    if action == "ship":
        _shipment_create(actor=actor, order=order)  # returns the existing one on a retry
    return _order_transition(actor=actor, order=order, to_status=to_status, note=note.strip())
