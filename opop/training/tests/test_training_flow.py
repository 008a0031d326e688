import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from opop.notifications.models import Notification
from opop.programmes.models import Pillar
from opop.registry.models import Person
from opop.training import services
from opop.training.models import Certificate, Enrolment
from opop.training.selectors import survey_is_due
from opop.training.targeting import eligible_people
from opop.training.tests.helpers import make_session

pytestmark = pytest.mark.django_db


def test_targeting_by_pillar_and_regency(world):
    session = make_session(world, target_pillar=Pillar.SANTRIPRENEUR)
    assert set(eligible_people(session)) == {world.person_a, world.person_b}
    session.target_regency_id = "35.17"
    assert list(eligible_people(session)) == [world.person_b]
    session.target_regency_id = None
    session.target_pillar = Pillar.PESANTRENPRENEUR  # people of pesantren in that pillar
    assert list(eligible_people(session)) == [world.person_a]
    # another programme's people are never eligible
    assert world.person_kalsel not in eligible_people(session)


def test_bulk_invite_notifies_and_is_idempotent(world):
    session = make_session(world)
    admin = world.user("admin")
    n = services.invitations_create(
        actor=admin, session=session, people=Person.objects.filter(programme=world.jatim)
    )
    assert n == 2
    assert Notification.objects.filter(
        user=world.user("participant"), kind="training.invited"
    ).exists()
    again = services.invitations_create(
        actor=admin, session=session, people=Person.objects.filter(programme=world.jatim)
    )
    assert again == 0 and session.enrolments.count() == 2


def test_capacity_and_waiting_list_moves_up(world):
    session = make_session(world, capacity=1)
    admin = world.user("admin")
    first = services.organiser_enrol(actor=admin, session=session, person=world.person_b)
    second = services.organiser_enrol(actor=admin, session=session, person=world.person_a)
    assert first.status == Enrolment.Status.ENROLLED
    assert second.status == Enrolment.Status.WAITLISTED
    services.enrolment_cancel(actor=admin, enrolment=first)
    second.refresh_from_db()
    assert second.status == Enrolment.Status.ENROLLED


def test_participant_accepts_invitation_and_sees_qr(world):
    session = make_session(world)
    services.invitations_create(
        actor=world.user("admin"),
        session=session,
        people=Person.objects.filter(pk=world.person_a.pk),
    )
    enrolment = Enrolment.objects.get(person=world.person_a)
    client = world.client("participant")
    url = reverse("training:my_enrolment", args=[enrolment.pk])
    assert client.post(url, {"action": "accept"}).status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ENROLLED
    page = client.get(url).content.decode()
    assert "<svg" in page and enrolment.code_display in page
    # another participant's enrolment is 404
    other = services.organiser_enrol(
        actor=world.user("admin"), session=session, person=world.person_b
    )
    assert client.get(reverse("training:my_enrolment", args=[other.pk])).status_code == 404


def _attended(world, *, uses_tests=True):
    session = make_session(world, uses_tests=uses_tests)
    enrolment = services.organiser_enrol(
        actor=world.user("admin"), session=session, person=world.person_a
    )
    return session, enrolment


def test_check_in_by_code_is_idempotent(world):
    session, enrolment = _attended(world)
    client = world.client("officer")  # session held in Surabaya
    url = reverse("training:checkin", args=[session.pk])
    typed = enrolment.code_display.lower()  # dashes and lower case are forgiven
    response = client.post(url, {"code": typed})
    assert response.status_code == 200 and "checked in." in response.content.decode()
    enrolment.refresh_from_db()
    first = enrolment.checked_in_at
    assert first is not None
    response = client.post(url, {"code": enrolment.checkin_code})
    assert "was already checked in" in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.checked_in_at == first
    assert client.post(url, {"code": "WRONGCODE123"}).status_code == 400


