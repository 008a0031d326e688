"""Active, inactive or no report: derived from the reports, never typed in.

A cooperative is *active* when a report for last year or this year shows an RAT held and some
business done; *inactive* when it reported for one of those years but without both; *no report*
when it filed nothing for them. The summary row stores only the years this depends on, so the
status moves on by itself when a new year starts.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ACTIVE, INACTIVE, NO_REPORT = "active", "inactive", "no_report"
STATUSES = (ACTIVE, INACTIVE, NO_REPORT)
LABELS = {ACTIVE: _("Active"), INACTIVE: _("Inactive"), NO_REPORT: _("No report")}


def this_year() -> int:
    return timezone.localdate().year


def status_from(latest_year: int | None, latest_active_year: int | None, *, year: int) -> str:
    """The status as of `year` from the two summary years (what the stored row keeps)."""
    if latest_active_year is not None and latest_active_year >= year - 1:
        return ACTIVE
    if latest_year is not None and latest_year >= year - 1:
        return INACTIVE
    return NO_REPORT


def status_of_reports(reports: Iterable, *, year: int) -> str:
    """The status as of `year` from the reports themselves (reports after `year` are ignored)."""
    recent = [r for r in reports if year - 1 <= r.year <= year]
    if any(r.is_active for r in recent):
        return ACTIVE
    return INACTIVE if recent else NO_REPORT


def summary_years(reports: Iterable) -> tuple[int | None, int | None]:
    reports = list(reports)
    latest = max((r.year for r in reports), default=None)
    active = max((r.year for r in reports if r.is_active), default=None)
    return latest, active


def summary_q(status: str, *, year: int, prefix: str = "health__") -> Q:
    """Filter cooperatives (or summaries, prefix "") by status using the stored summary."""
    active = Q(**{f"{prefix}latest_active_year__gte": year - 1})
    reported = Q(**{f"{prefix}latest_year__gte": year - 1})
    if status == ACTIVE:
        return active
    if status == INACTIVE:
        return reported & ~active
    return ~reported


def reports_q(report_model, *, year: int) -> tuple[Exists, Exists]:
    """`Exists` annotations for cooperatives as of any `year` (the dashboard's past years)."""
    recent = report_model.objects.filter(
        cooperative_id=OuterRef("pk"), year__gte=year - 1, year__lte=year
    )
    return (
        Exists(recent.filter(rat_date__isnull=False, business_volume__gt=0)),
        Exists(recent),
    )
