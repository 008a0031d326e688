"""The product API (scoped like the pages) and the public list of curated products."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle

from opop.assessment.models import Stage
from opop.catalog import services
from opop.catalog.tests import helpers as h
from opop.common.testing.api import api
from opop.registry.models import Enterprise

pytestmark = pytest.mark.django_db

PRODUCTS = "/api/v1/products/"
PUBLIC = "/api/v1/public/curated-products/"


@pytest.fixture(autouse=True)
def _fresh(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()


def names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


@pytest.fixture
def catalogue(world):
    """A (Surabaya, curated, halal, photo), B (Jombang, curated), plain, expired, kalsel."""
    stage = h.first_stage(h.curation_round(world.jatim, status=Stage.Status.PUBLISHED))
    a = h.ready_product(world, world.enterprise_a, name="Keripik A")
    services.certification_save(
        actor=world.user("admin"),
        product=a,
        data={"kind": "halal", "number": "ID35110000123450123"},
    )
    b = h.product(world, world.enterprise_b, name="Batik B", category=h.category("batik"))
    plain = h.product(world, world.enterprise_a, name="Sambal Biasa")
    expired = h.product(world, world.enterprise_a, name="Kopi Lama")
    h.curation(a, stage, grade="A")
    h.curation(b, stage, grade="B")
    h.curation(expired, stage, valid_until=timezone.localdate() - dt.timedelta(days=1))
    kalsel_enterprise = Enterprise.objects.create(
        programme=world.kalsel,
        name="Amplang Banjar",
        owner=world.person_kalsel,
        sector=Enterprise.Sector.FOOD,
        regency_id="63.71",
    )
    kalsel_product = h.product(world, kalsel_enterprise, name="Amplang K")
    kalsel_stage = h.first_stage(
        h.curation_round(world.kalsel, status=Stage.Status.PUBLISHED, name="Kurasi Kalsel")
    )
    h.curation(kalsel_product, kalsel_stage)
    return {"a": a, "b": b, "plain": plain, "expired": expired, "kalsel": kalsel_product}


# --- /api/v1/products/ ------------------------------------------------------------------------


def test_products_are_scoped_like_the_pages(world, catalogue):
    surabaya = {"Keripik A", "Sambal Biasa", "Kopi Lama"}
    assert names(api(world, "manager_a").get(PRODUCTS)) == surabaya
    assert names(api(world, "manager_b").get(PRODUCTS)) == {"Batik B"}
    assert names(api(world, "officer").get(PRODUCTS)) == surabaya
    assert len(names(api(world, "admin").get(PRODUCTS))) == 4
    assert names(api(world, "kalsel_admin").get(PRODUCTS)) == {"Amplang K"}


def test_product_detail_outside_the_scope_is_404(world, catalogue):
    assert api(world, "manager_b").get(f"{PRODUCTS}{catalogue['a'].pk}/").status_code == 404
    assert api(world, "admin").get(f"{PRODUCTS}{catalogue['kalsel'].pk}/").status_code == 404
    data = api(world, "manager_a").get(f"{PRODUCTS}{catalogue['a'].pk}/").json()
    assert data["curation"]["grade"] == "A"
    assert data["certifications"][0]["kind"] == "halal"
    assert data["photos"][0]["thumbnail"].startswith("http://testserver/")


@pytest.mark.parametrize("persona", ["juror", "buyer", "partner", "outsider"])
def test_roles_without_registry_are_refused(world, catalogue, persona):
    client = api(world, persona)
    assert client.get(PRODUCTS).status_code == 403
    assert client.get(f"{PRODUCTS}{catalogue['a'].pk}/").status_code == 403


def test_anonymous_gets_401(world, catalogue):
    assert api(world, "anonymous").get(PRODUCTS).status_code == 401


def test_curated_filter_and_search(world, catalogue):
    client = api(world, "admin")
    assert names(client.get(PRODUCTS, {"curated": "true"})) == {"Keripik A", "Batik B"}
    assert names(client.get(PRODUCTS, {"search": "batik"})) == {"Batik B"}
    category = catalogue["b"].category_id
    assert names(client.get(PRODUCTS, {"category": category})) == {"Batik B"}
    assert client.get(PRODUCTS, {"status": "nonsense"}).status_code == 400


# --- /api/v1/public/curated-products/ ---------------------------------------------------------


def test_public_list_needs_no_login_and_holds_only_curated_products_of_the_programme(
    world, catalogue
):
    response = APIClient().get(PUBLIC, {"programme": "jatim"})
    assert names(response) == {"Keripik A", "Batik B"}
    assert names(APIClient().get(PUBLIC, {"programme": "kalsel"})) == {"Amplang K"}


def test_public_row_has_what_a_buyer_needs(world, catalogue):
    rows = APIClient().get(PUBLIC, {"programme": "jatim"}).json()["results"]
    row = next(r for r in rows if r["name"] == "Keripik A")
    assert row["enterprise_name"] == "Keripik Al-Hikmah"
    assert row["pesantren_name"] == "Pondok Pesantren Al-Hikmah"
    assert row["regency"] == {"code": "35.78", "name": "Kota Surabaya"}
    assert row["grade"] == "A" and row["valid_until"]
    assert row["halal_number"] == "ID35110000123450123"
    assert row["price"] == 15000 and row["unit"] == "bungkus"
    assert row["thumbnail_url"].startswith("http://testserver/")
    batik = next(r for r in rows if r["name"] == "Batik B")
    # Enterprise B has no pesantren of its own; its owner's pesantren is named.
    assert batik["pesantren_name"] == "Pondok Pesantren Darul Ulum"
    assert batik["halal_number"] is None and batik["thumbnail_url"] is None


def test_public_list_carries_no_personal_data(world, catalogue):
    body = APIClient().get(PUBLIC, {"programme": "jatim"}).content.decode()
    for person in (world.person_a, world.person_b):
        assert person.full_name not in body
        assert person.phone not in body and person.email not in body
        assert person.address not in body
    for secret in ("nik", "phone", "owner", "email", "address"):
        assert secret not in body.lower()


def test_public_filters_by_category_and_regency(world, catalogue):
    client = APIClient()
    assert names(client.get(PUBLIC, {"programme": "jatim", "regency": "35.17"})) == {"Batik B"}
    assert names(client.get(PUBLIC, {"programme": "jatim", "category": "batik"})) == {"Batik B"}
    child = h.category("batik-tulis", parent=h.category("batik"))
    catalogue["b"].category = child
    catalogue["b"].save()
    assert names(client.get(PUBLIC, {"programme": "jatim", "category": "batik"})) == {"Batik B"}
    assert names(client.get(PUBLIC, {"programme": "jatim", "category": "nothing"})) == set()
    assert client.get(PUBLIC, {"programme": "jatim", "regency": "Surabaya"}).status_code == 400


def test_public_list_refuses_a_missing_or_unknown_programme(world, catalogue):
    assert APIClient().get(PUBLIC).status_code == 400
    assert APIClient().get(PUBLIC, {"programme": "atlantis"}).status_code == 404


def test_public_list_is_paginated_and_throttled(world, catalogue, monkeypatch):
    data = APIClient().get(PUBLIC, {"programme": "jatim", "page_size": 1}).json()
    assert data["count"] == 2 and len(data["results"]) == 1 and data["next"]
    # DRF reads the rates once, into the class; a low rate for this test only.
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/min"})
    cache.clear()
    codes = [APIClient().get(PUBLIC, {"programme": "jatim"}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_a_logged_in_session_is_still_anonymous_on_the_public_list(world, catalogue):
    client = world.client("admin")
    assert client.get(PUBLIC, {"programme": "jatim"}).status_code == 200


def test_schema_documents_both_endpoints(world):
    schema = api(world, "admin").get("/api/v1/schema/", {"format": "json"}).json()
    assert schema["paths"]["/api/v1/products/"]["get"]["security"]  # token or session
    public = schema["paths"]["/api/v1/public/curated-products/"]["get"]
    assert not public.get("security")  # no authentication
    parameters = {p["name"] for p in public["parameters"]}
    assert {"programme", "category", "regency", "page"} <= parameters
