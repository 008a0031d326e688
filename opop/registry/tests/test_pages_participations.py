"""Pillar participation added and changed from the person and pesantren pages."""

import pytest

from opop.registry.models import Participation
from opop.registry.tests.pages import html, url

pytestmark = pytest.mark.django_db


def test_admin_adds_sociopreneur_from_person_page(world):
    data = {"pillar": "sociopreneur", "cohort_year": 2025, "status": "candidate"}
    response = world.client("admin").post(url("person_participation_add", world.person_a.pk), data)
    assert response.status_code == 302
    part = Participation.objects.get(person=world.person_a, pillar="sociopreneur")
    assert part.regency_id == "35.78" and part.status == "candidate"


def test_same_pillar_twice_is_refused(world):
    data = {"pillar": "santripreneur", "cohort_year": 2025, "status": "active"}
    page = html(
        world.client("admin").post(url("person_participation_add", world.person_a.pk), data)
    )
    assert "Already a participant of this pillar" in page
    assert Participation.objects.filter(person=world.person_a).count() == 1


def test_person_page_offers_no_pesantrenpreneur(world):
    data = {"pillar": "pesantrenpreneur", "cohort_year": 2025, "status": "active"}
    response = world.client("admin").post(url("person_participation_add", world.person_b.pk), data)
    assert response.status_code == 200
    assert not Participation.objects.filter(
        pillar="pesantrenpreneur", pesantren=world.pesantren_b
    ).exists()


def test_officer_adds_pesantrenpreneur_from_pesantren_page(world):
    data = {"pillar": "pesantrenpreneur", "cohort_year": 2025, "status": "active"}
    client = world.client("officer")
    response = client.post(url("pesantren_participation_add", world.pesantren_a.pk), data)
    assert "Already a participant" in html(response)  # pesantren A takes part since 2025
    response = client.post(url("pesantren_participation_add", world.pesantren_b.pk), data)
    assert response.status_code == 404


def test_cohort_year_outside_programme_is_refused(world):
    data = {"pillar": "sociopreneur", "cohort_year": 2001, "status": "active"}
    response = world.client("admin").post(url("person_participation_add", world.person_a.pk), data)
    assert "cohort_year" in response.context["form"].errors


def test_facilitator_changes_status(world):
    part = Participation.objects.get(person=world.person_a)
    data = {"pillar": "santripreneur", "cohort_year": 2025, "status": "graduated"}
    response = world.client("facilitator").post(url("participation_edit", part.pk), data)
    assert response.status_code == 302
    part.refresh_from_db()
    assert part.status == "graduated"


def test_participant_cannot_change_own_participation(world):
    part = Participation.objects.get(person=world.person_a)
    data = {"pillar": "santripreneur", "cohort_year": 2025, "status": "graduated"}
    assert (
        world.client("participant").post(url("participation_edit", part.pk), data).status_code
        == 403
    )
    assert (
        world.client("participant")
        .get(url("person_participation_add", world.person_a.pk))
        .status_code
        == 403
    )


@pytest.mark.parametrize("persona", ["officer", "manager_a", "kalsel_admin"])
def test_participation_of_other_scope_is_not_found(world, persona):
    part = Participation.objects.get(person=world.person_b)
    assert world.client(persona).get(url("participation_edit", part.pk)).status_code == 404


def test_auditor_cannot_change_participation(world):
    part = Participation.objects.get(person=world.person_a)
    data = {"pillar": "santripreneur", "cohort_year": 2025, "status": "withdrawn"}
    assert world.client("auditor").post(url("participation_edit", part.pk), data).status_code == 403
    part.refresh_from_db()
    assert part.status == "active"


def test_anonymous_and_outsiders_cannot_change_participation(world):
    part = Participation.objects.get(person=world.person_a)
    response = world.client("anonymous").get(url("participation_edit", part.pk))
    assert response.status_code == 302 and "/accounts/login/" in response.url
    for persona in ("juror", "buyer", "partner", "outsider"):
        assert world.client(persona).get(url("participation_edit", part.pk)).status_code == 403
