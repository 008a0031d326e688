"""Personal data on the pages (UU PDP): masked NIK, audited reveal, contact masking, the data
subject's JSON export, and deletion by anonymisation."""

import json

import pytest

from opop.common.models import AuditEvent
from opop.registry.models import Participation
from opop.registry.tests.pages import html, url

pytestmark = pytest.mark.django_db
CLEAR_NIK = "3578011508950001"
HTMX = {"HTTP_HX_REQUEST": "true"}


def reveals(world):
    return AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW_PII, target_id=world.person_a.pk
    ).count()


@pytest.mark.parametrize("persona", ["admin", "officer", "facilitator", "manager_a", "auditor"])
def test_person_page_shows_nik_masked_only(world, persona):
    page = html(world.client(persona).get(url("person_detail", world.person_a.pk)))
    assert "3578••••••••0001" in page
    assert CLEAR_NIK not in page
    assert world.person_a.nik_cipher not in page and world.person_a.nik_hash not in page


@pytest.mark.parametrize("persona", ["admin", "officer", "facilitator", "participant"])
def test_reveal_nik_is_shown_and_audited(world, persona):
    response = world.client(persona).post(url("person_reveal_nik", world.person_a.pk), **HTMX)
    assert response.status_code == 200
    assert CLEAR_NIK in html(response)
    assert reveals(world) == 1
    event = AuditEvent.objects.get(action=AuditEvent.Action.VIEW_PII)
    assert event.actor == world.user(persona)


def test_reveal_without_htmx_renders_the_page(world):
    response = world.client("admin").post(url("person_reveal_nik", world.person_a.pk))
    assert response.status_code == 200 and CLEAR_NIK in html(response)
    assert "Ahmad Fauzi" in html(response)


@pytest.mark.parametrize("persona", ["manager_a", "auditor"])
def test_reveal_nik_refused_for_manager_and_auditor(world, persona):
    client = world.client(persona)
    assert "Show NIK" not in html(client.get(url("person_detail", world.person_a.pk)))
    response = client.post(url("person_reveal_nik", world.person_a.pk), **HTMX)
    assert response.status_code == 403
    assert reveals(world) == 0


def test_reveal_nik_needs_post(world):
    response = world.client("admin").get(url("person_reveal_nik", world.person_a.pk))
    assert response.status_code == 405


def test_reveal_button_posts_by_htmx(world):
    page = html(world.client("admin").get(url("person_detail", world.person_a.pk)))
    assert f'hx-post="{url("person_reveal_nik", world.person_a.pk)}"' in page


def test_auditor_sees_contact_data_masked(world):
    page = html(world.client("auditor").get(url("person_detail", world.person_a.pk)))
    assert "+6281234567890" not in page and "+62812••••7890" in page
    assert "ahmad@example.id" not in page
    assert "Jl. Pesantren No. 1" not in page
    assert "15-08-1995" not in page


def test_manager_sees_contact_data(world):
    page = html(world.client("manager_a").get(url("person_detail", world.person_a.pk)))
    assert "+6281234567890" in page and "ahmad@example.id" in page


def test_history_masks_contact_changes_for_auditor(world):
    data = {
        "full_name": "Ahmad Fauzi",
        "phone": "081399998888",
        "regency": "35.78",
        "consent": "on",
        "consent_purpose": "OPOP",
        "pesantren": world.pesantren_a.pk,
    }
    assert (
        world.client("admin").post(url("person_edit", world.person_a.pk), data).status_code == 302
    )
    page = html(world.client("auditor").get(url("person_detail", world.person_a.pk)))
    assert "+6281399998888" not in page
    admin_page = html(world.client("admin").get(url("person_detail", world.person_a.pk)))
    assert "+6281399998888" in admin_page


# --- Data export (access request) ----------------------------------------------------------


def test_admin_downloads_all_data_about_a_person(world):
    response = world.client("admin").post(url("person_data_export", world.person_a.pk))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["person"]["full_name"] == "Ahmad Fauzi"
    assert data["person"]["nik"] == CLEAR_NIK
    assert "nik_cipher" not in data["person"] and "nik_hash" not in data["person"]
    assert [p["pillar"] for p in data["participations"]] == ["santripreneur"]
    assert [e["name"] for e in data["enterprises"]] == ["Keripik Al-Hikmah"]
    assert data["history"][0]["action"] == "export_pii"
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.EXPORT_PII, target_id=world.person_a.pk
    ).exists()


def test_participant_downloads_own_data(world):
    response = world.client("participant").post(url("person_data_export", world.person_a.pk))
    assert response.status_code == 200
    assert json.loads(response.content)["person"]["nik"] == CLEAR_NIK


def test_participant_cannot_download_someone_else(world):
    response = world.client("participant").post(url("person_data_export", world.person_b.pk))
    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["officer", "facilitator", "manager_a", "auditor"])
def test_data_export_refused_for_other_roles(world, persona):
    response = world.client(persona).post(url("person_data_export", world.person_a.pk))
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT_PII).exists()


def test_kalsel_admin_cannot_export_jatim_person(world):
    response = world.client("kalsel_admin").post(url("person_data_export", world.person_a.pk))
    assert response.status_code == 404


# --- Deletion (anonymisation) --------------------------------------------------------------


def test_admin_anonymises_after_confirmation_and_totals_stay(world):
    client = world.client("admin")
    participations = Participation.objects.filter(programme=world.jatim).count()
    assert client.get(url("person_anonymise", world.person_a.pk)).status_code == 200
    unconfirmed = client.post(url("person_anonymise", world.person_a.pk), {"reason": "Request 12"})
    assert unconfirmed.status_code == 200
    world.person_a.refresh_from_db()
    assert world.person_a.full_name == "Ahmad Fauzi"

    data = {"reason": "Request 12", "confirm": "on"}
    response = client.post(url("person_anonymise", world.person_a.pk), data)
    assert response.status_code == 302
    world.person_a.refresh_from_db()
    assert world.person_a.anonymised_at is not None
    assert world.person_a.full_name != "Ahmad Fauzi"
    assert world.person_a.nik_cipher == "" and world.person_a.nik_masked == ""
    assert world.person_a.phone == ""
    assert Participation.objects.filter(programme=world.jatim).count() == participations
    assert Participation.objects.filter(person=world.person_a).count() == 1
    page = html(client.get(url("person_detail", world.person_a.pk)))
    assert "Ahmad Fauzi" not in page and "+6281234567890" not in page


def test_anonymised_person_cannot_be_edited(world):
    client = world.client("admin")
    client.post(url("person_anonymise", world.person_a.pk), {"reason": "R", "confirm": "on"})
    response = client.get(url("person_edit", world.person_a.pk))
    assert response.status_code == 302


@pytest.mark.parametrize("persona", ["officer", "manager_a", "auditor", "participant"])
def test_anonymise_refused_for_non_admins(world, persona):
    client = world.client(persona)
    data = {"reason": "R", "confirm": "on"}
    assert client.post(url("person_anonymise", world.person_a.pk), data).status_code == 403
    world.person_a.refresh_from_db()
    assert world.person_a.anonymised_at is None


def test_kalsel_admin_cannot_anonymise_jatim_person(world):
    data = {"reason": "R", "confirm": "on"}
    response = world.client("kalsel_admin").post(url("person_anonymise", world.person_a.pk), data)
    assert response.status_code == 404
