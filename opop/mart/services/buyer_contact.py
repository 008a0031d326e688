"""The buyer's contact details (recipient, phone, street address) as a seller sees them.

A seller needs them to ship and to call about a delivery, and for nothing else (UU PDP 27/2022:
purpose limitation; DOMAIN.md: keep who viewed personal data). So:
- every view of them on the seller's order page or through the seller API is recorded in the
  audit trail as "viewed personal data", once per user, order and day (a seller reloading the
  page all afternoon leaves one row, not fifty);
- once an order is closed (completed, cancelled or refunded) for `CONTACT_DAYS_AFTER_CLOSE`
  days, the seller no longer sees them at all; the buyer and the programme's auditors still do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from opop.common.models import AuditEvent
from opop.mart.models import Order

CONTACT_DAYS_AFTER_CLOSE = 30
CLOSED = frozenset(
    status.value
    for status in (Order.Status.COMPLETED, Order.Status.CANCELLED, Order.Status.REFUNDED)
)


def seller_sees_contact(order: Order, *, now: dt.datetime | None = None) -> bool:
    """Whether the seller may still see the buyer's contact details on `order`."""
    if order.status not in CLOSED:
        return True
    now = now or timezone.now()
    return order.updated_at >= now - dt.timedelta(days=CONTACT_DAYS_AFTER_CLOSE)


@transaction.atomic
def buyer_contact_viewed(*, actor, orders: Iterable[Order], via: str) -> int:
    """Record that `actor` saw the buyer's contact details of `orders` (`via`: "page" or "api").

    Returns how many audit rows were written (orders already recorded today are skipped).
    """
    ids = {order.pk: order for order in orders}
    if not ids or not getattr(actor, "pk", None):
        return 0
    start_of_day = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    seen = set(
        AuditEvent.objects.filter(
            actor=actor,
            action=AuditEvent.Action.VIEW_PII,
            target_type=Order._meta.label_lower,
            target_id__in=list(ids),
            at__gte=start_of_day,
        ).values_list("target_id", flat=True)
    )
    rows = [
        AuditEvent(
            actor=actor,
            programme_id=order.programme_id,
            action=AuditEvent.Action.VIEW_PII,
            target_type=Order._meta.label_lower,
            target_id=order.pk,
            note=f"buyer contact ({via})",
        )
        for pk, order in ids.items()
        if pk not in seen
    ]
    AuditEvent.objects.bulk_create(rows)
    return len(rows)
