import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from opop.accounts.access import access_for
from opop.registry.models import Person
from opop.training import services
from opop.training.figures import dashboard_figures
from opop.training.journey import journey_events
from opop.training.models import Certificate, Enrolment
from opop.training.tests.helpers import make_session

ORGANISER_PAGES = ["session", "session_edit", "invite", "checkin"]
ORGANISER_POSTS = ["enrol", "scores", "certificates"]
NOT_ORGANISERS = ["facilitator", "manager_a", "participant", "juror", "buyer", "auditor"]


@pytest.mark.django_db
def test_organiser_pages_refused_to_others(world):
    session = make_session(world)
    for persona in NOT_ORGANISERS + ["outsider"]:
        client = world.client(persona)
        assert client.get(reverse("training:sessions")).status_code == 403, persona
        assert client.get(reverse("training:session_new")).status_code == 403, persona
        for name in ORGANISER_PAGES:
            assert client.get(reverse(f"training:{name}", args=[session.pk])).status_code == 403
        for name in ORGANISER_POSTS:
            assert client.post(reverse(f"training:{name}", args=[session.pk])).status_code == 403
    anonymous = world.client("anonymous")
    assert anonymous.get(reverse("training:sessions")).status_code == 302  # to the login page


@pytest.mark.django_db
def test_out_of_scope_sessions_are_404(world):
    surabaya = make_session(world)
    jombang = make_session(world, regency="35.17")
    officer = world.client("officer")
    assert officer.get(reverse("training:session", args=[surabaya.pk])).status_code == 200
    for name in ORGANISER_PAGES:
        assert officer.get(reverse(f"training:{name}", args=[jombang.pk])).status_code == 404
    for persona in ("kalsel_admin", "partner"):  # another programme; not the partner's training
        client = world.client(persona)
        assert client.get(reverse("training:session", args=[surabaya.pk])).status_code == 404
        assert client.post(reverse("training:certificates", args=[surabaya.pk])).status_code == 404
    enrolment = services.organiser_enrol(
        actor=world.user("admin"), session=jombang, person=world.person_b
    )
    assert (
        officer.post(reverse("training:enrolment_cancel", args=[enrolment.pk])).status_code == 404
    )


@pytest.mark.django_db
def test_officer_may_only_enrol_people_of_their_kab_kota(world):
    session = make_session(world)
    officer = world.client("officer")
    url = reverse("training:enrol", args=[session.pk])
    assert officer.post(url, {"person": world.person_b.pk}).status_code == 404  # Jombang
    assert officer.post(url, {"person": world.person_kalsel.pk}).status_code == 404
    assert officer.post(url, {"person": world.person_a.pk}).status_code == 302
    assert Enrolment.objects.filter(session=session).count() == 1
    page = officer.get(reverse("training:invite", args=[session.pk])).content.decode()
    assert world.person_b.full_name not in page


@pytest.mark.django_db
def test_partner_runs_their_own_sessions(world):
    partner = world.client("partner")
    response = partner.post(
        reverse("training:training_new"),
        {"kind": "berdaya", "name": "OPOP Berdaya", "year": 2025, "organiser_name": "Disnaker"},
    )
    assert response.status_code == 302
    assert partner.get(reverse("training:session_new")).status_code == 200


@pytest.mark.django_db
def test_participant_pages_refused_to_others(world):
    session = make_session(world)
    enrolment = services.organiser_enrol(
        actor=world.user("admin"), session=session, person=world.person_a
    )
    for persona in ("juror", "buyer", "auditor", "partner", "outsider"):
        client = world.client(persona)
        assert client.get(reverse("training:my")).status_code == 403, persona
        assert client.get(reverse("training:my_enrolment", args=[enrolment.pk])).status_code == 403
    manager = world.client("manager_a")  # not linked to this person: 404
    assert manager.get(reverse("training:my")).status_code == 200
    assert manager.get(reverse("training:my_enrolment", args=[enrolment.pk])).status_code == 404
    assert manager.get(reverse("training:survey", args=[enrolment.pk])).status_code == 404
    services.check_in(actor=world.user("admin"), session=session, code=enrolment.checkin_code)
    enrolment.refresh_from_db()
    session.uses_tests = False
    session.save()
    services.certificates_issue(actor=world.user("admin"), session=session)
    cert = Certificate.objects.get()
    url = reverse("training:certificate_pdf", args=[cert.pk])
    for persona in ("manager_a", "juror", "kalsel_admin"):
        assert world.client(persona).get(url).status_code in (403, 404), persona
    assert world.client("anonymous").get(url).status_code == 302
    assert world.client("admin").get(url).status_code == 200


def _attend_and_certify(world, session, person):
    admin = world.user("admin")
    enrolment = services.organiser_enrol(actor=admin, session=session, person=person)
    services.check_in(actor=admin, session=session, code=enrolment.checkin_code)
    services.certificates_issue(actor=admin, session=session)


