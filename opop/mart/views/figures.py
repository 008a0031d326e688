"""`/mart/figures/`: OPOP Mart sales of the programme (or of an officer's kab/kota)."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from opop.accounts.decorators import require_access
from opop.mart.figures import TOP_PESANTREN, mart_figures
from opop.mart.forms_seller import FiguresFilter


def _figures(request, **options) -> dict:
    year = FiguresFilter(request.GET).year_or_current()
    return mart_figures(request.access, year=year, **options)


@require_access("reads_dashboard")
def figures_page(request):
    figures = _figures(request, top_pesantren=TOP_PESANTREN)
    chart = {
        "labels": [row["month"] for row in figures["by_month"]],
        "values": [row["value"] for row in figures["by_month"]],
        "orders": [row["orders"] for row in figures["by_month"]],
        "value_label": _("Sales (Rp)"),
        "orders_label": _("Orders"),
    }
    scope = (
        _("Whole programme")
        if request.access.is_programme_wide
        else (request.access.membership.regency or _("Your scope"))
    )
    context = {
        "figures": figures,
        "chart": chart,
        "scope": scope,
        "form": FiguresFilter(request.GET),
    }
    return render(request, "mart/figures.html", context)


@require_access("reads_dashboard")
def figures_json(request):
    return JsonResponse(_figures(request))
