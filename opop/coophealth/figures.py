"""Cooperative health on the dashboard (issue 5, point 8): cooperatives active, inactive and
without a report by kab/kota as of a year, and members, business volume and SHU by year.
Two grouped queries whatever the number of cooperatives; scope is the registry's."""

from __future__ import annotations

from django.db.models import Count, Q, Sum

from opop.coophealth.models import CooperativeReport
from opop.coophealth.selectors import cooperatives_readable_by
from opop.coophealth.status import reports_q


def dashboard_figures(access, *, year: int) -> dict:
    coops = cooperatives_readable_by(access)
    active, recent = reports_q(CooperativeReport, year=year)
    rows = (
        coops.annotate(is_active=active, has_recent=recent)
        .values("pesantren__regency_id", "pesantren__regency__name")
        .annotate(
            total=Count("pk"),
            active=Count("pk", filter=Q(is_active=True)),
            reported=Count("pk", filter=Q(has_recent=True)),
        )
        .order_by("pesantren__regency_id")
    )
    by_regency = []
    totals = {"total": 0, "active": 0, "inactive": 0, "no_report": 0}
    for row in rows:
        figures = {
            "total": row["total"],
            "active": row["active"],
            "inactive": row["reported"] - row["active"],
            "no_report": row["total"] - row["reported"],
        }
        for key, value in figures.items():
            totals[key] += value
        by_regency.append(
            {
                "regency_code": row["pesantren__regency_id"],
                "regency": row["pesantren__regency__name"],
                **figures,
            }
        )
    by_year = list(
        CooperativeReport.objects.filter(cooperative__in=coops.values("pk"), year__lte=year)
        .values("year")
        .annotate(
            reports=Count("pk"),
            members=Sum("members_total"),
            members_women=Sum("members_women"),
            business_volume=Sum("business_volume"),
            surplus=Sum("surplus"),
            rat_held=Count("pk", filter=Q(rat_date__isnull=False)),
        )
        .order_by("year")
    )
    return {
        "year": year,
        "cooperatives": totals,
        "by_regency": by_regency,
        "by_year": by_year,
    }
