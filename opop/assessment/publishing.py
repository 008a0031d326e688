"""Publishing results, carrying passes forward, and appeals.

Part of the assessment services; call them as `opop.assessment.services.<name>`.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opop.accounts.models import Role, User
from opop.assessment import notices
from opop.assessment.dashboard_hook import curation_figures_changed
from opop.assessment.models import Appeal, Entry, Round, Stage
from opop.assessment.results import stage_results_compute
from opop.assessment.scoring import audit_status, locked_stage
from opop.common.audit import audit_record, audit_saved, snapshot
from opop.common.models import AuditEvent

DECIDABLE_OUTCOMES = (Entry.Outcome.PASSED, Entry.Outcome.NOT_PASSED)


def is_last_stage(stage: Stage) -> bool:
    return not Stage.objects.filter(round_id=stage.round_id, position__gt=stage.position).exists()


def _apply_curation(*, actor, stage: Stage, entries) -> None:
    curation_figures_changed(stage)  # decisions move the dashboard's backlog, any stage
    if stage.round.purpose != Round.Purpose.CURATION or not is_last_stage(stage):
        return
    from opop.catalog.curation import curation_apply

    for entry in entries:
        curation_apply(actor=actor, entry=entry)


@transaction.atomic
def stage_publish(*, actor, stage: Stage) -> Stage:
    """CLOSED → PUBLISHED: set outcomes, open the appeal window (round.appeal_days), notify each
    owner with per-criterion feedback and a wa.me share text, and for curation rounds on their
    last stage call `opop.catalog.curation.curation_apply(actor=, entry=)` per entry.

    Results are recomputed first, so a sheet resubmitted after the last recompute counts."""
    stage = locked_stage(stage)
    if stage.status != Stage.Status.CLOSED:
        raise ValidationError(_("Only a closed stage can be published."))
    summary = stage_results_compute(stage)
    before, now = snapshot(stage), timezone.now()
    stage.status, stage.published_at = Stage.Status.PUBLISHED, now
    stage.appeal_until = now + dt.timedelta(days=stage.round.appeal_days)
    stage.full_clean()
    stage.save(update_fields=["status", "published_at", "appeal_until", "updated_at"])
    decided = stage.entries.exclude(outcome=Entry.Outcome.WITHDRAWN)
    decided.update(decided_at=now)
    audit_status(stage, actor=actor, before=before, extra={"results": [None, summary]})
    criteria = {c.pk: c for c in stage.round.criteria.all()}
    entries = list(decided.select_related("owner", "product"))
    for entry in entries:
        entry.stage = stage
        if entry.owner is not None:
            notices.owner_result(entry=entry, criteria=criteria)
    _apply_curation(actor=actor, stage=stage, entries=entries)
    return stage


@transaction.atomic
def stage_advance(*, actor, stage: Stage) -> int:
    """Carry every PASSED entry of a published stage into the next stage (new entries linked by
    `previous`). Idempotent. Returns the number carried.

    A subject already put into the next stage by hand is not carried twice."""
    stage = locked_stage(stage)
    if stage.status != Stage.Status.PUBLISHED:
        raise ValidationError(_("Only entries of a published stage can be carried forward."))
    following = (
        Stage.objects.select_for_update(of=("self",))
        .filter(round_id=stage.round_id, position__gt=stage.position)
        .order_by("position")
        .first()
    )
    if following is None:
        raise ValidationError(_("This is the last stage of the round."))
    if following.status not in (Stage.Status.SETUP, Stage.Status.SCORING):
        raise ValidationError(_("The next stage is already closed."))
    taken = following.entries.values_list("product_id", "application_id", "enterprise_id")
    taken = set(taken)
    carried = [
        Entry(
            stage=following,
            title=entry.title,
            product_id=entry.product_id,
            application_id=entry.application_id,
            enterprise_id=entry.enterprise_id,
            pesantren_id=entry.pesantren_id,
            regency_id=entry.regency_id,
            owner_id=entry.owner_id,
            previous=entry,
            submitted_at=entry.submitted_at,  # keeps its place in the tie-breaks
        )
        for entry in stage.entries.filter(outcome=Entry.Outcome.PASSED, next_entry__isnull=True)
        if (entry.product_id, entry.application_id, entry.enterprise_id) not in taken
    ]
    Entry.objects.bulk_create(carried, batch_size=1000)
    curation_figures_changed(stage)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=following,
        programme_id=stage.round.programme_id,
        changes={"entries_carried": [None, len(carried)]},
        note=f"carried from stage {stage.pk}",
    )
    return len(carried)


@transaction.atomic
def appeal_submit(*, actor, entry: Entry, reason: str) -> Appeal:
    """The entry's owner appeals within the window; one pending appeal per entry."""
    entry = (
        Entry.objects.select_for_update(of=("self",))
        .select_related("stage__round__programme")
        .get(pk=entry.pk)
    )
    if getattr(actor, "pk", None) is None or actor.pk != entry.owner_id:
        raise ValidationError(_("Only the applicant of this entry may appeal."))
    stage = entry.stage
    if stage.status != Stage.Status.PUBLISHED or stage.appeal_until is None:
        raise ValidationError(_("Results are not published yet."))
    if timezone.now() > stage.appeal_until:
        raise ValidationError(_("The appeal window has closed."))
    if entry.appeals.filter(decision=Appeal.Decision.PENDING).exists():
        raise ValidationError(_("An appeal on this entry is already waiting for a decision."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Explain why you appeal.")})
    appeal = Appeal(entry=entry, submitted_by=actor, reason=reason)
    appeal.full_clean()
    appeal.save()
    audit_saved(appeal, actor=actor, before=None, programme_id=stage.round.programme_id)
    admins = User.objects.filter(
        memberships__programme_id=stage.round.programme_id,
        memberships__role=Role.ADMIN,
        memberships__is_active=True,
        is_active=True,
    ).distinct()
    notices.admins_appeal_received(appeal=appeal, admins=admins)
    return appeal


@transaction.atomic
def appeal_decide(
    *, actor, appeal: Appeal, decision: str, note: str, outcome: str | None = None
) -> Appeal:
    """Admin upholds (optionally changing the outcome; curation outcome follows) or dismisses,
    with a note; logged and the owner notified."""
    appeal = (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("entry__stage__round__programme", "entry__owner", "entry__product")
        .get(pk=appeal.pk)
    )
    if appeal.decision != Appeal.Decision.PENDING:
        raise ValidationError(_("This appeal has already been decided."))
    if decision not in (Appeal.Decision.UPHELD, Appeal.Decision.DISMISSED):
        raise ValidationError({"decision": _("Uphold or dismiss the appeal.")})
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Explain the decision to the applicant.")})
    if outcome and (decision != Appeal.Decision.UPHELD or outcome not in DECIDABLE_OUTCOMES):
        raise ValidationError({"outcome": _("Only an upheld appeal can change the result.")})
    owner, stage = appeal.entry.owner, appeal.entry.stage
    entry = Entry.objects.select_for_update(of=("self",)).get(pk=appeal.entry_id)
    entry.stage, entry.owner = stage, owner
    before = snapshot(appeal)
    appeal.decision, appeal.decision_note = decision, note
    appeal.decided_by, appeal.decided_at = actor, timezone.now()
    appeal.outcome_before = entry.outcome
    appeal.outcome_after = outcome or entry.outcome
    appeal.entry = entry
    appeal.full_clean()
    appeal.save()
    programme_id = stage.round.programme_id
    audit_saved(appeal, actor=actor, before=before, programme_id=programme_id)
    if appeal.outcome_after != appeal.outcome_before:
        entry.outcome, entry.decided_at = appeal.outcome_after, appeal.decided_at
        entry.save(update_fields=["outcome", "decided_at", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=entry,
            programme_id=programme_id,
            changes={"outcome": [appeal.outcome_before, appeal.outcome_after]},
            note=f"appeal {appeal.pk} upheld",
        )
        _apply_curation(actor=actor, stage=stage, entries=[entry])
    if owner is not None:
        notices.owner_appeal_decided(appeal=appeal)
    return appeal
