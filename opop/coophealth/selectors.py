"""Every cooperative-health read that depends on who is asking. Scope is the registry's:
`cooperatives_visible_to` decides which cooperatives a role sees; this module only narrows it.
"""

from __future__ import annotations

from django.db.models import QuerySet

from opop.accounts.access import Access
from opop.coophealth import status as health
from opop.coophealth.models import CooperativeReport, ReportImport
from opop.registry.models import Cooperative
from opop.registry.selectors import cooperatives_visible_to


def cooperatives_readable_by(access: Access) -> QuerySet[Cooperative]:
    if not access or not access.reads_coaching:
        return Cooperative.objects.none()
    return cooperatives_visible_to(access)


def cooperatives_reportable_by(access: Access) -> QuerySet[Cooperative]:
    """Whose reports `access` may type: staff who coach, in their scope, and a cooperative's
    own manager (the registry scope gives a manager their own pesantren's cooperatives)."""
    if not access or not (access.coaches or access.manages_cooperative):
        return Cooperative.objects.none()
    return cooperatives_visible_to(access)


def reports_of(cooperative: Cooperative) -> QuerySet[CooperativeReport]:
    return CooperativeReport.objects.filter(cooperative=cooperative).order_by("year")


def health_list(
    access: Access, *, regency: str = "", status: str = "", query: str = "", year: int
) -> QuerySet[Cooperative]:
    """The staff list: cooperatives in scope with their summary and latest report (one query)."""
    qs = cooperatives_readable_by(access).select_related(
        "pesantren__regency", "health__latest_report"
    )
    if regency:
        qs = qs.filter(pesantren__regency_id=regency)
    if status in health.STATUSES:
        qs = qs.filter(health.summary_q(status, year=year))
    if query:
        qs = qs.filter(name__icontains=query)
    return qs.order_by("pesantren__regency_id", "name", "id")


def imports_of(access: Access) -> QuerySet[ReportImport]:
    """An importer sees their own files; the programme admin sees every file of the programme."""
    if not access or not access.coaches:
        return ReportImport.objects.none()
    qs = ReportImport.objects.filter(programme_id=access.programme_id)
    if access.administers_programme:
        return qs
    return qs.filter(created_by=access.user)


def growth(previous: int | None, current: int | None) -> float | None:
    """Year-on-year change in percent; None when it means nothing (no base, or a base of 0 or
    below, as with an SHU loss)."""
    if previous is None or current is None or previous <= 0:
        return None
    return round(100 * (current - previous) / previous, 1)


GROWTH_FIELDS = ("members_total", "own_capital", "business_volume", "surplus", "assets")


def history_with_growth(reports) -> list[dict]:
    """Reports newest first, each with its change against the year before (if reported)."""
    by_year = {r.year: r for r in reports}
    rows = []
    for report in sorted(reports, key=lambda r: r.year, reverse=True):
        before = by_year.get(report.year - 1)
        rows.append(
            {
                "report": report,
                "growth": {
                    name: growth(getattr(before, name), getattr(report, name)) if before else None
                    for name in GROWTH_FIELDS
                },
            }
        )
    return rows


def reports_visible_to(access: Access) -> QuerySet[CooperativeReport]:
    """Yearly reports of the cooperatives `access` reads (the read API's list)."""
    return CooperativeReport.objects.filter(
        cooperative__in=cooperatives_readable_by(access).order_by().values("pk")
    )
