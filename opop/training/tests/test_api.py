"""The training API: sessions and enrolments in scope, refusals, no personal data."""

import datetime as dt

import pytest
from django.utils import timezone

from opop.common.testing.api import api
from opop.registry.models import Person
from opop.training import services
from opop.training.models import Session
from opop.training.tests.helpers import make_session

pytestmark = pytest.mark.django_db

SESSIONS = "/api/v1/trainings/sessions/"
ENROLMENTS = "/api/v1/trainings/enrolments/"


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def titles(response) -> set[str]:
    return {row["title"] for row in results(response)}


def titled(world, title: str, **extra) -> Session:
    session = make_session(world, **extra)
    Session.objects.filter(pk=session.pk).update(title=title)
    session.title = title
    return session


@pytest.fixture
def trainings(world):
    """A coming session in Surabaya (person A attended, scored, certified) and a past one in
    Jombang (person B enrolled)."""
    admin = world.user("admin")
    surabaya = titled(world, "Pembukuan Surabaya")
    jombang = titled(world, "Kemasan Jombang", regency="35.17")
    a = services.organiser_enrol(actor=admin, session=surabaya, person=world.person_a)
    services.check_in(actor=admin, session=surabaya, code=a.checkin_code)
    services.scores_save(actor=admin, session=surabaya, scores={a.pk: (40, 85)})
    services.certificates_issue(actor=admin, session=surabaya)
    b = services.organiser_enrol(actor=admin, session=jombang, person=world.person_b)
    past = timezone.now() - dt.timedelta(days=400)
    Session.objects.filter(pk=jombang.pk).update(
        starts_at=past, ends_at=past + dt.timedelta(hours=5)
    )
    jombang.refresh_from_db()
    return {"surabaya": surabaya, "jombang": jombang, "a": a, "b": b}


# --- Sessions ---------------------------------------------------------------------------------


def test_admin_lists_sessions_with_counts(world, trainings):
    rows = {row["title"]: row for row in results(api(world, "admin").get(SESSIONS))}
    assert set(rows) == {"Pembukuan Surabaya", "Kemasan Jombang"}
    surabaya = rows["Pembukuan Surabaya"]
    assert surabaya["enrolled"] == 1 and surabaya["attended"] == 1
    assert surabaya["regency"] == {"code": "35.78", "name": "Kota Surabaya"}
    assert surabaya["training"]["name"] == "Santri OPOP Camp"
    assert rows["Kemasan Jombang"]["attended"] == 0


def test_session_filters(world, trainings):
    client = api(world, "admin")
    assert titles(client.get(SESSIONS, {"upcoming": "true"})) == {"Pembukuan Surabaya"}
    assert titles(client.get(SESSIONS, {"regency": "35.17"})) == {"Kemasan Jombang"}
    year = timezone.localtime(trainings["jombang"].starts_at).year
    assert titles(client.get(SESSIONS, {"year": year})) == {"Kemasan Jombang"}
    assert titles(client.get(SESSIONS, {"status": "cancelled"})) == set()
    assert client.get(SESSIONS, {"year": "soon"}).status_code == 400
    assert client.get(SESSIONS, {"regency": "x"}).status_code == 400


@pytest.mark.parametrize(
    "persona, expected",
    [
        ("officer", {"Pembukuan Surabaya"}),  # held in their kab/kota
        ("participant", {"Pembukuan Surabaya"}),  # enrolled in it
        ("partner", set()),  # not their training
        ("manager_a", set()),  # no person linked to the membership
        ("kalsel_admin", set()),
    ],
)
def test_sessions_are_scoped(world, trainings, persona, expected):
    assert titles(api(world, persona).get(SESSIONS)) == expected


def test_partner_sees_the_sessions_they_created(world, trainings):
    start = timezone.now() + dt.timedelta(days=5)
    own = Session(
        training=trainings["surabaya"].training,
        title="Sesi Mitra",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        capacity=5,
    )
    services.session_save(actor=world.user("partner"), session=own)
    assert titles(api(world, "partner").get(SESSIONS)) == {"Sesi Mitra"}


@pytest.mark.parametrize(
    "persona, session",
    [("officer", "jombang"), ("participant", "jombang"), ("partner", "surabaya")],
)
def test_session_detail_outside_the_scope_is_404(world, trainings, persona, session):
    pk = trainings[session].pk
    assert api(world, persona).get(f"{SESSIONS}{pk}/").status_code == 404


