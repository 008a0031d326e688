"""Every assessment write. CONTRACT — signatures fixed by the lead; bodies by the engine work.

All functions: keyword-only, `actor` first, `@transaction.atomic`, `full_clean()` before save,
audit via `opop.common.audit`, notifications via `opop.notifications.services.notify` (inside
`in_language_of(user)`), refusals as `django.core.exceptions.ValidationError` with a clear,
translatable message. Callers (views, API) have already checked the actor's access; services
re-check the state rules (e.g. no scoring after close) because those depend on the data.
"""

from __future__ import annotations

from typing import Any

from opop.assessment.models import Appeal, Assignment, Criterion, Entry, Juror, Round, Stage


def round_save(*, actor, programme, data: dict[str, Any], instance: Round | None = None) -> Round:
    """Create or edit a round (name, purpose, year, pillar, scale, jurors_per_entry, trim_from,
    outlier_share, validity_months, appeal_days, grade_bands). The scale and criteria are frozen
    once any stage has left SETUP."""
    raise NotImplementedError


def criterion_save(
    *, actor, round: Round, data: dict[str, Any], instance: Criterion | None = None
) -> Criterion:
    """Add or edit a rubric criterion (name, guidance, weight, position); refused once frozen."""
    raise NotImplementedError


def criterion_delete(*, actor, criterion: Criterion) -> None:
    raise NotImplementedError


def stage_save(
    *, actor, round: Round, data: dict[str, Any], instance: Stage | None = None
) -> Stage:
    """Add or edit a stage (name, kind, position, cutoff_score, quota, scoring_closes_on)."""
    raise NotImplementedError


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
    raise NotImplementedError


def entry_add(
    *,
    actor,
    stage: Stage,
    product=None,
    application=None,
    enterprise=None,
    owner=None,
) -> Entry:
    """Put one subject into a stage (title, pesantren, regency and owner derived from it).
    Idempotent: the same product/application twice returns the existing entry. Only while the
    stage is in SETUP or SCORING."""
    raise NotImplementedError


def conflicting_pesantren_ids(juror: Juror) -> set[int]:
    """Pesantren a juror may not assess: declared affiliations plus those implied by the juror's
    own memberships in the programme (manager of a pesantren; participant whose person belongs
    to one). Read-only helper used by assignment and by the pages to explain refusals."""
    raise NotImplementedError


def assignments_balance(*, actor, stage: Stage) -> int:
    """Assign every entry of the stage to `round.jurors_per_entry` active jurors: least-loaded
    jurors first, spreading Penta Helix groups within an entry where possible, never a
    conflicted juror. Keeps existing assignments. Returns the number created. Entries that
    cannot get enough unconflicted jurors are left short (the ranking page lists them)."""
    raise NotImplementedError


def assignment_add(*, actor, entry: Entry, juror: Juror) -> Assignment:
    """Assign by hand; refused with a clear message on a conflict of interest or a closed stage."""
    raise NotImplementedError


def assignment_remove(*, actor, assignment: Assignment) -> None:
    """Remove an unsubmitted assignment (a submitted scoresheet is never deleted)."""
    raise NotImplementedError


def stage_open(*, actor, stage: Stage) -> Stage:
    """SETUP → SCORING: needs criteria, entries and at least one juror; jurors are notified."""
    raise NotImplementedError


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
    stage, the visit date). Sets `assignment.total` (weighted, on the round's scale)."""
    raise NotImplementedError


def stage_close(*, actor, stage: Stage) -> Stage:
    """SCORING → CLOSED: aggregate (see aggregation.py), rank, apply the cut-off, flag outliers.
    Unsubmitted assignments are ignored (and reported on the ranking page)."""
    raise NotImplementedError


def stage_recompute(*, actor, stage: Stage) -> Stage:
    """Re-run aggregation/ranking/cut-off on a CLOSED stage (after the chair changes the cut-off
    or excludes an outlier by reopening a scoresheet)."""
    raise NotImplementedError


def scoresheet_reopen(*, actor, assignment: Assignment, reason: str) -> Assignment:
    """The chair (admin) sends a flagged scoresheet back to its juror while the stage is CLOSED
    (stage returns to SCORING for that juror only; audited with the reason)."""
    raise NotImplementedError


def stage_publish(*, actor, stage: Stage) -> Stage:
    """CLOSED → PUBLISHED: set outcomes, open the appeal window (round.appeal_days), notify each
    owner with per-criterion feedback and a wa.me share text, and for curation rounds on their
    last stage call `opop.catalog.curation.curation_apply(actor=, entry=)` per entry."""
    raise NotImplementedError


def stage_advance(*, actor, stage: Stage) -> int:
    """Carry every PASSED entry of a published stage into the next stage (new entries linked by
    `previous`). Idempotent. Returns the number carried."""
    raise NotImplementedError


def appeal_submit(*, actor, entry: Entry, reason: str) -> Appeal:
    """The entry's owner appeals within the window; one pending appeal per entry."""
    raise NotImplementedError


def appeal_decide(
    *, actor, appeal: Appeal, decision: str, note: str, outcome: str | None = None
) -> Appeal:
    """Admin upholds (optionally changing the outcome; curation outcome follows) or dismisses,
    with a note; logged and the owner notified."""
    raise NotImplementedError
