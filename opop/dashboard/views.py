from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from opop.accounts.decorators import require_access
from opop.dashboard import selectors, services
from opop.mart.figures import mart_figures
from opop.programmes.models import Pillar

# Pesantren listed on the dashboard's OPOP Mart card; the figures page lists more.
SALES_TOP = 5


def parse_year(raw: str | None) -> int | None:
    """The `?year=` asked for, or None when it is missing or not a sensible year."""
    try:
        year = int(raw or "")
    except ValueError:
        return None
    return year if selectors.MIN_YEAR <= year <= selectors.MAX_YEAR else None


def figures_for(access, year: int):
    """The dashboard for `access` and `year`, counting the summaries first if never counted."""
    state = None
    if selectors.uses_summary(access):
        state = services.dashboard_ensure_computed(programme_id=access.programme_id)
    return selectors.dashboard_for(access, year=year, state=state)


@require_GET
@require_access("reads_dashboard")
def programme_dashboard(request):
    access = request.access
    year = parse_year(request.GET.get("year")) or selectors.dashboard_default_year()
    dashboard = figures_for(access, year)
    chart = {
        "labels": [row.label for row in dashboard.regencies],
        "series": [
            {
                "key": p.value,
                "label": str(p.label),
                "data": [r.pillars[p] for r in dashboard.regencies],
            }
            for p in selectors.PILLARS
        ]
        + [
            {
                "key": "cooperatives",
                "label": _("Cooperatives"),
                "data": [r.cooperatives for r in dashboard.regencies],
            },
            {
                "key": "pesantren",
                "label": _("Pesantren"),
                "data": [r.pesantren for r in dashboard.regencies],
            },
        ],
    }
    sales = mart_figures(access, year=year, top_pesantren=SALES_TOP)
    return render(
        request,
        "dashboard/programme.html",
        {
            "dashboard": dashboard,
            "sales": sales,
            "sales_months": _month_bars(sales["by_month"]),
            "years": selectors.dashboard_years(access, year=year),
            "chart": chart,
            # Horizontal bars: one line per kab/kota, so 38 of them stay readable on a phone.
            "chart_height": max(160, 22 * len(dashboard.regencies) + 40),
            "pillar_labels": dict(Pillar.choices),
        },
    )


def _month_bars(months: list[dict]) -> list[dict]:
    """Each month with its bar height, 0–100 % of the best month."""
    best = max((month["value"] for month in months), default=0) or 1
    return [{**month, "bar": 100 * month["value"] / best} for month in months]
