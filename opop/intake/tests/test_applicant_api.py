"""The registration-status API: public open cohorts, and each caller's own applications."""

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from opop.intake.models import Application, ApplicationEvent, Cohort
from opop.intake.services import registration
from opop.intake.tests.applicant_helpers import NIK_MAN, new_applicant, open_cohort, started
from opop.programmes.models import Pillar

pytestmark = pytest.mark.django_db

APPLICATIONS = "/api/v1/intake/applications/"
COHORTS = "/api/v1/intake/cohorts/"


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        token = Token.objects.create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


# --- Open cohorts --------------------------------------------------------------------------------


def test_anyone_lists_the_open_cohorts_with_their_rules(world):
    cohort = open_cohort(world.jatim, min_age=18, max_age=55, required_documents=["nib"])
    open_cohort(world.jatim, Pillar.SANTRIPRENEUR, status=Cohort.Status.DRAFT)
    started(new_applicant(), cohort)
    rows = results(api().get(COHORTS))
    assert [row["id"] for row in rows] == [cohort.pk]
    row = rows[0]
    assert row["programme"] == {"code": "jatim", "name": "OPOP Jawa Timur"}
    assert row["rules"] == {
        "require_nspp": True,
        "exclude_earlier_cohorts": True,
        "min_age": 18,
        "max_age": 55,
    }
    assert row["required_documents"] == [{"kind": "nib", "label": "NIB (business registration)"}]
    assert set(row) == {
        "id",
        "programme",
        "year",
        "pillar",
        "name",
        "opens_on",
        "closes_on",
        "notes",
        "rules",
        "required_documents",
    }
    assert api().get(f"{COHORTS}{cohort.pk}/").status_code == 200


def test_a_cohort_not_open_is_not_in_the_public_api(world):
    closed = open_cohort(world.jatim, status=Cohort.Status.CLOSED)
    assert api().get(f"{COHORTS}{closed.pk}/").status_code == 404


# --- My applications -------------------------------------------------------------------------


def test_an_applicant_reads_their_own_applications_with_what_blocks_them(world):
    cohort = open_cohort(world.jatim, required_documents=["nib"])
    application = started(new_applicant(), cohort)
    other = started(new_applicant(), open_cohort(world.jatim, Pillar.SANTRIPRENEUR))
    rows = results(api(application.applicant).get(APPLICATIONS))
    assert [row["reference"] for row in rows] == [application.reference]
    row = rows[0]
    assert row["status"] == "draft" and row["submitted_at"] is None and row["decided_at"] is None
    assert row["cohort"]["id"] == cohort.pk and row["cohort"]["programme"] == "jatim"
    assert row["unmet"] == ["nspp_required", "document_missing"]
    assert "pesantren_name" in row["missing_fields"] and "nik" in row["missing_fields"]
    assert [event["action"] for event in row["events"]] == ["created"]
    assert other.reference not in str(rows)


def test_the_history_shows_reasons_but_never_who_acted(world):
    application = started(new_applicant(), open_cohort(world.jatim))
    Application.objects.filter(pk=application.pk).update(status=Application.Status.NEEDS_FIXING)
    ApplicationEvent.objects.create(
        application=application,
        actor=world.user("officer"),
        action=ApplicationEvent.Action.NEEDS_FIXING,
        reasons="Scan the NIB again.",
        checklist={"nib": {"ok": False, "note": "Unreadable."}},
    )
    response = api(application.applicant).get(f"{APPLICATIONS}{application.reference}/")
    assert response.status_code == 200
    event = response.json()["events"][-1]
    assert event["action"] == "needs_fixing" and event["reasons"] == "Scan the NIB again."
    assert event["checklist"] == [{"document": "nib", "ok": False, "note": "Unreadable."}]
    assert set(event) == {"action", "label", "at", "reasons", "checklist"}
    assert "officer" not in response.content.decode().lower()


def test_the_api_never_returns_the_nik(world):
    application = started(new_applicant(), open_cohort(world.jatim))
    registration.application_save_draft(
        actor=application.applicant, application=application, data={}, nik=NIK_MAN
    )
    body = api(application.applicant).get(f"{APPLICATIONS}{application.reference}/").content
    assert NIK_MAN.encode() not in body and b"nik_" not in body


def test_a_submitted_file_has_nothing_left_to_fix(world):
    application = started(new_applicant(), open_cohort(world.jatim))
    Application.objects.filter(pk=application.pk).update(status=Application.Status.SUBMITTED)
    row = api(application.applicant).get(f"{APPLICATIONS}{application.reference}/").json()
    assert row["status"] == "submitted" and row["unmet"] == [] and row["missing_fields"] == []


def test_the_session_of_the_pages_works_too(world):
    application = started(new_applicant(), open_cohort(world.jatim))
    client = APIClient()
    client.force_login(application.applicant)
    assert [r["reference"] for r in results(client.get(APPLICATIONS))] == [application.reference]


# --- Refusals ----------------------------------------------------------------------------------


def test_an_anonymous_caller_is_refused(world):
    application = started(new_applicant(), open_cohort(world.jatim))
    assert api().get(APPLICATIONS).status_code == 401
    assert api().get(f"{APPLICATIONS}{application.reference}/").status_code == 401


@pytest.mark.parametrize("persona", ["admin", "officer", "auditor", "participant", "outsider"])
def test_another_users_reference_is_a_404_whatever_their_role(world, persona):
    application = started(new_applicant(), open_cohort(world.jatim))
    client = api(world.user(persona))
    assert client.get(f"{APPLICATIONS}{application.reference}/").status_code == 404
    assert results(client.get(APPLICATIONS)) == []


def test_the_api_is_read_only(world):
    application = started(new_applicant(), open_cohort(world.jatim))
    client = api(application.applicant)
    url = f"{APPLICATIONS}{application.reference}/"
    assert client.patch(url, {"status": "accepted"}, format="json").status_code == 405
    assert client.post(APPLICATIONS, {}, format="json").status_code == 405
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT


def test_the_schema_documents_the_intake_endpoints(world):
    schema = api().get("/api/v1/schema/?format=json").json()
    assert "/api/v1/intake/applications/{reference}/" in schema["paths"]
    assert "/api/v1/intake/cohorts/" in schema["paths"]