# --- Enrolments -------------------------------------------------------------------------------


def test_organiser_reads_enrolments_with_scores_and_certificate(world, trainings):
    rows = results(api(world, "officer").get(ENROLMENTS))
    assert [row["person"]["full_name"] for row in rows] == [world.person_a.full_name]
    row = rows[0]
    assert (row["pre_score"], row["post_score"]) == (40, 85)
    assert row["checked_in_at"] and row["status"] == "enrolled"
    certificate = row["certificate"]
    assert certificate["is_valid"] and certificate["number"].startswith("OPOP-JATIM-")
    assert "/training/verify/" in certificate["verify_url"]
    assert certificate["pdf_url"].startswith("http://testserver/training/certificates/")
    assert row["checkin_code"] is None  # an organiser never gets a participant's code


def test_participant_reads_only_their_own_enrolments_and_their_usable_code(world, trainings):
    client = api(world, "participant")
    rows = results(client.get(ENROLMENTS))
    assert [row["id"] for row in rows] == [trainings["a"].pk]
    assert rows[0]["checkin_code"] is None  # already checked in: the code is spent
    fresh = services.organiser_enrol(
        actor=world.user("admin"), session=titled(world, "Lagi"), person=world.person_a
    )
    rows = {row["id"]: row for row in results(client.get(ENROLMENTS))}
    assert rows[fresh.pk]["checkin_code"] == fresh.checkin_code
    assert client.get(f"{ENROLMENTS}{trainings['b'].pk}/").status_code == 404


def test_enrolment_filters(world, trainings):
    client = api(world, "admin")
    by_session = results(client.get(ENROLMENTS, {"session": trainings["jombang"].pk}))
    assert [row["id"] for row in by_session] == [trainings["b"].pk]
    assert results(client.get(ENROLMENTS, {"status": "waitlisted"})) == []
    assert client.get(ENROLMENTS, {"status": "astronaut"}).status_code == 400


@pytest.mark.parametrize("persona, enrolment", [("officer", "b"), ("kalsel_admin", "a")])
def test_enrolment_detail_outside_the_scope_is_404(world, trainings, persona, enrolment):
    pk = trainings[enrolment].pk
    assert api(world, persona).get(f"{ENROLMENTS}{pk}/").status_code == 404


# --- Refusals and personal data ---------------------------------------------------------------


@pytest.mark.parametrize("persona", ["facilitator", "auditor", "juror", "buyer", "outsider"])
@pytest.mark.parametrize("endpoint", [SESSIONS, ENROLMENTS])
def test_roles_that_neither_organise_nor_attend_are_refused(world, trainings, persona, endpoint):
    assert api(world, persona).get(endpoint).status_code == 403


@pytest.mark.parametrize("endpoint", [SESSIONS, ENROLMENTS])
def test_anonymous_gets_401(world, trainings, endpoint):
    assert api(world, "anonymous").get(endpoint).status_code == 401


def test_no_personal_data_in_the_payload(world, trainings):
    person = Person.objects.get(pk=world.person_a.pk)
    client = api(world, "admin")
    for response in (
        client.get(ENROLMENTS),
        client.get(f"{ENROLMENTS}{trainings['a'].pk}/"),
        client.get(SESSIONS),
    ):
        body = response.content.decode()
        for secret in (person.phone, person.email, person.address, person.nik_masked):
            assert secret not in body
        for key in ('"nik', '"phone"', '"address"', '"email"', '"birth'):
            assert key not in body


def test_pagination(world, trainings):
    first = api(world, "admin").get(SESSIONS, {"page_size": 1}).json()
    assert first["count"] == 2 and len(first["results"]) == 1 and "page=2" in first["next"]


# Token, memberships, count, page rows (session, training, person and certificate joined).
ENROLMENT_QUERIES = 4


def test_enrolment_list_query_count_does_not_grow_with_rows(
    world, trainings, django_assert_num_queries
):
    admin = world.user("admin")
    session = trainings["surabaya"]
    for n in range(8):
        person = Person.objects.create(
            programme=world.jatim, full_name=f"Santri {n}", regency_id="35.78"
        )
        services.organiser_enrol(actor=admin, session=session, person=person)
    client = api(world, "admin")
    with django_assert_num_queries(ENROLMENT_QUERIES):
        assert len(results(client.get(ENROLMENTS))) == 10
