"""The assessment services: setting a round up, scoring, closing, publishing, appeals."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from opop.assessment import services
from opop.assessment.models import Appeal, Assignment, Entry, Juror, Stage
from opop.assessment.tests.factories import chair_of, make_round, score_all, stage_of
from opop.common.models import AuditEvent
from opop.notifications.models import Notification


@pytest.fixture
def rnd(world):
    return make_round(world.jatim, criteria=3, jurors=3, entries=4)


def sheet(stage, value):
    return {c.pk: value for c in stage.round.criteria.all()}


def test_round_scale_and_rubric_freeze_once_scoring_starts(world, rnd):
    chair = chair_of(rnd)
    with pytest.raises(ValidationError) as caught:
        services.round_save(actor=chair, programme=world.jatim, data={"scale_max": 5}, instance=rnd)
    assert "scale_max" in caught.value.message_dict
    with pytest.raises(ValidationError, match="rubric cannot change"):
        services.criterion_save(actor=chair, round=rnd, data={"name": "Late", "weight": 5})
    # Other settings stay editable.
    services.round_save(actor=chair, programme=world.jatim, data={"appeal_days": 3}, instance=rnd)
    rnd.refresh_from_db()
    assert rnd.appeal_days == 3


def test_round_refuses_malformed_grade_bands(world):
    chair = chair_of(make_round(world.jatim, entries=1, jurors=1, open=False))
    with pytest.raises(ValidationError) as caught:
        services.round_save(
            actor=chair,
            programme=world.jatim,
            data={"name": "X", "purpose": "award", "year": 2025, "grade_bands": {"A": 120}},
        )
    assert "grade_bands" in caught.value.message_dict


def test_stage_cannot_open_without_entries_and_jurors(world):
    rnd = make_round(world.jatim, jurors=0, entries=0, open=False)
    with pytest.raises(ValidationError) as caught:
        services.stage_open(actor=chair_of(rnd), stage=stage_of(rnd))
    assert "no entries" in str(caught.value) and "no jurors" in str(caught.value)


def test_stage_open_notifies_assigned_jurors(world):
    rnd = make_round(world.jatim, jurors=2, entries=3, open=False)
    services.stage_open(actor=chair_of(rnd), stage=stage_of(rnd))
    notes = Notification.objects.filter(kind="assessment.assigned")
    assert sorted(n.user_id for n in notes) == sorted(rnd.jurors.values_list("user_id", flat=True))
    assert "3 entries" in notes.first().body


def test_entry_add_derives_subject_and_is_idempotent(world):
    rnd = make_round(world.jatim, jurors=1, entries=0, open=False)
    stage, chair = stage_of(rnd), chair_of(rnd)
    entry = services.entry_add(actor=chair, stage=stage, enterprise=world.enterprise_a)
    assert entry.title == world.enterprise_a.name
    assert entry.pesantren_id == world.pesantren_a.pk
    assert entry.regency_id == "35.78"
    assert entry.owner == world.users["participant"]  # person_a's participant account
    again = services.entry_add(actor=chair, stage=stage, enterprise=world.enterprise_a)
    assert again.pk == entry.pk


def test_entry_add_refuses_another_programmes_subject_and_closed_stage(world, rnd):
    from opop.registry.models import Enterprise

    other = Enterprise.objects.create(
        programme=world.kalsel, name="Luar", sector="food", regency_id="63.71"
    )
    with pytest.raises(ValidationError, match="another programme"):
        services.entry_add(actor=chair_of(rnd), stage=stage_of(rnd), enterprise=other)
    stage = stage_of(rnd)
    score_all(stage)
    services.stage_close(actor=chair_of(rnd), stage=stage)
    with pytest.raises(ValidationError, match="before the stage closes"):
        services.entry_add(actor=chair_of(rnd), stage=stage, enterprise=world.enterprise_b)


def test_balance_fills_seats_evenly_across_groups_and_keeps_existing(world):
    rnd = make_round(world.jatim, jurors=5, entries=20, jurors_per_entry=3, open=False)
    stage = stage_of(rnd)
    per_entry = Counter(stage.assignments.values_list("entry_id", flat=True))
    assert set(per_entry.values()) == {3}
    loads = Counter(stage.assignments.values_list("juror_id", flat=True))
    assert max(loads.values()) - min(loads.values()) <= 2
    groups = dict(Juror.objects.filter(round=rnd).values_list("id", "group"))
    for entry_id in per_entry:
        on_entry = stage.assignments.filter(entry_id=entry_id).values_list("juror_id", flat=True)
        assert len({groups[j] for j in on_entry}) == 3  # five groups: never two of one
    assert services.assignments_balance(actor=chair_of(rnd), stage=stage) == 0


def test_balance_is_deterministic(world):
    def pattern(rnd):
        stage = stage_of(rnd)
        jurors = list(rnd.jurors.order_by("id").values_list("id", flat=True))
        entries = list(stage.entries.order_by("id").values_list("id", flat=True))
        return sorted(
            (entries.index(e), jurors.index(j))
            for e, j in stage.assignments.values_list("entry_id", "juror_id")
        )

    first = make_round(world.jatim, jurors=4, entries=9, jurors_per_entry=2, open=False)
    second = make_round(world.jatim, jurors=4, entries=9, jurors_per_entry=2, open=False)
    assert pattern(first) == pattern(second)


def test_only_the_assigned_juror_scores_and_values_stay_on_the_scale(world, rnd):
    stage = stage_of(rnd)
    assignment = stage.assignments.select_related("juror__user").first()
    other = Juror.objects.exclude(pk=assignment.juror_id).filter(round=rnd).first()
    with pytest.raises(ValidationError, match="Only the juror"):
        services.scoresheet_save(actor=other.user, assignment=assignment, values={})
    criterion = rnd.criteria.first()
    with pytest.raises(ValidationError) as caught:
        services.scoresheet_save(
            actor=assignment.juror.user, assignment=assignment, values={criterion.pk: 11}
        )
    assert f"score_{criterion.pk}" in caught.value.message_dict
    assert not assignment.scores.exists()


def test_submitting_needs_every_criterion_and_seals_the_sheet(world, rnd):
    stage = stage_of(rnd)
    assignment = stage.assignments.select_related("juror__user").first()
    juror = assignment.juror.user
    first, *rest = rnd.criteria.all()
    draft = services.scoresheet_save(actor=juror, assignment=assignment, values={first.pk: "7"})
    assert draft.submitted_at is None and draft.total is None and draft.saved_at
    with pytest.raises(ValidationError) as caught:
        services.scoresheet_save(actor=juror, assignment=assignment, values={}, submit=True)
    assert {f"score_{c.pk}" for c in rest} == set(caught.value.message_dict)
    # Weights 30, 20, 10: (7×30 + 9×20 + 4×10) / 60 = 7.1666… → 7.167
    values = {first.pk: 7, rest[0].pk: "9", rest[1].pk: "4,0"}
    done = services.scoresheet_save(actor=juror, assignment=assignment, values=values, submit=True)
    assert done.total == Decimal("7.167") and done.submitted_at
    with pytest.raises(ValidationError, match="sealed"):
        services.scoresheet_save(actor=juror, assignment=assignment, values={first.pk: 1})


def test_field_visit_needs_the_visit_date(world):
    rnd = make_round(world.jatim, jurors=1, entries=1, open=False)
    stage = stage_of(rnd)
    services.stage_save(
        actor=chair_of(rnd), round=rnd, data={"kind": "field_visit"}, instance=stage
    )
    services.stage_open(actor=chair_of(rnd), stage=stage)
    assignment = stage.assignments.select_related("juror__user").get()
    with pytest.raises(ValidationError) as caught:
        services.scoresheet_save(
            actor=assignment.juror.user, assignment=assignment, values=sheet(stage, 8), submit=True
        )
    assert "visited_on" in caught.value.message_dict
    done = services.scoresheet_save(
        actor=assignment.juror.user,
        assignment=assignment,
        values=sheet(stage, 8),
        submit=True,
        visited_on=timezone.localdate(),
        visit_notes="Dapur bersih, kapasitas 500 pack/bulan",
    )
    assert done.visited_on and done.visit_notes


def by_entry_values(table):
    """A score function: every criterion of entry #n (in id order) from `table[n]`."""

    def value(assignment, criterion):
        entries = list(assignment.stage.entries.order_by("id").values_list("id", flat=True))
        return table[entries.index(assignment.entry_id)]

    return value


