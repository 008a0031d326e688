"""Conflicts of interest: a juror tied to an entry's pesantren is never assigned to it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from opop.accounts.models import Membership, Role
from opop.assessment import services
from opop.assessment.models import Assignment
from opop.assessment.tests.factories import chair_of, make_round, make_subject, stage_of


@pytest.fixture
def setup(world):
    """A stage with an entry of pesantren A, one of pesantren B, and two unrelated ones."""
    rnd = make_round(world.jatim, jurors=0, entries=0, open=False, jurors_per_entry=5)
    stage, chair = stage_of(rnd), chair_of(rnd)
    entry_a = services.entry_add(actor=chair, stage=stage, enterprise=world.enterprise_a)
    entry_b = services.entry_add(actor=chair, stage=stage, enterprise=world.enterprise_b)
    others = [
        services.entry_add(
            actor=chair, stage=stage, **make_subject(world.jatim, purpose="audition")
        )
        for _ in range(2)
    ]
    assert entry_a.pesantren_id == world.pesantren_a.pk
    assert entry_b.pesantren_id == world.pesantren_b.pk  # through the owner's person
    return rnd, stage, chair, entry_a, entry_b, others


def seat(world, rnd, persona, *, group="academia", affiliations=None):
    user = world.users[persona]
    Membership.objects.get_or_create(user=user, programme=world.jatim, role=Role.JUROR)
    return services.juror_save(
        actor=chair_of(rnd), round=rnd, user=user, group=group, affiliation_ids=affiliations
    )


def test_declared_affiliation_is_never_assigned_by_balance_or_by_hand(world, setup):
    rnd, stage, chair, entry_a, entry_b, others = setup
    tied = seat(world, rnd, "juror", affiliations=[world.pesantren_a.pk])
    services.assignments_balance(actor=chair, stage=stage)
    assigned = set(Assignment.objects.filter(juror=tied).values_list("entry_id", flat=True))
    assert assigned == {entry_b.pk, *(e.pk for e in others)}
    with pytest.raises(ValidationError) as caught:
        services.assignment_add(actor=chair, entry=entry_a, juror=tied)
    assert "conflict of interest" in str(caught.value)
    assert "declared an affiliation" in str(caught.value)
    assert not Assignment.objects.filter(juror=tied, entry=entry_a).exists()


@pytest.mark.parametrize(
    ("persona", "reason"),
    [
        ("manager_a", "manages its cooperative"),
        ("participant", "belongs to it as a participant"),
        ("facilitator", "is its facilitator"),
    ],
)
def test_membership_ties_count_as_conflicts(world, setup, persona, reason):
    rnd, stage, chair, entry_a, entry_b, others = setup
    juror = seat(world, rnd, persona)
    assert services.conflicting_pesantren_ids(juror) == {world.pesantren_a.pk}
    assert services.conflict_reasons(juror)[world.pesantren_a.pk] == reason
    services.assignments_balance(actor=chair, stage=stage)
    assert not Assignment.objects.filter(juror=juror, entry=entry_a).exists()
    assert Assignment.objects.filter(juror=juror, entry=entry_b).exists()
    with pytest.raises(ValidationError, match=reason):
        services.assignment_add(actor=chair, entry=entry_a, juror=juror)


def test_a_former_role_still_conflicts(world, setup):
    rnd, *_ = setup
    Membership.objects.filter(user=world.users["manager_a"], role=Role.MANAGER).update(
        is_active=False
    )
    juror = seat(world, rnd, "manager_a")
    assert world.pesantren_a.pk in services.conflicting_pesantren_ids(juror)


def test_ties_in_another_programme_do_not_count(world, setup):
    rnd, *_ = setup
    user = world.users["juror"]
    Membership.objects.create(
        user=user, programme=world.kalsel, role=Role.MANAGER, pesantren=world.pesantren_kalsel
    )
    juror = seat(world, rnd, "juror")
    assert services.conflicting_pesantren_ids(juror) == set()


def test_declaring_an_affiliation_drops_unsubmitted_conflicting_assignments(world, setup):
    rnd, stage, chair, entry_a, entry_b, others = setup
    juror = seat(world, rnd, "juror")
    services.assignments_balance(actor=chair, stage=stage)
    services.stage_open(actor=chair, stage=stage)
    sheet_b = Assignment.objects.get(juror=juror, entry=entry_b)
    services.scoresheet_save(
        actor=juror.user,
        assignment=sheet_b,
        values={c.pk: 7 for c in rnd.criteria.all()},
        submit=True,
    )
    services.juror_save(
        actor=chair,
        round=rnd,
        user=juror.user,
        group="academia",
        affiliation_ids=[world.pesantren_a.pk, world.pesantren_b.pk],
    )
    left = set(Assignment.objects.filter(juror=juror).values_list("entry_id", flat=True))
    assert entry_a.pk not in left  # unsubmitted: removed
    assert entry_b.pk in left  # submitted: a scoresheet is never deleted
    assert set(juror.affiliations.values_list("id", flat=True)) == {
        world.pesantren_a.pk,
        world.pesantren_b.pk,
    }


def test_seating_needs_a_juror_role_and_the_programmes_pesantren(world, setup):
    rnd, *_ = setup
    with pytest.raises(ValidationError) as caught:
        services.juror_save(
            actor=chair_of(rnd), round=rnd, user=world.users["outsider"], group="media"
        )
    assert "user" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.juror_save(
            actor=chair_of(rnd),
            round=rnd,
            user=world.users["juror"],
            group="media",
            affiliation_ids=[world.pesantren_kalsel.pk],
        )
    assert "affiliation_ids" in caught.value.message_dict


def test_seating_twice_updates_the_same_seat(world, setup):
    rnd, *_ = setup
    first = seat(world, rnd, "juror", group="media")
    second = seat(world, rnd, "juror", group="business")
    assert first.pk == second.pk and second.group == "business"
    assert rnd.jurors.count() == 1
