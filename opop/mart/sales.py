"""OPOP Mart sales summary (`SalesCount`): kept current order by order, rebuilt in bulk.

What counts (issue 4, point 10): orders paid or further on (paid, packed, shipped, delivered,
completed); cancelled and refunded orders are left out. An order counts in the month it was paid
(Asia/Jakarta). Sales value is the value of the goods (the order's subtotal), without shipping.

Where an order belongs is read from its seller (the enterprise):
- kab/kota: the enterprise's kab/kota;
- pesantren: the enterprise's own pesantren, else its cooperative's, else its owner's;
- pillar, kept simple on purpose: an enterprise without an owner is the pesantren's or its
  cooperative's (pesantrenpreneur); an owner who takes part in the sociopreneur pillar (active or
  graduated) makes it sociopreneur; any other owned enterprise is santripreneur.

How other code uses this module:
- `sales_count_move(order, previous=...)` from the order state machine (`order_move`), inside
  the order's transaction: adds the order to its cell when it enters the sold statuses and takes
  it out when it leaves them. One upsert, so two first orders of a cell never collide.
- `sales_recount(programme_id=...)`: replaces the programme's rows from the orders, for the
  nightly recount (`refresh_dashboard`) and after bulk loads (the demo seed). It takes the
  exclusive side of a per-programme advisory lock and order moves the shared side (PostgreSQL),
  so a recount never interleaves with a sale half counted.
"""

from __future__ import annotations

import logging
import time

from django.db import connection, transaction
from django.db.models import Case, CharField, Count, Exists, OuterRef, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear
from django.utils import timezone

from opop.mart.models import Order, SalesCount
from opop.programmes.models import Pillar
from opop.registry.models import Enterprise, Participation

logger = logging.getLogger(__name__)

# Plain strings: an enum member hashes by its name, so `"paid" in {Order.Status.PAID}` is False.
SOLD = frozenset(
    status.value
    for status in (
        Order.Status.PAID,
        Order.Status.PACKED,
        Order.Status.SHIPPED,
        Order.Status.DELIVERED,
        Order.Status.COMPLETED,
    )
)
# Namespace of the PostgreSQL advisory lock between order moves and a recount of a programme.
_LOCK_NAMESPACE = 4343


def seller_pillar(owner_ref: str = "owner_id"):
    """The pillar of an enterprise as an expression; `owner_ref` leads to its owner's id."""
    sociopreneur = Participation.objects.filter(
        person_id=OuterRef(owner_ref),
        pillar=Pillar.SOCIOPRENEUR,
        status__in=Participation.COUNTED,
    )
    return Case(
        When(**{f"{owner_ref}__isnull": True}, then=Value(Pillar.PESANTRENPRENEUR.value)),
        When(Exists(sociopreneur), then=Value(Pillar.SOCIOPRENEUR.value)),
        default=Value(Pillar.SANTRIPRENEUR.value),
        output_field=CharField(),
    )


def seller_pesantren(prefix: str = ""):
    return Coalesce(
        f"{prefix}pesantren_id",
        f"{prefix}cooperative__pesantren_id",
        f"{prefix}owner__pesantren_id",
    )


def sales_count_move(order: Order, *, previous: str) -> None:
    """Count `order` in or out of its month's cell after its status moved from `previous`."""
    was_sold, is_sold = previous in SOLD, order.status in SOLD
    if was_sold == is_sold or order.paid_at is None:
        return
    sign = 1 if is_sold else -1
    _shared_lock(order.programme_id)
    seller = (
        Enterprise.objects.filter(pk=order.seller_id)
        .annotate(pesantren_ref=seller_pesantren(), pillar=seller_pillar())
        .values("pesantren_ref", "regency_id", "pillar")
        .get()
    )
    paid = timezone.localtime(order.paid_at)
    _add(
        programme_id=order.programme_id,
        year=paid.year,
        month=paid.month,
        regency_code=seller["regency_id"] or "",
        pesantren_key=seller["pesantren_ref"] or 0,
        pillar=seller["pillar"],
        orders=sign,
        value=sign * order.subtotal,
    )


_KEY = ("programme_id", "year", "month", "regency_code", "pesantren_key", "pillar")
_COLUMNS = (*_KEY, "orders", "value")
# An upsert (SQLite ≥ 3.24 and PostgreSQL speak the same ON CONFLICT): the first sale of a cell
# inserts it, later ones add to it, and two first sales at once cannot both insert. Only the
# model's own table and column names are formatted in; the values are bound parameters.
_UPSERT = (  # noqa: S608
    "INSERT INTO {table} ({columns}) VALUES ({values}) ON CONFLICT ({key}) DO UPDATE SET "
    "orders = {table}.orders + excluded.orders, value = {table}.value + excluded.value"
).format(
    table=SalesCount._meta.db_table,
    columns=", ".join(_COLUMNS),
    values=", ".join(["%s"] * len(_COLUMNS)),
    key=", ".join(_KEY),
)


def _add(**cell) -> None:
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT, [cell[column] for column in _COLUMNS])


def sold_orders(programme_id: int) -> QuerySet[Order]:
    return Order.objects.filter(programme_id=programme_id, status__in=SOLD, paid_at__isnull=False)


def sales_cells(orders: QuerySet[Order]) -> QuerySet:
    """Orders grouped into cells (year, month, regency_code, pesantren_key, pillar) with their
    orders and value."""
    return (
        orders.annotate(
            year=ExtractYear("paid_at"),
            month=ExtractMonth("paid_at"),
            regency_code=Coalesce("seller__regency_id", Value("")),
            pesantren_key=Coalesce(seller_pesantren("seller__"), Value(0)),
            pillar=seller_pillar("seller__owner_id"),
        )
        .order_by()
        .values("year", "month", "regency_code", "pesantren_key", "pillar")
        .annotate(orders=Count("pk"), value=Coalesce(Sum("subtotal"), 0))
    )


@transaction.atomic
def sales_recount(*, programme_id: int) -> int:
    """Replace the programme's sales rows by counting its orders; returns the number of cells."""
    started = time.monotonic()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_NAMESPACE, programme_id])
    SalesCount.objects.filter(programme_id=programme_id).delete()
    cells = SalesCount.objects.bulk_create(
        (
            SalesCount(programme_id=programme_id, **row)
            for row in sales_cells(sold_orders(programme_id)).iterator(chunk_size=5_000)
        ),
        batch_size=5_000,
    )
    logger.info(
        "mart sales recounted programme=%s cells=%s in %sms",
        programme_id,
        len(cells),
        int((time.monotonic() - started) * 1000),
    )
    return len(cells)


def _shared_lock(programme_id: int) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock_shared(%s, %s)", [_LOCK_NAMESPACE, programme_id]
            )