def test_close_ranks_applies_cutoff_and_writes_feedback(world, rnd):
    stage, chair = stage_of(rnd), chair_of(rnd)
    services.stage_save(
        actor=chair, round=rnd, data={"cutoff_score": Decimal("6"), "quota": 2}, instance=stage
    )
    score_all(stage, by_entry_values([5, 9, 7, 8]))
    first_sheet = stage.assignments.order_by("id").first()
    score = first_sheet.scores.first()
    score.comment = "Kemasan perlu diperbaiki"
    score.save()
    services.stage_close(actor=chair, stage=stage)
    entries = list(stage.entries.order_by("id"))
    assert [e.rank for e in entries] == [4, 1, 3, 2]
    assert [e.final_score for e in entries] == [Decimal(5), Decimal(9), Decimal(7), Decimal(8)]
    assert [e.outcome for e in entries] == ["not_passed", "passed", "not_passed", "passed"]
    feedback = entries[0].criterion_results[str(score.criterion_id)]
    assert feedback == {"mean": 5.0, "comments": ["Kemasan perlu diperbaiki"]}
    stage.refresh_from_db()
    assert stage.status == Stage.Status.CLOSED and stage.closed_at


def test_changing_the_cutoff_of_a_closed_stage_recomputes(world, rnd):
    stage, chair = stage_of(rnd), chair_of(rnd)
    score_all(stage, by_entry_values([5, 9, 7, 8]))
    services.stage_close(actor=chair, stage=stage)
    assert stage.entries.filter(outcome="passed").count() == 4  # no rule: every scored entry
    services.stage_save(actor=chair, round=rnd, data={"quota": 1}, instance=stage)
    assert list(stage.entries.filter(outcome="passed").values_list("rank", flat=True)) == [1]


