"""Personal data in the registry API (UU PDP): NIK never in clear, contact data masked for roles
that do not need it, and the token flow a mobile app or partner system uses."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from opop.common.testing.api import api
from opop.common.testing.personas import PASSWORD

pytestmark = pytest.mark.django_db

NIKS = ["3578011508950001", "3517015208970002", "6371010101990003"]
READERS = [
    "admin",
    "officer",
    "facilitator",
    "manager_a",
    "manager_b",
    "participant",
    "auditor",
    "kalsel_admin",
]


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()


@pytest.mark.parametrize("persona", READERS)
def test_nik_never_appears_in_clear(world, persona):
    client = api(world, persona)
    bodies = []
    for endpoint in ("pesantren", "cooperatives", "people", "enterprises"):
        listing = client.get(f"/api/v1/{endpoint}/")
        assert listing.status_code == 200
        bodies.append(listing.content.decode())
        for row in listing.json()["results"]:
            bodies.append(client.get(f"/api/v1/{endpoint}/{row['id']}/").content.decode())
    people = client.get("/api/v1/people/").json()["results"]
    assert people, "every reader sees at least one person"
    assert all("••••" in p["nik_masked"] for p in people)
    text = "\n".join(bodies)
    for nik in NIKS:
        assert nik not in text
    assert "nik_cipher" not in text and "nik_hash" not in text


def test_admin_sees_contact_data_in_clear(world):
    person = api(world, "admin").get(f"/api/v1/people/{world.person_a.pk}/").json()
    assert person["nik_masked"] == "3578••••••••0001"
    assert person["phone"] == "+6281234567890"
    assert person["email"] == "ahmad@example.id"
    assert person["address"] == "Jl. Pesantren No. 1"
    assert person["birth_date"] == "1995-08-15"
    assert person["contact_masked"] is False


def test_contact_data_is_masked_for_auditor(world):
    client = api(world, "auditor")
    person = client.get(f"/api/v1/people/{world.person_a.pk}/").json()
    assert person["full_name"] == "Ahmad Fauzi"
    assert person["contact_masked"] is True
    assert person["phone"] == "+62812••••7890"
    assert person["email"] == "a•••@example.id"
    assert person["address"] == "J••••••"
    assert person["birth_date"] is None
    body = client.get("/api/v1/people/").content.decode()
    for clear in ("+6281234567890", "ahmad@example.id", "Jl. Pesantren", "1995-08-15"):
        assert clear not in body


def test_pesantren_contact_is_masked_for_auditor(world):
    world.pesantren_a.phone = "+6231555123456"
    world.pesantren_a.save()
    row = api(world, "auditor").get(f"/api/v1/pesantren/{world.pesantren_a.pk}/").json()
    assert row["contact_masked"] is True
    assert row["phone"] != "+6231555123456" and row["phone"].endswith("3456")


def test_person_lists_region_codes_and_names(world):
    person = api(world, "admin").get(f"/api/v1/people/{world.person_a.pk}/").json()
    assert person["regency"]["code"] == "35.78"
    assert "Surabaya" in person["regency"]["name"]
    assert person["pesantren"] == {"id": world.pesantren_a.pk, "name": world.pesantren_a.name}
    assert person["participations"] == [
        {"pillar": "santripreneur", "cohort_year": 2025, "status": "active"}
    ]


def test_token_flow_end_to_end(world):
    client = APIClient()
    response = client.post(
        "/api/v1/auth/token/",
        {"email": "officer@test.opop.id", "password": PASSWORD},
        format="json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    people = client.get("/api/v1/people/")
    assert people.status_code == 200
    assert [row["full_name"] for row in people.json()["results"]] == ["Ahmad Fauzi"]


def test_wrong_password_gets_no_token(world):
    response = APIClient().post(
        "/api/v1/auth/token/",
        {"email": "officer@test.opop.id", "password": "wrong"},
        format="json",
    )
    assert response.status_code == 400
    assert "token" not in response.json()
