"""Setting a round up: the round, its rubric, its stages, and opening a stage for scoring.

Part of the assessment services; call them as `opop.assessment.services.<name>`.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from opop.assessment import notices
from opop.assessment.models import Criterion, Juror, Round, Stage
from opop.common.audit import audit_record, audit_saved, diff, snapshot
from opop.common.models import AuditEvent

ROUND_FIELDS = {
    "name",
    "description",
    "purpose",
    "year",
    "pillar",
    "scale_min",
    "scale_max",
    "jurors_per_entry",
    "trim_from",
    "outlier_share",
    "validity_months",
    "appeal_days",
    "grade_bands",
}
CRITERION_FIELDS = {"name", "guidance", "weight", "position"}
STAGE_FIELDS = {"name", "kind", "position", "cutoff_score", "quota", "scoring_closes_on"}
SCALE_LIMIT = 100  # Score.value holds at most 999.99; a rubric beyond 0–100 is a typing error
OPEN_FOR_ENTRIES = (Stage.Status.SETUP, Stage.Status.SCORING)


def save_audited(instance, *, actor, before: dict | None, programme_id: int):
    instance.full_clean()
    instance.save()
    audit_saved(instance, actor=actor, before=before, programme_id=programme_id)
    return instance


def _apply(instance, data: dict[str, Any], allowed: set[str]) -> None:
    unknown = set(data) - allowed
    if unknown:
        raise ValueError(f"unexpected fields: {sorted(unknown)}")
    for name, value in data.items():
        setattr(instance, name, value)


def rubric_is_frozen(round: Round) -> bool:
    """True once any stage has left SETUP: scores exist against the scale and criteria."""
    return round.stages.exclude(status=Stage.Status.SETUP).exists()


def _check_grade_bands(bands) -> None:
    message = _('Grades are a letter and the lowest percentage for it, e.g. {"A": 85, "B": 0}.')
    if not isinstance(bands, dict) or not bands:
        raise ValidationError({"grade_bands": message})
    for grade, floor in bands.items():
        if not (isinstance(grade, str) and 1 <= len(grade) <= 2):
            raise ValidationError({"grade_bands": message})
        if isinstance(floor, bool) or not isinstance(floor, int) or not 0 <= floor <= 100:
            raise ValidationError({"grade_bands": message})


@transaction.atomic
def round_save(*, actor, programme, data: dict[str, Any], instance: Round | None = None) -> Round:
    """Create or edit a round (name, purpose, year, pillar, scale, jurors_per_entry, trim_from,
    outlier_share, validity_months, appeal_days, grade_bands). The scale and criteria are frozen
    once any stage has left SETUP."""
    before = None
    if instance is not None:
        # Re-read: a form may already have written its values onto the caller's instance.
        instance = Round.objects.select_for_update(of=("self",)).get(pk=instance.pk)
        if instance.programme_id != programme.pk:
            raise ValidationError(_("This round belongs to another programme."))
        before = snapshot(instance)
    rnd = instance or Round(programme=programme)
    _apply(rnd, data, ROUND_FIELDS)
    if instance is not None and rubric_is_frozen(rnd):
        for name in ("scale_min", "scale_max", "purpose"):
            if getattr(rnd, name) != before[name]:
                raise ValidationError(
                    {name: _("This cannot change once scoring has started in this round.")}
                )
    if rnd.scale_max is not None and rnd.scale_max > SCALE_LIMIT:
        raise ValidationError({"scale_max": _("The highest score can be at most 100.")})
    if not 0 < rnd.outlier_share <= 1:
        raise ValidationError({"outlier_share": _("Give a share between 0.01 and 1.")})
    _check_grade_bands(rnd.grade_bands)
    return save_audited(rnd, actor=actor, before=before, programme_id=programme.pk)


def _refuse_if_frozen(round: Round) -> None:
    if rubric_is_frozen(round):
        raise ValidationError(_("The rubric cannot change once scoring has started."))


@transaction.atomic
def criterion_save(
    *, actor, round: Round, data: dict[str, Any], instance: Criterion | None = None
) -> Criterion:
    """Add or edit a rubric criterion (name, guidance, weight, position); refused once frozen."""
    _refuse_if_frozen(round)
    before = None
    if instance is not None:
        instance = Criterion.objects.select_for_update(of=("self",)).get(
            pk=instance.pk, round=round
        )
        before = snapshot(instance)
    criterion = instance or Criterion(round=round)
    _apply(criterion, data, CRITERION_FIELDS)
    if instance is None and "position" not in data:
        last = round.criteria.aggregate(last=Max("position"))["last"]
        criterion.position = 0 if last is None else last + 1
    return save_audited(criterion, actor=actor, before=before, programme_id=round.programme_id)


@transaction.atomic
def criterion_delete(*, actor, criterion: Criterion) -> None:
    _refuse_if_frozen(criterion.round)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        instance=criterion,
        programme_id=criterion.round.programme_id,
        changes=diff(snapshot(criterion), {}),
        note=criterion.name,
    )
    criterion.delete()


@transaction.atomic
def stage_save(
    *, actor, round: Round, data: dict[str, Any], instance: Stage | None = None
) -> Stage:
    """Add or edit a stage (name, kind, position, cutoff_score, quota, scoring_closes_on)."""
    before = None
    if instance is not None:
        instance = Stage.objects.select_for_update(of=("self",)).get(pk=instance.pk, round=round)
        before = snapshot(instance)
        if instance.status == Stage.Status.PUBLISHED:
            raise ValidationError(_("The results of this stage are published; it cannot change."))
    stage = instance or Stage(round=round)
    _apply(stage, data, STAGE_FIELDS)
    if before and stage.kind != before["kind"] and stage.status != Stage.Status.SETUP:
        raise ValidationError({"kind": _("The kind of a stage cannot change once it is open.")})
    if instance is None and "position" not in data:
        last = round.stages.aggregate(last=Max("position"))["last"]
        stage.position = 1 if last is None else last + 1
    if stage.cutoff_score is not None and not (
        round.scale_min <= stage.cutoff_score <= round.scale_max
    ):
        raise ValidationError(
            {
                "cutoff_score": _("The pass mark must lie on the scale, %(min)s to %(max)s.")
                % {"min": round.scale_min, "max": round.scale_max}
            }
        )
    if stage.quota is not None and stage.quota < 1:
        raise ValidationError({"quota": _("At least one must be able to pass.")})
    save_audited(stage, actor=actor, before=before, programme_id=round.programme_id)
    if stage.status == Stage.Status.CLOSED and (
        stage.cutoff_score != before["cutoff_score"] or stage.quota != before["quota"]
    ):
        from opop.assessment.results import stage_results_compute

        stage_results_compute(stage)  # the ranking page shows the new cut-off at once
    return stage


@transaction.atomic
def stage_open(*, actor, stage: Stage) -> Stage:
    """SETUP → SCORING: needs criteria, entries and at least one juror; jurors are notified."""
    stage = (
        Stage.objects.select_for_update(of=("self",))
        .select_related("round__programme")
        .get(pk=stage.pk)
    )
    if stage.status != Stage.Status.SETUP:
        raise ValidationError(_("Only a stage being set up can be opened for scoring."))
    rnd = stage.round
    missing = []
    if not rnd.criteria.exists():
        missing.append(_("the rubric has no criteria"))
    if not stage.entries.exists():
        missing.append(_("the stage has no entries"))
    if not rnd.jurors.filter(is_active=True).exists():
        missing.append(_("the panel has no jurors"))
    if missing:
        raise ValidationError(
            _("Scoring cannot open yet: %(reasons)s.") % {"reasons": "; ".join(missing)}
        )
    before = snapshot(stage)
    stage.status = Stage.Status.SCORING
    save_audited(stage, actor=actor, before=before, programme_id=rnd.programme_id)
    loads = Counter(stage.assignments.values_list("juror_id", flat=True))
    jurors = Juror.objects.filter(pk__in=list(loads)).select_related("user")
    notices.jurors_scoring_opened(stage=stage, loads={j: loads[j.pk] for j in jurors})
    return stage
