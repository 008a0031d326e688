"""Scoring: juror scoresheets, closing a stage, recomputing results, sending a sheet back.

Part of the assessment services; call them as `opop.assessment.services.<name>`.

Independence: a juror's scoresheet is written here and read back only by that juror (see
`selectors`); nothing here returns or tells anyone another juror's scores.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opop.assessment import aggregation, notices
from opop.assessment.dashboard_hook import curation_figures_changed
from opop.assessment.models import Assignment, Juror, Round, Score, Stage
from opop.assessment.results import stage_results_compute
from opop.common.audit import audit_record, snapshot
from opop.common.models import AuditEvent


def locked_stage(stage: Stage) -> Stage:
    return (
        Stage.objects.select_for_update(of=("self",))
        .select_related("round__programme")
        .get(pk=stage.pk)
    )


def audit_status(stage: Stage, *, actor, before: dict, note: str = "", extra=None) -> None:
    changes = {"status": [before["status"], stage.status], **(extra or {})}
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=stage,
        programme_id=stage.round.programme_id,
        changes=changes,
        note=note,
    )


def _parse_value(raw, *, criterion_id: int, rnd: Round) -> Decimal:
    field = f"score_{criterion_id}"
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation:
        raise ValidationError({field: _("Enter a number.")}) from None
    if not value.is_finite() or value.as_tuple().exponent < -2:
        raise ValidationError({field: _("Enter a number with at most two decimals.")})
    if not rnd.scale_min <= value <= rnd.scale_max:
        raise ValidationError(
            {
                field: _("Give a score from %(min)s to %(max)s.")
                % {"min": rnd.scale_min, "max": rnd.scale_max}
            }
        )
    return value


def _check_sheet_editable(assignment: Assignment, actor) -> None:
    if getattr(actor, "pk", None) != assignment.juror.user_id or not assignment.juror.is_active:
        raise ValidationError(_("Only the juror assigned to this entry may score it."))
    if assignment.submitted_at is not None:
        raise ValidationError(_("This scoresheet was submitted and is sealed."))
    status = assignment.stage.status
    reopened = status == Stage.Status.CLOSED and assignment.reopened_at is not None
    if status != Stage.Status.SCORING and not reopened:
        raise ValidationError(_("Scoring is not open for this stage."))


def _store_scores(assignment, criteria, values, comments) -> dict[str, list]:
    """Upsert the sheet's Score rows; returns the audit changes."""
    existing = {score.criterion_id: score for score in assignment.scores.all()}
    changes: dict[str, list] = {}
    for cid, value in values.items():
        score = existing.get(cid)
        comment = (comments.get(cid) or "").strip()
        if value is None:
            if score is not None:
                changes[f"score_{cid}"] = [str(score.value), None]
                score.delete()
            continue
        if score is None:
            score = Score(assignment=assignment, criterion=criteria[cid])
        old = (str(score.value) if score.pk else None, score.comment)
        score.value, score.comment = value, comment
        score.full_clean(
            exclude=["assignment", "criterion"], validate_unique=False, validate_constraints=False
        )
        score.save()
        if old != (str(value), comment):
            changes[f"score_{cid}"] = [old[0], str(value)]
    return changes


@transaction.atomic
def scoresheet_save(
    *,
    actor,
    assignment: Assignment,
    values: dict[int, Any],
    comments: dict[int, str] | None = None,
    submit: bool = False,
    visited_on=None,
    visit_notes: str = "",
) -> Assignment:
    """A juror saves (draft) or submits their scores {criterion id: value}. Only the assigned
    juror (`actor == assignment.juror.user`), only while the stage is SCORING, only before
    submission. Submitting needs every criterion scored within the scale (and, in a field visit
    stage, the visit date). Sets `assignment.total` (weighted, on the round's scale).

    A value of None or "" clears that criterion in a draft. A sheet the chair sent back
    (`reopened_at`) may be saved while the stage is CLOSED."""
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("juror", "stage__round", "entry")
        .get(pk=assignment.pk)
    )
    _check_sheet_editable(assignment, actor)
    stage, rnd = assignment.stage, assignment.stage.round
    criteria = {c.pk: c for c in rnd.criteria.all()}
    comments = {int(k): v for k, v in (comments or {}).items()}
    parsed: dict[int, Decimal | None] = {}
    for key, raw in values.items():
        cid = int(key)
        if cid not in criteria:
            raise ValidationError(_("This criterion is not part of the round's rubric."))
        blank = raw is None or (isinstance(raw, str) and not raw.strip())
        parsed[cid] = None if blank else _parse_value(raw, criterion_id=cid, rnd=rnd)
    if stage.kind == Stage.Kind.FIELD_VISIT:
        assignment.visited_on = visited_on or assignment.visited_on
        assignment.visit_notes = visit_notes.strip() or assignment.visit_notes
    before = snapshot(assignment, ["total", "submitted_at", "visited_on"])
    changes = _store_scores(assignment, criteria, parsed, comments)
    sheet = dict(assignment.scores.values_list("criterion_id", "value"))
    complete = all(cid in sheet for cid in criteria)
    if submit:
        _check_submittable(assignment, stage, criteria, sheet)
    weights = {cid: c.weight for cid, c in criteria.items()}
    assignment.total = (
        aggregation.rounded(aggregation.weighted_total(sheet, weights)) if complete else None
    )
    now = timezone.now()
    assignment.saved_at = now
    if submit:
        assignment.submitted_at = now
        curation_figures_changed(stage)  # "submitted" becomes "in review"
    assignment.full_clean(validate_unique=False, validate_constraints=False)
    assignment.save()
    for name, value in snapshot(assignment, ["total", "submitted_at", "visited_on"]).items():
        if value != before[name]:
            changes[name] = [before[name], value]
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=assignment,
        programme_id=rnd.programme_id,
        changes=changes,
        note="scoresheet submitted" if submit else "scoresheet draft",
    )
    return assignment


