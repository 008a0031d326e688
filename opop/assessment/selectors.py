"""Reads that depend on who is asking. CONTRACT — signatures fixed by the lead.

- Round/stage/entry pages for staff: `rounds_visible_to(access)` (runners and auditors of the
  programme; nothing for others).
- Jurors: `assignments_of(user, programme)` — only their own seats' assignments; a juror never
  sees another juror's scores before the stage is CLOSED (`scores_visible_to_juror`).
- Owners: `entries_owned_by(user)` — published results only.
"""

from __future__ import annotations

from django.db.models import (
    Count,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from opop.accounts.models import Membership, Role
from opop.assessment.models import Assignment, Entry, Juror, Round, Score, Stage

# Stages a juror sees on their queue: from the moment scoring opens (read-only once closed).
JUROR_VISIBLE = (Stage.Status.SCORING, Stage.Status.CLOSED, Stage.Status.PUBLISHED)
# Stages after which the panel may compare scores.
SCORES_SHARED = (Stage.Status.CLOSED, Stage.Status.PUBLISHED)


def rounds_visible_to(access) -> QuerySet[Round]:
    if access is None or not access.reads_assessment:
        return Round.objects.none()
    return Round.objects.filter(programme_id=access.programme_id)


def assignments_of(user, programme) -> QuerySet[Assignment]:
    """The user's own assignments in the programme's rounds, through active seats, while they
    hold an active juror (or admin) role there; stages still being set up stay hidden."""
    if not getattr(user, "is_authenticated", False) or programme is None:
        return Assignment.objects.none()
    seated = Membership.objects.filter(
        user=user, programme=programme, is_active=True, role__in=[Role.JUROR, Role.ADMIN]
    )
    if not seated.exists():
        return Assignment.objects.none()
    return (
        Assignment.objects.filter(
            juror__user=user,
            juror__is_active=True,
            juror__round__programme=programme,
            stage__status__in=JUROR_VISIBLE,
        )
        .select_related("entry", "stage", "stage__round", "juror")
        .order_by("stage__round", "stage__position", "entry_id")
    )


def entries_owned_by(user) -> QuerySet[Entry]:
    if not getattr(user, "is_authenticated", False):
        return Entry.objects.none()
    return (
        Entry.objects.filter(owner=user, stage__status=Stage.Status.PUBLISHED)
        .select_related("stage", "stage__round")
        .order_by("-stage__published_at", "id")
    )


def juror_progress(stage) -> list[dict]:
    """Per juror: assigned, submitted, drafts, last activity.

    One row per active juror of the round (and any inactive one still holding assignments in
    the stage), heaviest backlog first: `juror`, `assigned`, `submitted`, `drafts` (saved but
    not submitted), `not_started`, `outliers`, `last_activity` (last save, or None)."""
    in_stage = Q(assignments__stage=stage)
    jurors = (
        Juror.objects.filter(round_id=stage.round_id)
        .filter(
            Q(is_active=True) | Q(pk__in=Assignment.objects.filter(stage=stage).values("juror_id"))
        )
        .select_related("user", "partner")
        .annotate(
            n_assigned=Count("assignments", filter=in_stage),
            n_submitted=Count(
                "assignments", filter=in_stage & Q(assignments__submitted_at__isnull=False)
            ),
            n_drafts=Count(
                "assignments",
                filter=in_stage
                & Q(assignments__submitted_at__isnull=True, assignments__saved_at__isnull=False),
            ),
            n_outliers=Count("assignments", filter=in_stage & Q(assignments__is_outlier=True)),
            last_activity=Max("assignments__saved_at", filter=in_stage),
        )
        .order_by("id")
    )
    rows = [
        {
            "juror": juror,
            "assigned": juror.n_assigned,
            "submitted": juror.n_submitted,
            "drafts": juror.n_drafts,
            "not_started": juror.n_assigned - juror.n_submitted - juror.n_drafts,
            "outliers": juror.n_outliers,
            "last_activity": juror.last_activity,
        }
        for juror in jurors
    ]
    rows.sort(key=lambda row: (-(row["assigned"] - row["submitted"]), row["juror"].pk))
    return rows


def _count(filter_q: Q | None = None):
    rows = Assignment.objects.filter(entry=OuterRef("pk"))
    if filter_q is not None:
        rows = rows.filter(filter_q)
    counted = rows.order_by().values("entry").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def ranking(stage) -> QuerySet[Entry]:
    """Entries of a stage in rank order with score counts; one query plus pagination.

    Annotated with `assigned_count`, `submitted_count`, `outlier_count`; unranked entries (no
    submitted score yet, or before closing) come last by id. The counts are correlated
    subqueries, so a page of 50 counts only its own 50 entries."""
    return (
        Entry.objects.filter(stage=stage)
        .select_related("pesantren", "regency", "owner", "product", "stage")
        .annotate(
            assigned_count=_count(),
            submitted_count=_count(Q(submitted_at__isnull=False)),
            outlier_count=_count(Q(is_outlier=True)),
        )
        .order_by(F("rank").asc(nulls_last=True), "id")
    )


def ranking_order(stage) -> QuerySet:
    """Entry ids of a stage in ranking order, for paging before the heavier `ranking` query."""
    return (
        Entry.objects.filter(stage=stage)
        .order_by(F("rank").asc(nulls_last=True), "id")
        .values_list("pk", flat=True)
    )


def scores_visible_to_juror(juror: Juror, entry: Entry) -> QuerySet[Score]:
    """Other jurors' submitted scores of an entry the juror was assigned, once the stage is
    CLOSED or PUBLISHED; nothing before (independent scoring) and nothing on entries the
    juror did not assess."""
    stage_status = Stage.objects.values_list("status", flat=True).get(pk=entry.stage_id)
    own = Assignment.objects.filter(entry=entry, juror=juror, juror__is_active=True)
    if stage_status not in SCORES_SHARED or not own.exists():
        return Score.objects.none()
    return (
        Score.objects.filter(assignment__entry=entry, assignment__submitted_at__isnull=False)
        .exclude(assignment__juror=juror)
        .select_related("assignment__juror__user", "criterion")
        .order_by("assignment__juror_id", "criterion__position", "criterion_id")
    )