@pytest.mark.django_db
def test_dashboard_figures_are_scoped(world):
    surabaya = make_session(world, uses_tests=False)
    jombang = make_session(world, regency="35.17", uses_tests=False)
    _attend_and_certify(world, surabaya, world.person_a)
    _attend_and_certify(world, jombang, world.person_b)
    year = surabaya.starts_at.year
    admin = dashboard_figures(access_for(world.user("admin")), year=year)
    assert (admin["sessions"], admin["attendees"], admin["certificates"]) == (2, 2, 2)
    assert {r["code"] for r in admin["by_regency"]} == {"35.78", "35.17"}
    officer = dashboard_figures(access_for(world.user("officer")), year=year)
    assert (officer["sessions"], officer["attendees"], officer["certificates"]) == (1, 1, 1)
    manager_b = dashboard_figures(access_for(world.user("manager_b")), year=year)
    assert manager_b["attendees"] == 1 and manager_b["by_regency"][0]["code"] == "35.17"
    kalsel = dashboard_figures(access_for(world.user("kalsel_admin")), year=year)
    assert kalsel["attendees"] == 0
    assert dashboard_figures(access_for(world.user("juror")), year=year)["attendees"] == 0
    assert dashboard_figures(access_for(world.user("admin")), year=year - 1)["sessions"] == 0


@pytest.mark.django_db
def test_journey_events_counts_without_names(world):
    session = make_session(world, uses_tests=False)
    _attend_and_certify(world, session, world.person_a)
    events = journey_events(world.pesantren_a.pk, access_for(world.user("manager_a")))
    assert [e.kind for e in events] == ["training.attended", "training.certified"]
    for event in events:
        assert world.person_a.full_name not in f"{event.title} {event.detail}"
    assert "1 person attended" in events[0].detail
    assert journey_events(world.pesantren_a.pk, access_for(world.user("manager_b"))) == []
    assert journey_events(world.pesantren_a.pk, access_for(world.user("kalsel_admin"))) == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_parallel_enrolments_never_exceed_capacity(world):
    session = make_session(world, capacity=3)
    people = [
        Person.objects.create(programme=world.jatim, full_name=f"Santri {n}", regency_id="35.78")
        for n in range(12)
    ]
    services.invitations_create(
        actor=world.user("admin"),
        session=session,
        people=Person.objects.filter(pk__in=[p.pk for p in people]),
    )
    enrolments = list(Enrolment.objects.filter(session=session))
    barrier = threading.Barrier(len(enrolments))
    errors = []

    def accept(enrolment):
        try:
            barrier.wait()
            services.invitation_accept(actor=None, enrolment=enrolment)
        except ValidationError as exc:  # pragma: no cover - would be a bug
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(e,)) for e in enrolments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    statuses = list(Enrolment.objects.filter(session=session).values_list("status", flat=True))
    assert statuses.count(Enrolment.Status.ENROLLED) == 3
    assert statuses.count(Enrolment.Status.WAITLISTED) == 9


@pytest.mark.django_db
def test_officer_creates_a_session_only_in_their_kab_kota(world):
    training = make_session(world).training
    officer = world.client("officer")
    data = {
        "training": training.pk,
        "title": "Pemasaran digital",
        "starts_at": "2030-03-01T08:00",
        "ends_at": "2030-03-01T15:00",
        "place": "Aula",
        "capacity": 20,
        "uses_tests": "on",
        "survey_after_months": 3,
    }
    assert (
        officer.post(reverse("training:session_new"), {**data, "regency": "35.17"}).status_code
        == 200
    )
    response = officer.post(reverse("training:session_new"), {**data, "regency": "35.78"})
    assert response.status_code == 302
    from opop.training.models import Session

    created = Session.objects.get(title="Pemasaran digital")
    assert created.regency_id == "35.78" and created.programme_id == world.jatim.pk
    assert created.created_by == world.user("officer")


@pytest.mark.django_db
def test_organiser_pages_render(world):
    session = make_session(world)
    admin = world.client("admin")
    assert session.title in admin.get(reverse("training:sessions")).content.decode()
    page = admin.get(reverse("training:checkin", args=[session.pk])).content.decode()
    assert "training/checkin.js" in page and 'name="code"' in page
    invite = admin.get(reverse("training:invite", args=[session.pk])).content.decode()
    assert world.person_a.full_name in invite and world.person_kalsel.full_name not in invite
    assert admin.get(reverse("training:session_edit", args=[session.pk])).status_code == 200
    assert admin.get(reverse("training:training_new")).status_code == 200
    assert admin.get(reverse("training:home")).status_code == 302
    assert world.client("participant").get(reverse("training:home")).status_code == 302