def test_unsubmitted_sheets_are_ignored_and_unscored_entries_never_pass(world):
    rnd = make_round(world.jatim, jurors=2, entries=2)
    stage, chair = stage_of(rnd), chair_of(rnd)
    first_entry, second_entry = stage.entries.order_by("id")
    for assignment in first_entry.assignments.select_related("juror__user"):
        services.scoresheet_save(
            actor=assignment.juror.user, assignment=assignment, values=sheet(stage, 6), submit=True
        )
    services.stage_close(actor=chair, stage=stage)
    second_entry.refresh_from_db()
    assert second_entry.final_score is None and second_entry.rank is None
    assert second_entry.outcome == Entry.Outcome.NOT_PASSED


def test_outliers_are_flagged_and_the_chair_told(world):
    rnd = make_round(world.jatim, jurors=3, entries=1)
    stage, chair = stage_of(rnd), chair_of(rnd)
    Juror.objects.filter(round=rnd).update(is_chair=False)
    chair_seat = Juror.objects.filter(round=rnd).order_by("id").first()
    Juror.objects.filter(pk=chair_seat.pk).update(is_chair=True)
    values = iter([8, 8, 3])
    for assignment in stage.assignments.order_by("id").select_related("juror__user"):
        services.scoresheet_save(
            actor=assignment.juror.user,
            assignment=assignment,
            values=sheet(stage, next(values)),
            submit=True,
        )
    services.stage_close(actor=chair, stage=stage)
    flags = list(stage.assignments.order_by("id").values_list("is_outlier", flat=True))
    assert flags == [False, False, True]
    assert Notification.objects.filter(kind="assessment.outliers", user=chair_seat.user).exists()


def test_reopened_sheet_is_rescored_while_closed_and_counts_after_recompute(world):
    rnd = make_round(world.jatim, jurors=3, entries=1)
    stage, chair = stage_of(rnd), chair_of(rnd)
    last_juror = max(rnd.jurors.values_list("id", flat=True))
    score_all(stage, lambda a, c: 3 if a.juror_id == last_juror else 8)
    services.stage_close(actor=chair, stage=stage)
    flagged = stage.assignments.select_related("juror__user").get(is_outlier=True)
    with pytest.raises(ValidationError):
        services.scoresheet_reopen(actor=chair, assignment=flagged, reason=" ")
    services.scoresheet_reopen(actor=chair, assignment=flagged, reason="Typed 2 for 8?")
    services.stage_recompute(actor=chair, stage=stage)
    entry = stage.entries.get()
    assert entry.final_score == Decimal(8)  # without the sent-back sheet
    services.scoresheet_save(
        actor=flagged.juror.user, assignment=flagged, values=sheet(stage, 7), submit=True
    )
    services.stage_recompute(actor=chair, stage=stage)
    entry.refresh_from_db()
    assert entry.final_score == Decimal("7.667")
    other = stage.assignments.exclude(pk=flagged.pk).select_related("juror__user").first()
    with pytest.raises(ValidationError, match="sealed|not open"):
        services.scoresheet_save(actor=other.juror.user, assignment=other, values={})


def publish(rnd, table):
    stage, chair = stage_of(rnd), chair_of(rnd)
    score_all(stage, by_entry_values(table))
    services.stage_close(actor=chair, stage=stage)
    return services.stage_publish(actor=chair, stage=stage)


