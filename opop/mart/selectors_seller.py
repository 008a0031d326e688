"""What a seller reads: their orders, stock, sales and settlement statements. The scope is
`enterprises_editable_by(access)` (a manager's pesantren, a participant's own enterprises)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from opop.catalog.models import Product
from opop.mart.models import MartSettings, Order, OrderEvent, OrderLine, Review
from opop.registry.selectors import enterprises_editable_by

LOW_STOCK = 5
# Orders that count as sales: paid and not cancelled or refunded.
SOLD = (
    Order.Status.PAID,
    Order.Status.PACKED,
    Order.Status.SHIPPED,
    Order.Status.DELIVERED,
    Order.Status.COMPLETED,
)
TO_FULFIL = (Order.Status.PAID, Order.Status.PACKED, Order.Status.SHIPPED, Order.Status.DELIVERED)
SETTLED = (Order.Status.DELIVERED, Order.Status.COMPLETED)


def _seller_ids(access) -> QuerySet:
    return enterprises_editable_by(access).order_by().values("pk")


def orders_of_seller(access) -> QuerySet[Order]:
    return Order.objects.filter(seller_id__in=_seller_ids(access))


def products_of_seller(access) -> QuerySet[Product]:
    return Product.objects.filter(enterprise_id__in=_seller_ids(access))


def reviews_of_seller(access) -> QuerySet[Review]:
    return Review.objects.filter(product__enterprise_id__in=_seller_ids(access))


def product_reviews(product) -> QuerySet[Review]:
    """What the product page shows: visible reviews only."""
    return product.reviews.filter(status=Review.Status.VISIBLE).select_related("buyer")


def home_figures(access) -> dict:
    by_status = dict(
        orders_of_seller(access)
        .filter(status__in=TO_FULFIL)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    low = (
        products_of_seller(access)
        .filter(status=Product.Status.ACTIVE)
        .annotate(available=Coalesce(F("stock__on_hand") - F("stock__reserved"), 0))
        .filter(available__lte=LOW_STOCK)
        .order_by("available", "name")
    )
    return {
        "to_fulfil": [(s, Order.Status(s).label, by_status.get(s, 0)) for s in TO_FULFIL],
        "low_stock": list(low[:10]),
        "low_stock_count": low.count(),
        "low_stock_limit": LOW_STOCK,
    }


def _range(qs, field: str, date_from: dt.date | None, date_to: dt.date | None):
    if date_from:
        qs = qs.filter(**{f"{field}__date__gte": date_from})
    if date_to:
        qs = qs.filter(**{f"{field}__date__lte": date_to})
    return qs


def sales(access, date_from: dt.date | None = None, date_to: dt.date | None = None) -> dict:
    """Orders and sales value (goods, without shipping) by month of payment and by product."""
    orders = _range(orders_of_seller(access).filter(status__in=SOLD), "paid_at", date_from, date_to)
    by_month = list(
        orders.annotate(month=TruncMonth("paid_at", tzinfo=timezone.get_current_timezone()))
        .order_by("month")
        .values("month")
        .annotate(orders=Count("pk"), value=Sum("subtotal"))
    )
    by_product = list(
        OrderLine.objects.filter(order__in=orders.values("pk"))
        .values("product_id", "product_name")
        .annotate(quantity=Sum("quantity"), value=Sum("line_total"), orders=Count("order_id"))
        .order_by("-value", "product_name")
    )
    totals = {
        "orders": sum(row["orders"] for row in by_month),
        "value": sum(row["value"] or 0 for row in by_month),
    }
    return {"by_month": by_month, "by_product": by_product, "totals": totals}


@dataclass
class Statement:
    period: dt.date
    orders: list
    gross: int
    shipping: int
    fee_bp: int
    fee: int
    net: int


def _period_bounds(period: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime(period.year, period.month, 1, tzinfo=tz)
    following = dt.datetime(period.year + period.month // 12, period.month % 12 + 1, 1, tzinfo=tz)
    return start, following


def settlement(access, period: dt.date) -> Statement:
    """The statement of one month: orders delivered in that month (the first "delivered" event;
    an order completed without one counts at its completion), their goods value (gross), the
    platform fee of the programme on the gross, rounded down to whole Rupiah, and what the
    seller is paid: gross − fee. Shipping fees are collected for the post and passed on."""
    start, end = _period_bounds(period)
    delivered_at = (
        OrderEvent.objects.filter(order=OuterRef("pk"), status=Order.Status.DELIVERED)
        .order_by("at")
        .values("at")[:1]
    )
    orders = list(
        orders_of_seller(access)
        .filter(status__in=SETTLED)
        .annotate(settled_at=Coalesce(Subquery(delivered_at), F("completed_at")))
        .filter(settled_at__gte=start, settled_at__lt=end)
        .select_related("seller")
        .order_by("settled_at", "pk")
    )
    gross = sum(order.subtotal for order in orders)
    fee_bp = (
        MartSettings.objects.filter(programme_id=access.programme_id)
        .values_list("platform_fee_bp", flat=True)
        .first()
        or 0
    )
    fee = gross * fee_bp // 10_000
    return Statement(
        period=period,
        orders=orders,
        gross=gross,
        shipping=sum(order.shipping_fee for order in orders),
        fee_bp=fee_bp,
        fee=fee,
        net=gross - fee,
    )
