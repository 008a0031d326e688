"""The public certificate verification page says plainly whether a code is valid: a valid
certificate, a revoked one, and a code that belongs to no certificate (forged or mistyped), which
used to get the site's generic "page not found" instead of the verification page."""

import pytest
from django.urls import reverse
from django.utils import translation

from opop.training import services
from opop.training.models import Certificate
from opop.training.tests.helpers import make_session

pytestmark = pytest.mark.django_db


def _certificate(world) -> Certificate:
    admin = world.user("admin")
    session = make_session(world, uses_tests=False)
    enrolment = services.organiser_enrol(actor=admin, session=session, person=world.person_a)
    services.check_in(actor=admin, session=session, code=enrolment.checkin_code)
    services.certificates_issue(actor=admin, session=session)
    return Certificate.objects.get(enrolment=enrolment)


def _get(world, code: str):
    with translation.override("en"):
        url = reverse("training:verify", args=[code])
    return world.client("anonymous").get(url, HTTP_ACCEPT_LANGUAGE="en")


def test_valid_and_revoked_certificates_are_marked(world):
    certificate = _certificate(world)
    valid = _get(world, certificate.verify_code)
    page = valid.content.decode()
    assert valid.status_code == 200
    assert 'data-valid="1"' in page and "This certificate is VALID." in page
    assert "Ahmad Fauzi" in page and certificate.number in page
    services.certificate_revoke(actor=world.user("admin"), certificate=certificate, reason="Error")
    revoked = _get(world, certificate.verify_code).content.decode()
    assert 'data-valid="0"' in revoked and "REVOKED" in revoked


def test_unknown_code_shows_the_verification_page_saying_not_valid(world):
    _certificate(world)
    response = _get(world, "NoSuchCode123")
    page = response.content.decode()
    assert response.status_code == 404
    assert 'id="verify-status"' in page and 'data-valid="0"' in page
    assert "NOT VALID" in page
    assert "Ahmad Fauzi" not in page  # nothing of another certificate shows