def test_publish_tells_each_owner_their_feedback_and_opens_appeals(world):
    rnd = make_round(world.jatim, jurors=2, entries=2)
    services.stage_save(
        actor=chair_of(rnd), round=rnd, data={"cutoff_score": Decimal(7)}, instance=stage_of(rnd)
    )
    stage = publish(rnd, [8, 5])
    assert stage.status == Stage.Status.PUBLISHED
    assert stage.appeal_until - stage.published_at == dt.timedelta(days=7)
    winner, loser = stage.entries.order_by("id")
    assert winner.decided_at and loser.decided_at
    note = Notification.objects.get(kind="assessment.result", user=winner.owner)
    assert "Passed" in note.body and "Criterion 1: 8 of 10" in note.body
    assert winner.title in note.share_text
    assert note.url == reverse("assessment:my_result", args=[winner.pk])
    lost = Notification.objects.get(kind="assessment.result", user=loser.owner)
    assert "Did not pass" in lost.body and lost.share_text == ""


def test_appeal_only_by_owner_within_window_one_pending(world):
    rnd = make_round(world.jatim, jurors=2, entries=2)
    stage = publish(rnd, [8, 5])
    entry = stage.entries.order_by("id").last()
    with pytest.raises(ValidationError, match="Only the applicant"):
        services.appeal_submit(actor=world.users["outsider"], entry=entry, reason="Unfair")
    appeal = services.appeal_submit(actor=entry.owner, entry=entry, reason="Nilai kemasan keliru")
    assert Notification.objects.filter(kind="assessment.appeal", user=chair_of(rnd)).exists()
    with pytest.raises(ValidationError, match="already waiting"):
        services.appeal_submit(actor=entry.owner, entry=entry, reason="Again")
    Stage.objects.filter(pk=stage.pk).update(appeal_until=timezone.now() - dt.timedelta(hours=1))
    Appeal.objects.filter(pk=appeal.pk).update(decision="dismissed")
    with pytest.raises(ValidationError, match="window has closed"):
        services.appeal_submit(actor=entry.owner, entry=entry, reason="Late")


def test_upheld_appeal_changes_the_outcome_and_tells_the_owner(world):
    rnd = make_round(world.jatim, jurors=2, entries=2)
    services.stage_save(
        actor=chair_of(rnd), round=rnd, data={"cutoff_score": Decimal(7)}, instance=stage_of(rnd)
    )
    stage = publish(rnd, [8, 5])
    entry = stage.entries.order_by("id").last()
    appeal = services.appeal_submit(actor=entry.owner, entry=entry, reason="Salah hitung")
    with pytest.raises(ValidationError) as caught:
        services.appeal_decide(actor=chair_of(rnd), appeal=appeal, decision="upheld", note="")
    assert "note" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.appeal_decide(
            actor=chair_of(rnd), appeal=appeal, decision="dismissed", note="x", outcome="passed"
        )
    decided = services.appeal_decide(
        actor=chair_of(rnd), appeal=appeal, decision="upheld", note="Recounted", outcome="passed"
    )
    assert (decided.outcome_before, decided.outcome_after) == ("not_passed", "passed")
    entry.refresh_from_db()
    assert entry.outcome == Entry.Outcome.PASSED
    note = Notification.objects.get(kind="assessment.appeal_decided", user=entry.owner)
    assert "Upheld" in note.body and "Passed" in note.body
    with pytest.raises(ValidationError, match="already been decided"):
        services.appeal_decide(actor=chair_of(rnd), appeal=appeal, decision="dismissed", note="x")


def test_advance_carries_passed_entries_once(world):
    rnd = make_round(world.jatim, jurors=2, entries=3)
    chair = chair_of(rnd)
    services.stage_save(actor=chair, round=rnd, data={"quota": 2}, instance=stage_of(rnd))
    final = services.stage_save(actor=chair, round=rnd, data={"name": "Final"})
    stage = publish(rnd, [8, 5, 9])
    assert services.stage_advance(actor=chair, stage=stage) == 2
    assert services.stage_advance(actor=chair, stage=stage) == 0
    carried = final.entries.select_related("previous")
    assert sorted(e.previous.rank for e in carried) == [1, 2]
    assert all(e.owner_id == e.previous.owner_id for e in carried)


def test_every_write_is_audited_with_the_programme(world):
    before = AuditEvent.objects.count()
    rnd = make_round(world.jatim, jurors=2, entries=2)
    publish(rnd, [8, 5])
    events = AuditEvent.objects.all()[: AuditEvent.objects.count() - before]
    kinds = Counter(e.target_type for e in events)
    assert {
        "assessment.round",
        "assessment.criterion",
        "assessment.stage",
        "assessment.juror",
    } <= set(kinds)
    assert kinds["assessment.assignment"] == 4  # one per submission
    assert all(e.programme_id == world.jatim.pk for e in events)


