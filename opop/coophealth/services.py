"""Every cooperative-health write: a yearly report saved (created or updated, audited with its
changes) and the cooperative's summary row rewritten in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from opop.common.audit import audit_record, diff, snapshot
from opop.common.models import AuditEvent
from opop.coophealth.models import CooperativeHealth, CooperativeReport
from opop.coophealth.status import summary_years
from opop.registry.models import Cooperative

# What a report save may set; everything else (programme, cooperative, who, when) is ours.
REPORT_FIELDS = (
    "members_total",
    "members_women",
    "own_capital",
    "external_capital",
    "business_volume",
    "surplus",
    "rat_date",
    "assets",
)
CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


@dataclass(frozen=True)
class Saved:
    report: CooperativeReport
    outcome: str  # CREATED, UPDATED or UNCHANGED


@transaction.atomic
def report_save(
    *,
    actor,
    cooperative: Cooperative,
    year: int,
    data: dict,
    source: str = CooperativeReport.Source.FORM,
    keep_blank: bool = False,
) -> Saved:
    """Create the cooperative's report for `year`, or update the one it already has.

    The caller has checked that `actor` may report for `cooperative` (selectors). `keep_blank`
    (imports) leaves a stored optional value as it is when `data` has none for it. Saving the
    same figures again changes nothing and writes no audit row.
    """
    # Saves of one cooperative queue behind each other, so the summary is never stale.
    Cooperative.objects.select_for_update(of=("self",)).filter(pk=cooperative.pk).first()
    report = CooperativeReport.objects.filter(cooperative=cooperative, year=year).first()
    created = report is None
    if created:
        report = CooperativeReport(
            programme_id=cooperative.programme_id,
            cooperative=cooperative,
            year=year,
            source=source,
            created_by=actor,
        )
    before = snapshot(report, REPORT_FIELDS)
    for name in REPORT_FIELDS:
        value = data.get(name)
        if value is None and keep_blank and not created:
            continue
        setattr(report, name, value)
    after = snapshot(report, REPORT_FIELDS)
    if not created and before == after:
        return Saved(report, UNCHANGED)
    report.updated_by = actor
    if not created:
        report.source = source
    report.full_clean()
    report.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        instance=report,
        changes=diff({} if created else before, after),
        note=f"{cooperative.pk}:{year} ({source})",
    )
    health_refresh(cooperative=cooperative)
    return Saved(report, CREATED if created else UPDATED)


def health_refresh(*, cooperative: Cooperative) -> CooperativeHealth:
    """Rewrite the cooperative's summary from its reports (a cooperative has a few dozen)."""
    reports = list(
        CooperativeReport.objects.filter(cooperative=cooperative).only(
            "id", "year", "rat_date", "business_volume"
        )
    )
    latest_year, active_year = summary_years(reports)
    latest = max(reports, key=lambda r: r.year, default=None)
    summary, _ = CooperativeHealth.objects.update_or_create(
        cooperative=cooperative,
        defaults={
            "programme_id": cooperative.programme_id,
            "latest_report": latest,
            "latest_year": latest_year,
            "latest_active_year": active_year,
            "report_count": len(reports),
        },
    )
    return summary
