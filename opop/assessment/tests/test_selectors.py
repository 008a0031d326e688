"""Who reads what: staff rounds, a juror's own sheets, an owner's published results."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opop.accounts.access import access_for
from opop.accounts.models import Membership, Role
from opop.assessment import selectors, services
from opop.assessment.models import Juror
from opop.assessment.tests.factories import chair_of, make_round, score_all, stage_of


def access(world, persona):
    return access_for(world.users[persona])


def test_rounds_are_visible_to_runners_and_auditors_of_the_programme_only(world):
    rnd = make_round(world.jatim, jurors=1, entries=1, open=False)
    make_round(world.kalsel, jurors=1, entries=1, open=False)
    for persona in ("admin", "auditor"):
        assert list(selectors.rounds_visible_to(access(world, persona))) == [rnd]
    for persona in ("officer", "juror", "manager_a", "participant", "partner", "kalsel_admin"):
        assert rnd not in selectors.rounds_visible_to(access(world, persona))
    assert not selectors.rounds_visible_to(None).exists()


def test_a_juror_sees_only_their_own_assignments_once_scoring_opens(world):
    rnd = make_round(world.jatim, jurors=2, entries=3, jurors_per_entry=1, open=False)
    first, second = Juror.objects.filter(round=rnd).order_by("id").select_related("user")
    assert not selectors.assignments_of(first.user, world.jatim).exists()  # still in setup
    services.stage_open(actor=chair_of(rnd), stage=stage_of(rnd))
    mine = selectors.assignments_of(first.user, world.jatim)
    assert mine.exists() and all(a.juror_id == first.pk for a in mine)
    assert not set(mine) & set(selectors.assignments_of(second.user, world.jatim))
    assert not selectors.assignments_of(first.user, world.kalsel).exists()
    assert not selectors.assignments_of(world.users["outsider"], world.jatim).exists()


def test_a_juror_loses_the_queue_with_their_seat_or_role(world):
    rnd = make_round(world.jatim, jurors=1, entries=2)
    juror = rnd.jurors.select_related("user").get()
    assert selectors.assignments_of(juror.user, world.jatim).count() == 2
    Juror.objects.filter(pk=juror.pk).update(is_active=False)
    assert not selectors.assignments_of(juror.user, world.jatim).exists()
    Juror.objects.filter(pk=juror.pk).update(is_active=True)
    Membership.objects.filter(user=juror.user, role=Role.JUROR).update(is_active=False)
    assert not selectors.assignments_of(juror.user, world.jatim).exists()


def test_owners_see_only_their_own_published_results(world):
    rnd = make_round(world.jatim, jurors=1, entries=2)
    stage, chair = stage_of(rnd), chair_of(rnd)
    first, second = stage.entries.order_by("id")
    assert not selectors.entries_owned_by(first.owner).exists()  # scoring
    score_all(stage)
    services.stage_close(actor=chair, stage=stage)
    assert not selectors.entries_owned_by(first.owner).exists()  # closed: provisional
    services.stage_publish(actor=chair, stage=stage)
    assert list(selectors.entries_owned_by(first.owner)) == [first]
    assert list(selectors.entries_owned_by(second.owner)) == [second]
    assert not selectors.entries_owned_by(world.users["outsider"]).exists()


def test_a_juror_cannot_read_other_jurors_scores_before_close(world):
    rnd = make_round(world.jatim, jurors=3, entries=1)
    stage = stage_of(rnd)
    entry = stage.entries.get()
    me, *others = Juror.objects.filter(round=rnd).order_by("id")
    score_all(stage)
    assert not selectors.scores_visible_to_juror(me, entry).exists()
    services.stage_close(actor=chair_of(rnd), stage=stage)
    seen = selectors.scores_visible_to_juror(me, entry)
    assert {s.assignment.juror_id for s in seen} == {j.pk for j in others}
    assert seen.count() == 2 * rnd.criteria.count()


def test_a_juror_not_on_the_entry_reads_no_scores_even_after_close(world):
    rnd = make_round(world.jatim, jurors=2, entries=2, jurors_per_entry=1)
    stage = stage_of(rnd)
    score_all(stage)
    services.stage_close(actor=chair_of(rnd), stage=stage)
    juror = Juror.objects.filter(round=rnd).order_by("id").first()
    not_mine = stage.entries.exclude(assignments__juror=juror).get()
    assert not selectors.scores_visible_to_juror(juror, not_mine).exists()


def test_juror_progress_shows_backlog_first(world):
    rnd = make_round(world.jatim, jurors=2, entries=3)
    stage = stage_of(rnd)
    first, second = Juror.objects.filter(round=rnd).order_by("id").select_related("user")
    criterion = rnd.criteria.first()
    sheets = list(second.assignments.order_by("id"))
    services.scoresheet_save(actor=second.user, assignment=sheets[0], values={criterion.pk: 5})
    for sheet in first.assignments.all():
        services.scoresheet_save(
            actor=first.user,
            assignment=sheet,
            values={c.pk: 6 for c in rnd.criteria.all()},
            submit=True,
        )
    rows = selectors.juror_progress(stage)
    assert [row["juror"].pk for row in rows] == [second.pk, first.pk]
    assert (rows[0]["drafts"], rows[0]["not_started"], rows[0]["submitted"]) == (1, 2, 0)
    assert (rows[1]["submitted"], rows[1]["drafts"]) == (3, 0)
    assert rows[0]["last_activity"] is not None


def test_ranking_lists_entries_by_rank_with_counts_in_one_query(world):
    rnd = make_round(world.jatim, jurors=2, entries=4)
    stage = stage_of(rnd)
    score_all(stage)
    services.stage_close(actor=chair_of(rnd), stage=stage)
    with CaptureQueriesContext(connection) as ctx:
        rows = list(selectors.ranking(stage))
        [(r.pesantren.name, r.owner.email, r.submitted_count) for r in rows]
    assert len(ctx.captured_queries) == 1
    assert [r.rank for r in rows] == [1, 2, 3, 4]
    assert all(r.assigned_count == 2 and r.submitted_count == 2 for r in rows)


def test_ranking_puts_unranked_entries_last(world):
    rnd = make_round(world.jatim, jurors=1, entries=3)
    stage = stage_of(rnd)
    skipped = stage.entries.order_by("id").first()
    for sheet in stage.assignments.exclude(entry=skipped).select_related("juror__user"):
        services.scoresheet_save(
            actor=sheet.juror.user,
            assignment=sheet,
            values={c.pk: 6 for c in rnd.criteria.all()},
            submit=True,
        )
    services.stage_close(actor=chair_of(rnd), stage=stage)
    rows = list(selectors.ranking(stage))
    assert rows[-1] == skipped and rows[-1].rank is None and rows[-1].submitted_count == 0


@pytest.mark.parametrize("persona", ["officer", "juror", "outsider"])
def test_other_personas_have_no_rounds(world, persona):
    make_round(world.jatim, jurors=1, entries=1, open=False)
    assert not selectors.rounds_visible_to(access(world, persona)).exists()