def test_closing_costs_the_same_queries_for_more_entries(world):
    def close_queries(entries):
        rnd = make_round(world.jatim, jurors=3, entries=entries)
        stage = stage_of(rnd)
        score_all(stage, 7)
        with CaptureQueriesContext(connection) as ctx:
            services.stage_close(actor=chair_of(rnd), stage=stage)
        return len(ctx.captured_queries)

    assert close_queries(3) == close_queries(12)


def test_balancing_costs_the_same_queries_for_more_entries(world):
    def balance_queries(entries):
        rnd = make_round(world.jatim, jurors=4, entries=entries, jurors_per_entry=2, open=False)
        stage = stage_of(rnd)
        stage.assignments.all().delete()
        with CaptureQueriesContext(connection) as ctx:
            created = services.assignments_balance(actor=chair_of(rnd), stage=stage)
        assert created == entries * 2
        return len(ctx.captured_queries)

    assert balance_queries(3) == balance_queries(15)


def test_assignment_remove_keeps_submitted_sheets(world, rnd):
    stage = stage_of(rnd)
    submitted, draft = stage.assignments.select_related("juror__user").order_by("id")[:2]
    services.scoresheet_save(
        actor=submitted.juror.user, assignment=submitted, values=sheet(stage, 5), submit=True
    )
    with pytest.raises(ValidationError, match="never deleted"):
        services.assignment_remove(actor=chair_of(rnd), assignment=submitted)
    services.assignment_remove(actor=chair_of(rnd), assignment=draft)
    assert not Assignment.objects.filter(pk=draft.pk).exists()


def test_demo_seed_gives_the_demo_juror_a_queue_with_work_left(world):
    import random

    from opop.accounts.models import Membership, Role, User
    from opop.assessment.models import Round
    from opop.assessment.selectors import assignments_of
    from opop.assessment.tests.factories import make_subject
    from opop.demo.assessment import seed_assessment

    demo = User.objects.create_user("juror@demo.opop.id", "x", full_name="Juri OPOP")
    Membership.objects.create(user=demo, programme=world.jatim, role=Role.JUROR)
    for _ in range(4):
        make_subject(world.jatim, purpose="curation")
    counts = seed_assessment(world.jatim, year=2026, rng=random.Random(1))
    curation = Round.objects.get(name="Kurasi Produk Unggulan 2026")
    assert sum(c.weight for c in curation.criteria.all()) == 100
    assert stage_of(curation).status == Stage.Status.SCORING
    assert counts["assessment_entries"] == 4 and counts["assessment_rounds"] == 2
    queue = assignments_of(demo, world.jatim)
    assert queue.exists() and queue.filter(submitted_at__isnull=True).exists()
    award = Round.objects.get(name="OPOP Award 2026")
    assert list(award.stages.values_list("status", flat=True)) == ["setup"] * 3
    assert seed_assessment(world.jatim, year=2026, rng=random.Random(1)) == Counter()


def test_publishing_the_last_curation_stage_curates_passing_products(world):
    from opop.catalog.models import Curation

    rnd = make_round(world.jatim, jurors=2, entries=3, purpose="curation")
    chair = chair_of(rnd)
    services.stage_save(
        actor=chair, round=rnd, data={"cutoff_score": Decimal(7)}, instance=stage_of(rnd)
    )
    stage = publish(rnd, [9, 5, 8])
    passed = set(stage.entries.filter(outcome="passed").values_list("product_id", flat=True))
    assert set(Curation.objects.values_list("product_id", flat=True)) == passed
    assert len(passed) == 2
    loser = stage.entries.get(outcome="not_passed")
    appeal = services.appeal_submit(actor=loser.owner, entry=loser, reason="Izin sudah ada")
    services.appeal_decide(
        actor=chair, appeal=appeal, decision="upheld", note="Izin terlampir", outcome="passed"
    )
    assert Curation.objects.filter(product_id=loser.product_id, revoked_at__isnull=True).exists()


def test_an_earlier_curation_stage_curates_nothing(world):
    from opop.catalog.models import Curation

    rnd = make_round(world.jatim, jurors=1, entries=2, purpose="curation")
    services.stage_save(actor=chair_of(rnd), round=rnd, data={"name": "Final"})
    publish(rnd, [9, 8])
    assert not Curation.objects.exists()
