"""OPOP Mart figures for the programme (issue 4, point 10): sales value and orders by pesantren,
by kab/kota, by pillar and by month.

What counts: orders paid or further on (paid, packed, shipped, delivered, completed) of the
programme; cancelled and refunded orders are left out. An order counts in the month it was paid
(Asia/Jakarta). Sales value is the value of the goods (the order's subtotal), without shipping.

Where an order belongs is read from its seller (the enterprise):
- kab/kota: the enterprise's kab/kota;
- pesantren: the enterprise's own pesantren, else its cooperative's, else its owner's;
- pillar, kept simple on purpose: an enterprise without an owner is the pesantren's or its
  cooperative's (pesantrenpreneur); an owner who takes part in the sociopreneur pillar (active or
  graduated) makes it sociopreneur; any other owned enterprise is santripreneur.

One grouped query returns (pesantren, kab/kota, pillar, month) cells; the four breakdowns are
folded from those cells in Python, so the figures always add up to the same totals.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Case, CharField, Count, Exists, OuterRef, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractMonth
from django.utils.translation import gettext as _

from opop.mart.models import Order
from opop.programmes.models import Pillar
from opop.regions.models import Region
from opop.registry.models import Participation, Pesantren
from opop.registry.selectors import enterprises_visible_to

SOLD = ("paid", "packed", "shipped", "delivered", "completed")


def orders_in_scope(access) -> QuerySet[Order]:
    """Programme-wide for admins, auditors and partners; an officer's kab/kota; otherwise the
    enterprises the role may see in the registry (a facilitator's pesantren, a manager's own)."""
    if not access or not access.reads_dashboard:
        return Order.objects.none()
    orders = Order.objects.filter(programme_id=access.programme_id, status__in=SOLD)
    if access.is_programme_wide:
        return orders
    return orders.filter(seller_id__in=enterprises_visible_to(access).order_by().values("pk"))


def _pillar():
    sociopreneur = Participation.objects.filter(
        person_id=OuterRef("seller__owner_id"),
        pillar=Pillar.SOCIOPRENEUR,
        status__in=Participation.COUNTED,
    )
    return Case(
        When(seller__owner_id__isnull=True, then=Value(Pillar.PESANTRENPRENEUR.value)),
        When(Exists(sociopreneur), then=Value(Pillar.SOCIOPRENEUR.value)),
        default=Value(Pillar.SANTRIPRENEUR.value),
        output_field=CharField(),
    )


def _cells(orders: QuerySet[Order], year: int) -> list[dict]:
    return list(
        orders.filter(paid_at__year=year)
        .annotate(
            pesantren_ref=Coalesce(
                "seller__pesantren_id",
                "seller__cooperative__pesantren_id",
                "seller__owner__pesantren_id",
            ),
            regency_ref=Coalesce("seller__regency_id", Value("")),
            pillar=_pillar(),
            month=ExtractMonth("paid_at"),
        )
        .order_by()
        .values("pesantren_ref", "regency_ref", "pillar", "month")
        .annotate(orders=Count("pk"), value=Sum("subtotal"))
    )


def _fold(cells, key) -> dict:
    folded: dict = defaultdict(lambda: {"orders": 0, "value": 0})
    for cell in cells:
        row = folded[cell[key]]
        row["orders"] += cell["orders"]
        row["value"] += cell["value"] or 0
    return folded


def _ranked(rows: list[dict]) -> list[dict]:
    return sorted(rows, key=lambda row: (-row["value"], -row["orders"], row["name"]))


def mart_figures(access, *, year: int) -> dict:
    cells = _cells(orders_in_scope(access), year)
    by_pesantren = _fold(cells, "pesantren_ref")
    by_regency = _fold(cells, "regency_ref")
    by_pillar = _fold(cells, "pillar")
    by_month = _fold(cells, "month")
    pesantren_names = dict(
        Pesantren.objects.filter(pk__in=[k for k in by_pesantren if k]).values_list("pk", "name")
    )
    regency_names = dict(
        Region.objects.filter(code__in=[k for k in by_regency if k]).values_list("code", "name")
    )
    return {
        "year": year,
        "totals": {
            "orders": sum(c["orders"] for c in cells),
            "value": sum(c["value"] or 0 for c in cells),
        },
        "by_pesantren": _ranked(
            [
                {"id": k, "name": pesantren_names.get(k) or _("No pesantren"), **v}
                for k, v in by_pesantren.items()
            ]
        ),
        "by_regency": _ranked(
            [
                {"code": k, "name": regency_names.get(k) or _("Unknown"), **v}
                for k, v in by_regency.items()
            ]
        ),
        "by_pillar": [
            {"pillar": p.value, "name": str(p.label), **by_pillar.get(p.value, _zero())}
            for p in Pillar
        ],
        "by_month": [
            {"month": f"{year}-{m:02d}", **by_month.get(m, _zero())} for m in range(1, 13)
        ],
    }


def _zero() -> dict:
    return {"orders": 0, "value": 0}
