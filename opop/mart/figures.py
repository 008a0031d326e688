"""OPOP Mart figures for the programme (issue 4, point 10): sales value and orders by pesantren,
by kab/kota, by pillar and by month. What counts, and where an order belongs, is written down
in `opop.mart.sales`.

Where the figures come from, as on the dashboard (`opop.dashboard.selectors`): programme-wide
roles and regional officers read the summary rows (`SalesCount`, an officer's filtered by their
kab/kota); facilitators, managers and participants see a few sellers, counted live from their
orders with the same grouping. Either way the cells are (pesantren, kab/kota, pillar, month),
and the four breakdowns are folded from those cells, so they always add up to the same totals.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import connection
from django.db.models import Count, QuerySet, Sum, Window
from django.utils.translation import gettext as _

from opop.accounts.models import Role
from opop.mart.models import Order, SalesCount
from opop.mart.sales import SOLD, sales_cells
from opop.programmes.models import Pillar
from opop.regions.models import Region
from opop.registry.models import Pesantren
from opop.registry.selectors import enterprises_visible_to

# Rows of the pesantren breakdown shown on pages; the JSON carries them all.
TOP_PESANTREN = 25


def orders_in_scope(access) -> QuerySet[Order]:
    """Programme-wide for admins, auditors and partners; an officer's kab/kota; otherwise the
    enterprises the role may see in the registry (a facilitator's pesantren, a manager's own)."""
    if not access or not access.reads_dashboard:
        return Order.objects.none()
    orders = Order.objects.filter(programme_id=access.programme_id, status__in=SOLD)
    if access.is_programme_wide:
        return orders
    return orders.filter(seller_id__in=enterprises_visible_to(access).order_by().values("pk"))


def summary_regency(access) -> str | None:
    """ "" for the programme's summary rows, an officer's regency code, None to count live."""
    if access.is_programme_wide:
        return ""
    if access.role == Role.OFFICER:
        return access.regency_code or None
    return None


def _breakdowns(access, year: int, top: int | None) -> tuple[list[dict], list[dict], int]:
    """The year's cells by (month, kab/kota, pillar), the pesantren ranked by sales (the best
    `top` of them, or all), and how many pesantren sold.

    Summary rows are grouped in SQL: a programme's year has ~75,000 of them at `large`, too many
    to fold in Python on every dashboard request. Live counts are a few sellers' orders.
    """
    regency = summary_regency(access)
    if regency is None:
        cells = [
            cell
            for cell in sales_cells(orders_in_scope(access).filter(paid_at__year=year))
            if cell["orders"] or cell["value"]
        ]
        ranked = sorted(
            _fold(cells, "pesantren_key").items(),
            key=lambda item: (-item[1]["value"], -item[1]["orders"]),
        )
        shown = ranked if top is None else ranked[:top]
        names = dict(
            Pesantren.objects.filter(pk__in=[k for k, _v in shown if k]).values_list("pk", "name")
        )
        return cells, [{"id": k, "name": names.get(k), **v} for k, v in shown], len(ranked)
    rows = SalesCount.objects.filter(programme_id=access.programme_id, year=year).exclude(
        orders=0, value=0
    )
    if regency:
        rows = rows.filter(regency_code=regency)
    sums = {"orders": Sum("orders"), "value": Sum("value")}
    cells = list(rows.values("month", "regency_code", "pillar").annotate(**sums).order_by())
    # `sold` (how many pesantren sold) rides along on each ranked row as a window over the groups.
    pesantren = (
        rows.values("pesantren_key")
        .annotate(**sums, sold=Window(Count("*")))
        .order_by("-value", "-orders", "pesantren_key")
    )
    if top is not None:
        pesantren = pesantren[:top]
    ranked = _with_pesantren_names(pesantren)
    return cells, ranked, ranked[0]["sold"] if ranked else 0


def _with_pesantren_names(ranked_groups) -> list[dict]:
    """The ranked groups with their pesantren's name, in one query: the names are joined after
    the LIMIT, so only the pesantren shown are looked up, not every one that sold."""
    sql, params = ranked_groups.query.sql_with_params()
    table = connection.ops.quote_name(Pesantren._meta.db_table)
    # Only the ORM's own compiled SQL and a quoted table name are interpolated; values are params.
    with connection.cursor() as cursor:
        query = (
            f"SELECT r.pesantren_key, r.orders, r.value, r.sold, p.name FROM ({sql}) r "  # noqa: S608
            f"LEFT JOIN {table} p ON p.id = r.pesantren_key "
            "ORDER BY r.value DESC, r.orders DESC, r.pesantren_key"
        )
        cursor.execute(query, params)
        return [
            {"id": key, "orders": orders, "value": value or 0, "sold": sold, "name": name}
            for key, orders, value, sold, name in cursor.fetchall()
        ]


def _fold(cells, key) -> dict:
    folded: dict = defaultdict(lambda: {"orders": 0, "value": 0})
    for cell in cells:
        row = folded[cell[key]]
        row["orders"] += cell["orders"]
        row["value"] += cell["value"] or 0
    return folded


def _ranked(rows: list[dict]) -> list[dict]:
    return sorted(rows, key=lambda row: (-row["value"], -row["orders"], row["name"]))


def mart_figures(access, *, year: int, top_pesantren: int | None = None) -> dict:
    """The year's figures for `access`; `top_pesantren` keeps only the best-selling pesantren
    (`pesantren_count` still says how many sold)."""
    if not access or not access.reads_dashboard:
        raise PermissionError("no mart figures for this access")
    cells, top, pesantren_count = _breakdowns(access, year, top_pesantren)
    by_regency = _fold(cells, "regency_code")
    by_pillar = _fold(cells, "pillar")
    by_month = _fold(cells, "month")
    regency_names = dict(
        Region.objects.filter(code__in=[k for k in by_regency if k]).values_list("code", "name")
    )
    return {
        "year": year,
        "totals": {
            "orders": sum(c["orders"] for c in cells),
            "value": sum(c["value"] or 0 for c in cells),
        },
        "pesantren_count": pesantren_count,
        "by_pesantren": _ranked(
            [
                {**row, "id": row["id"] or None, "name": row["name"] or _("No pesantren")}
                for row in top
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
