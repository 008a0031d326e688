"""Stock writes. Call them inside the caller's transaction (checkout, payment, expiry sweep):
the rows stay locked until it commits, so a concurrent checkout waits and then sees what is left.

Rows are locked in product-id order by every caller, so two checkouts of the same products
cannot deadlock each other.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from opop.mart.models import StockLevel


def _locked(quantities: Mapping[int, int]) -> dict[int, StockLevel]:
    if any(quantity <= 0 for quantity in quantities.values()):
        raise ValidationError(_("Quantities must be at least 1."))
    rows = (
        StockLevel.objects.select_for_update(of=("self",))
        .filter(product_id__in=list(quantities))
        .select_related("product")
        .order_by("product_id")
    )
    return {row.product_id: row for row in rows}


def stock_reserve(*, quantities: Mapping[int, int]) -> None:
    """Reserve {product id: quantity}, all or nothing; refused naming every product short."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("stock_reserve must run inside the checkout's transaction")
    rows = _locked(quantities)
    short = [
        _("%(product)s: %(available)d left, %(wanted)d asked")
        % {
            "product": rows[pid].product.name if pid in rows else f"#{pid}",
            "available": rows[pid].available if pid in rows else 0,
            "wanted": wanted,
        }
        for pid, wanted in sorted(quantities.items())
        if pid not in rows or rows[pid].available < wanted
    ]
    if short:
        raise ValidationError(_("Not enough stock: %(items)s.") % {"items": "; ".join(short)})
    for pid, wanted in sorted(quantities.items()):
        StockLevel.objects.filter(pk=pid).update(reserved=F("reserved") + wanted)


def stock_release(*, quantities: Mapping[int, int]) -> None:
    """Give reserved units back (payment expired, order cancelled before payment)."""
    rows = _locked(quantities)
    for pid, quantity in sorted(quantities.items()):
        if pid not in rows or rows[pid].reserved < quantity:
            raise ValidationError(_("More units released than were reserved."))
        StockLevel.objects.filter(pk=pid).update(reserved=F("reserved") - quantity)


def stock_commit(*, quantities: Mapping[int, int]) -> None:
    """A paid order takes its reserved units out of the store."""
    rows = _locked(quantities)
    for pid, quantity in sorted(quantities.items()):
        if pid not in rows or rows[pid].reserved < quantity:
            raise ValidationError(_("More units sold than were reserved."))
        StockLevel.objects.filter(pk=pid).update(
            reserved=F("reserved") - quantity, on_hand=F("on_hand") - quantity
        )
