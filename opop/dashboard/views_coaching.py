"""`/dashboard/coaching/?year=`: the coaching figures (issue 5, point 8) as cards and one table
by kab/kota, scoped like `/dashboard/`. The figures come from `opop.dashboard.coaching`."""

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from opop.accounts.decorators import require_access
from opop.accounts.models import Role
from opop.dashboard import selectors
from opop.dashboard.coaching import COLUMNS, coaching_figures
from opop.dashboard.views import parse_year
from opop.milestones.selectors import reads_queue


@require_GET
@require_access("reads_dashboard")
def coaching_dashboard(request):
    access = request.access
    year = parse_year(request.GET.get("year")) or selectors.dashboard_default_year()
    figures = coaching_figures(access, year=year)
    columns = [
        {"key": key, "label": label, "money": money}
        for key, _section, label, money in COLUMNS
        if key in figures["columns"]
    ]

    def cells(row: dict) -> list[dict]:
        return [{"value": row[c["key"]], "money": c["money"]} for c in columns]

    return render(
        request,
        "dashboard/coaching.html",
        {
            "figures": figures,
            "columns": columns,
            "rows": [{"row": row, "cells": cells(row)} for row in figures["regencies"]],
            "totals": cells(figures["totals"]),
            "years": selectors.dashboard_years(access, year=year),
            "links": _links(access, figures),
        },
    )


def _links(access, figures: dict) -> dict[str, str]:
    """Each section's own page, where the role may open it (a card without one has no link)."""
    links = {}
    if figures["training"] is not None:
        if access.organises_training:
            links["training"] = reverse("training:sessions")
        elif access.role in (Role.PARTICIPANT, Role.MANAGER):
            links["training"] = reverse("training:my")
    if figures["certifications"] is not None and access.reads_coaching:
        links["certifications"] = reverse("certtracker:board")
    if figures["grants"] is not None:
        links["grants"] = reverse("grants:home")
    if figures["cooperatives"] is not None:
        links["cooperatives"] = reverse("registry:cooperative_list")
    if figures["levels"] is not None and access.role != Role.PARTNER:
        progress = reads_queue(access)
        links["levels"] = reverse("milestones:progress" if progress else "milestones:index")
    if figures["health"] is not None:
        links["health"] = reverse("coophealth:list")
    if figures["visits"] is not None:
        links["visits"] = reverse("visits:list")
    return links
