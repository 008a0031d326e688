"""What a published curation result makes of a product: a Curation with a grade and a validity
period, or the revocation of one. Called through `opop.catalog.curation.curation_apply`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from opop.assessment.models import Entry, Round, default_grade_bands
from opop.catalog.models import Curation
from opop.common.audit import audit_record, diff, snapshot
from opop.common.models import AuditEvent
from opop.dashboard.services import dashboard_mark_stale


def add_months(day: date, months: int) -> date:
    """`day` plus whole months; the 31st becomes the last day of a shorter month."""
    return day + relativedelta(months=months)


def grade_for(round: Round, score: Decimal | None) -> str:
    """The grade of a final score, by its share of the round's scale span (see grade_bands)."""
    bands = round.grade_bands or default_grade_bands()
    ordered = sorted(bands.items(), key=lambda item: Decimal(str(item[1])), reverse=True)
    span = Decimal(round.scale_max - round.scale_min)
    value = Decimal(score) if score is not None else Decimal(round.scale_min)
    share = (value - round.scale_min) / span * 100 if span > 0 else Decimal(0)
    for grade, threshold in ordered:
        if share >= Decimal(str(threshold)):
            return str(grade)[:2]
    return str(ordered[-1][0])[:2]  # a pass below every band still gets the lowest grade


@transaction.atomic
def curation_apply(*, actor, entry: Entry) -> Curation | None:
    """Make a published curation result count: PASSED → Curation, NOT_PASSED → revoked.

    Called by the assessment engine when a curation round's last stage is published, and again
    after an upheld appeal. Idempotent: a second call changes nothing, and a pass that is
    already in force keeps its dates (only grade and score follow a recomputed score). The
    engine notifies the entry's owner, so nothing is sent from here.
    """
    entry = Entry.objects.select_related("stage__round").get(pk=entry.pk)
    round = entry.stage.round
    if entry.product_id is None or round.purpose != Round.Purpose.CURATION:
        return None
    curation = Curation.objects.select_for_update(of=("self",)).filter(entry=entry).first()
    # The dashboard counts curated products from its summaries: ask for a recount.
    dashboard_mark_stale(programme_id=round.programme_id)
    if entry.outcome == Entry.Outcome.PASSED:
        return _grant(actor=actor, entry=entry, round=round, curation=curation)
    if entry.outcome in (Entry.Outcome.NOT_PASSED, Entry.Outcome.WITHDRAWN) and curation:
        return _revoke(actor=actor, curation=curation, round=round)
    return curation


def _grant(*, actor, entry: Entry, round: Round, curation: Curation | None) -> Curation:
    today = timezone.localdate()
    score = entry.final_score if entry.final_score is not None else Decimal(round.scale_min)
    values = {"grade": grade_for(round, entry.final_score), "score": score}
    if curation is None or curation.revoked_at is not None:
        values |= {
            "valid_from": today,
            "valid_until": add_months(today, round.validity_months),
            "revoked_at": None,
        }
    before = snapshot(curation) if curation else None
    curation = curation or Curation(product_id=entry.product_id, entry=entry)
    for name, value in values.items():
        setattr(curation, name, value)
    if before is not None and not diff(before, snapshot(curation)):
        return curation
    curation.full_clean()
    curation.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE if before is None else AuditEvent.Action.UPDATE,
        instance=curation,
        programme_id=round.programme_id,
        changes=diff(before or {}, snapshot(curation)),
        note=f"product {entry.product_id}, entry {entry.pk}",
    )
    return curation


def _revoke(*, actor, curation: Curation, round: Round) -> Curation:
    if curation.revoked_at is not None:
        return curation
    before = snapshot(curation)
    curation.revoked_at = timezone.now()
    curation.save(update_fields=["revoked_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=curation,
        programme_id=round.programme_id,
        changes=diff(before, snapshot(curation)),
        note=f"revoked: product {curation.product_id}, entry {curation.entry_id}",
    )
    return curation
