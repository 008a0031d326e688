"""The panel and who scores what: seating jurors, conflicts of interest, assignment.

Part of the assessment services; call them as `opop.assessment.services.<name>`.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opop.accounts.models import Membership, Role
from opop.assessment import balancing, notices
from opop.assessment.bulk import insert_rows
from opop.assessment.conflicts import conflicts_of, reason_text
from opop.assessment.models import Assignment, Entry, Juror, Round, Stage
from opop.assessment.rounds import OPEN_FOR_ENTRIES, save_audited
from opop.common.audit import audit_record, diff, snapshot
from opop.common.models import AuditEvent
from opop.programmes.models import Partner
from opop.registry.models import Pesantren


@transaction.atomic
def juror_save(
    *,
    actor,
    round: Round,
    user,
    group: str,
    partner=None,
    is_chair: bool = False,
    affiliation_ids: list[int] | None = None,
) -> Juror:
    """Seat `user` on the round's panel (idempotent per user). The user needs a juror (or admin)
    membership in the round's programme. Changing affiliations removes unsubmitted assignments
    that now conflict."""
    if not Membership.objects.filter(
        user=user,
        programme_id=round.programme_id,
        is_active=True,
        role__in=[Role.JUROR, Role.ADMIN],
    ).exists():
        raise ValidationError(
            {
                "user": _(
                    "This person is not a juror of this programme. Give them the juror role first."
                )
            }
        )
    if group not in Partner.Kind.values:
        raise ValidationError({"group": _("Choose a Penta Helix group.")})
    if partner is not None and partner.programme_id != round.programme_id:
        raise ValidationError({"partner": _("This partner belongs to another programme.")})
    if partner is not None and partner.kind != group:
        raise ValidationError({"partner": _("This partner belongs to another Penta Helix group.")})
    juror = Juror.objects.select_for_update(of=("self",)).filter(round=round, user=user).first()
    before = snapshot(juror) if juror else None
    old_affiliations = sorted(juror.affiliations.values_list("id", flat=True)) if juror else []
    juror = juror or Juror(round=round, user=user)
    juror.group, juror.partner, juror.is_chair, juror.is_active = group, partner, is_chair, True
    juror.full_clean()
    juror.save()
    new_affiliations = old_affiliations
    if affiliation_ids is not None:
        new_affiliations = sorted({int(pk) for pk in affiliation_ids})
        found = Pesantren.objects.filter(pk__in=new_affiliations, programme_id=round.programme_id)
        if found.count() != len(new_affiliations):
            raise ValidationError(
                {"affiliation_ids": _("Choose pesantren of this round's programme.")}
            )
        juror.affiliations.set(new_affiliations)
    removed = _remove_conflicting_assignments(juror)
    changes = diff(before or {}, snapshot(juror))
    if new_affiliations != old_affiliations:
        changes["affiliations"] = [old_affiliations, new_affiliations]
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE if before is None else AuditEvent.Action.UPDATE,
        instance=juror,
        programme_id=round.programme_id,
        changes=changes,
        note=f"{removed} conflicting unsubmitted assignments removed" if removed else "",
    )
    return juror


def _remove_conflicting_assignments(juror: Juror) -> int:
    conflicted = conflicting_pesantren_ids(juror)
    if not conflicted:
        return 0
    doomed = Assignment.objects.filter(
        juror=juror, submitted_at__isnull=True, entry__pesantren_id__in=conflicted
    ).exclude(stage__status=Stage.Status.PUBLISHED)
    _total, by_model = doomed.delete()  # the total counts their draft scores too
    return by_model.get(Assignment._meta.label, 0)


def conflicting_pesantren_ids(juror: Juror) -> set[int]:
    """Pesantren a juror may not assess: declared affiliations plus those implied by the juror's
    own memberships in the programme (manager of a pesantren; participant whose person belongs
    to one). Read-only helper used by assignment and by the pages to explain refusals."""
    return set(conflict_reasons(juror))


def conflict_reasons(juror: Juror) -> dict[int, str]:
    """{pesantren id: why the juror may not assess it} (translated), for the pages."""
    programme_id = Round.objects.values_list("programme_id", flat=True).get(pk=juror.round_id)
    codes = conflicts_of([juror], programme_id=programme_id)[juror.pk]
    return {pesantren_id: reason_text(code) for pesantren_id, code in codes.items()}


def _refuse_unless_open_for_assignment(stage: Stage) -> None:
    if stage.status not in OPEN_FOR_ENTRIES:
        raise ValidationError(_("Jurors can only be assigned before the stage closes."))


@transaction.atomic
def assignments_balance(*, actor, stage: Stage) -> int:
    """Assign every entry of the stage to `round.jurors_per_entry` active jurors: least-loaded
    jurors first, spreading Penta Helix groups within an entry where possible, never a
    conflicted juror. Keeps existing assignments. Returns the number created. Entries that
    cannot get enough unconflicted jurors are left short (the ranking page lists them)."""
    stage = Stage.objects.select_for_update(of=("self",)).select_related("round").get(pk=stage.pk)
    _refuse_unless_open_for_assignment(stage)
    rnd = stage.round
    jurors = list(Juror.objects.filter(round=rnd, is_active=True).select_related("user"))
    existing: dict[int, list[int]] = defaultdict(list)
    for entry_id, juror_id in Assignment.objects.filter(stage=stage).values_list(
        "entry_id", "juror_id"
    ):
        existing[entry_id].append(juror_id)
    entries = Entry.objects.filter(stage=stage).exclude(outcome=Entry.Outcome.WITHDRAWN)
    pairs = balancing.plan(
        entries=entries.values_list("id", "pesantren_id"),
        jurors=[balancing.Seat(j.pk, j.group) for j in jurors],
        per_entry=rnd.jurors_per_entry,
        existing=existing,
        conflicts=conflicts_of(jurors, programme_id=rnd.programme_id),
    )
    now, actor_id = timezone.now(), getattr(actor, "pk", None)
    insert_rows(
        Assignment,
        ["entry", "juror", "stage", "assigned_by", "assigned_at", "is_outlier", "visit_notes"],
        [(e, j, stage.pk, actor_id, now, False, "") for e, j in pairs],
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=stage,
        programme_id=rnd.programme_id,
        changes={"assignments": [None, len(pairs)]},
        note="balanced assignment",
    )
    if pairs and stage.status == Stage.Status.SCORING:
        loads = Counter(j for _e, j in pairs)
        notices.jurors_scoring_opened(
            stage=stage, loads={j: loads[j.pk] for j in jurors if loads[j.pk]}
        )
    return len(pairs)


@transaction.atomic
def assignment_add(*, actor, entry: Entry, juror: Juror) -> Assignment:
    """Assign by hand; refused with a clear message on a conflict of interest or a closed stage."""
    stage = (
        Stage.objects.select_for_update(of=("self",)).select_related("round").get(pk=entry.stage_id)
    )
    _refuse_unless_open_for_assignment(stage)
    if juror.round_id != stage.round_id or not juror.is_active:
        raise ValidationError(_("This juror does not sit on this round's panel."))
    if entry.pesantren_id is not None:
        reasons = conflict_reasons(juror)
        if entry.pesantren_id in reasons:
            raise ValidationError(
                _("%(juror)s may not assess this entry: a conflict of interest (%(reason)s).")
                % {"juror": juror, "reason": reasons[entry.pesantren_id]}
            )
    existing = Assignment.objects.filter(entry=entry, juror=juror).first()
    if existing:
        return existing
    assignment = Assignment(entry=entry, juror=juror, stage=stage, assigned_by=actor)
    save_audited(assignment, actor=actor, before=None, programme_id=stage.round.programme_id)
    if stage.status == Stage.Status.SCORING:
        notices.jurors_scoring_opened(stage=stage, loads={juror: 1})
    return assignment


@transaction.atomic
def assignment_remove(*, actor, assignment: Assignment) -> None:
    """Remove an unsubmitted assignment (a submitted scoresheet is never deleted)."""
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("stage__round")
        .get(pk=assignment.pk)
    )
    if assignment.submitted_at is not None:
        raise ValidationError(_("A submitted scoresheet is never deleted."))
    if assignment.stage.status == Stage.Status.PUBLISHED:
        raise ValidationError(_("The results of this stage are published; it cannot change."))
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        instance=assignment,
        programme_id=assignment.stage.round.programme_id,
        changes={"entry_id": [assignment.entry_id, None], "juror_id": [assignment.juror_id, None]},
    )
    assignment.delete()