def test_check_in_code_of_another_session_refused(world):
    session, enrolment = _attended(world)
    other = make_session(world)
    with pytest.raises(ValidationError):
        services.check_in(actor=world.user("admin"), session=other, code=enrolment.checkin_code)


def test_scores_certificate_and_public_verification(world):
    session, enrolment = _attended(world)
    admin = world.client("admin")
    admin.post(reverse("training:checkin", args=[session.pk]), {"code": enrolment.checkin_code})
    response = admin.post(
        reverse("training:scores", args=[session.pk]),
        {f"pre_{enrolment.pk}": "40", f"post_{enrolment.pk}": "85"},
    )
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert (enrolment.pre_score, enrolment.post_score) == (40, 85)
    admin.post(reverse("training:scores", args=[session.pk]), {f"pre_{enrolment.pk}": "140"})
    enrolment.refresh_from_db()
    assert enrolment.pre_score == 40  # out of range refused
    admin.post(reverse("training:certificates", args=[session.pk]))
    admin.post(reverse("training:certificates", args=[session.pk]))  # twice: still one
    certificate = Certificate.objects.get(enrolment=enrolment)
    pdf = world.client("participant").get(
        reverse("training:certificate_pdf", args=[certificate.pk])
    )
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    public = world.client("anonymous").get(
        reverse("training:verify", args=[certificate.verify_code])
    )
    page = public.content.decode()
    assert public.status_code == 200 and "VALID" in page and "Ahmad Fauzi" in page
    person = world.person_a
    for private in (
        person.phone,
        person.email,
        person.address,
        person.nik_masked,
        "3578011508950001",
    ):
        assert private and private not in page
    services.certificate_revoke(actor=world.user("admin"), certificate=certificate, reason="Error")
    page = world.client("anonymous").get(reverse("training:verify", args=[certificate.verify_code]))
    assert "REVOKED" in page.content.decode()
    assert (
        world.client("anonymous").get(reverse("training:verify", args=["nope"])).status_code == 404
    )


def test_certificates_need_a_post_test_when_the_session_uses_tests(world):
    session, enrolment = _attended(world)
    services.check_in(actor=world.user("admin"), session=session, code=enrolment.checkin_code)
    assert services.certificates_issue(actor=world.user("admin"), session=session) == 0
    session2, enrolment2 = _attended(world, uses_tests=False)
    services.check_in(actor=world.user("admin"), session=session2, code=enrolment2.checkin_code)
    assert services.certificates_issue(actor=world.user("admin"), session=session2) == 1


def test_follow_up_survey_due_after_months(world):
    session, enrolment = _attended(world)
    services.check_in(actor=world.user("admin"), session=session, code=enrolment.checkin_code)
    enrolment.refresh_from_db()
    assert not survey_is_due(enrolment)
    session.starts_at -= dt.timedelta(days=120)
    session.ends_at -= dt.timedelta(days=120)
    session.save()
    enrolment.refresh_from_db()
    assert survey_is_due(enrolment)
    client = world.client("participant")
    assert "Follow-up surveys to answer" in client.get(reverse("training:my")).content.decode()
    url = reverse("training:survey", args=[enrolment.pk])
    response = client.post(
        url, {"applied_skill": "yes", "revenue_change": "up", "comments": "Laris"}
    )
    assert response.status_code == 302
    assert client.get(url).status_code == 404  # answered: closed
    report = world.client("admin").get(reverse("training:session", args=[session.pk]))
    assert "Laris" in report.content.decode()


def test_accept_after_session_is_over_refused(world):
    session = make_session(world)
    services.invitations_create(
        actor=world.user("admin"),
        session=session,
        people=Person.objects.filter(pk=world.person_a.pk),
    )
    session.starts_at = timezone.now() - dt.timedelta(days=2)
    session.ends_at = timezone.now() - dt.timedelta(days=1)
    session.save()
    enrolment = Enrolment.objects.get(person=world.person_a)
    with pytest.raises(ValidationError):
        services.invitation_accept(actor=world.user("participant"), enrolment=enrolment)