def _check_submittable(assignment, stage, criteria, sheet) -> None:
    missing = {
        f"score_{cid}": _("Score this criterion before submitting.")
        for cid in criteria
        if cid not in sheet
    }
    if missing:
        raise ValidationError(missing)
    if stage.kind == Stage.Kind.FIELD_VISIT:
        if assignment.visited_on is None:
            raise ValidationError({"visited_on": _("Give the date of the field visit.")})
        if assignment.visited_on > timezone.localdate():
            raise ValidationError({"visited_on": _("The visit date cannot be in the future.")})


@transaction.atomic
def stage_close(*, actor, stage: Stage) -> Stage:
    """SCORING → CLOSED: aggregate (see aggregation.py), rank, apply the cut-off, flag outliers.
    Unsubmitted assignments are ignored (and reported on the ranking page)."""
    stage = locked_stage(stage)
    if stage.status != Stage.Status.SCORING:
        raise ValidationError(_("Only a stage in scoring can be closed."))
    before = snapshot(stage)
    stage.status, stage.closed_at = Stage.Status.CLOSED, timezone.now()
    stage.full_clean()
    stage.save(update_fields=["status", "closed_at", "updated_at"])
    summary = stage_results_compute(stage)
    audit_status(stage, actor=actor, before=before, extra={"results": [None, summary]})
    if summary["outliers"]:
        chairs = Juror.objects.filter(round=stage.round, is_chair=True, is_active=True)
        notices.chairs_outliers(
            stage=stage, chairs=chairs.select_related("user"), outliers=summary["outliers"]
        )
    return stage


@transaction.atomic
def stage_recompute(*, actor, stage: Stage) -> Stage:
    """Re-run aggregation/ranking/cut-off on a CLOSED stage (after the chair changes the cut-off
    or excludes an outlier by reopening a scoresheet)."""
    stage = locked_stage(stage)
    if stage.status != Stage.Status.CLOSED:
        raise ValidationError(_("Results can only be recomputed while the stage is closed."))
    summary = stage_results_compute(stage)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=stage,
        programme_id=stage.round.programme_id,
        changes={"results": [None, summary]},
        note="results recomputed",
    )
    return stage


@transaction.atomic
def scoresheet_reopen(*, actor, assignment: Assignment, reason: str) -> Assignment:
    """The chair (admin) sends a flagged scoresheet back to its juror while the stage is CLOSED
    (stage returns to SCORING for that juror only; audited with the reason).

    The sheet no longer counts until it is resubmitted: recompute to see the results without
    it (publishing recomputes too)."""
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("stage__round", "juror__user", "entry")
        .get(pk=assignment.pk)
    )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the scoresheet is sent back.")})
    if assignment.stage.status != Stage.Status.CLOSED:
        raise ValidationError(_("Scoresheets can only be sent back while the stage is closed."))
    if assignment.submitted_at is None:
        raise ValidationError(_("This scoresheet has not been submitted."))
    before = snapshot(assignment, ["submitted_at", "reopened_at"])
    assignment.submitted_at, assignment.reopened_at = None, timezone.now()
    assignment.save(update_fields=["submitted_at", "reopened_at"])
    after = snapshot(assignment, ["submitted_at", "reopened_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=assignment,
        programme_id=assignment.stage.round.programme_id,
        changes={name: [before[name], after[name]] for name in before},
        note=f"reopened: {reason}",
    )
    notices.juror_sheet_reopened(assignment=assignment, reason=reason)
    return assignment
