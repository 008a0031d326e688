"""The public catalogue API: only sellable products, no personal data, filters, throttling."""

import json

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from opop.catalog.models import Certification, Product
from opop.mart.api_common import CATALOGUE
from opop.mart.models import Review
from opop.mart.tests.helpers import sellable_product

pytestmark = pytest.mark.django_db
PRODUCTS = "/api/v1/mart/products/"


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()
    yield
    cache.clear()


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_only_sellable_products_are_listed_and_shown(world):
    sold = sellable_product(world, "Keripik Tempe")
    inactive = sellable_product(world, "Sambal Bawang")
    Product.objects.filter(pk=inactive.pk).update(status=Product.Status.INACTIVE)
    uncurated = Product.objects.create(
        programme=world.jatim,
        enterprise=world.enterprise_a,
        category=sold.category,
        name="Kopi Tanpa Kurasi",
        price=10_000,
        unit="bungkus",
        weight_grams=100,
        status=Product.Status.ACTIVE,
    )
    client = APIClient()
    assert _ids(client.get(PRODUCTS)) == {sold.pk}
    assert client.get(f"{PRODUCTS}{sold.pk}/").status_code == 200
    for hidden in (inactive, uncurated):
        assert client.get(f"{PRODUCTS}{hidden.pk}/").status_code == 404


def test_a_card_has_seller_grade_halal_and_stock_but_no_personal_data(world):
    product = sellable_product(
        world, "Batik Tulis", price=150_000, stock=4, enterprise=world.enterprise_b
    )
    Certification.objects.create(
        product=product, kind=Certification.Kind.HALAL, number="ID35110000123450124"
    )
    response = APIClient().get(PRODUCTS)
    row = response.json()["results"][0]
    assert row["price"] == 150_000 and row["available"] == 4 and row["unit"] == "bungkus"
    assert row["halal_number"] == "ID35110000123450124"
    assert row["grade"] and row["valid_until"]
    assert row["seller"]["id"] == world.enterprise_b.pk
    assert row["seller"]["pesantren_name"] == world.pesantren_b.name
    assert row["seller"]["regency"]["code"] == "35.17"
    text = response.content.decode()
    owner = world.person_b
    for secret in (owner.full_name, owner.phone, owner.email, "nik", "owner"):
        assert secret not in text


def test_the_product_page_shows_reviews_without_the_reviewer(world):
    from opop.mart.tests.test_api_buyer import placed_order

    product = sellable_product(world, "Madu Hutan")
    buyer = world.user("buyer")
    order = placed_order(world, buyer, product, status="completed")
    Review.objects.create(
        line=order.lines.get(), product=product, buyer=buyer, rating=5, text="Mantap"
    )
    response = APIClient().get(f"{PRODUCTS}{product.pk}/")
    body = response.json()
    assert [r["text"] for r in body["reviews"]] == ["Mantap"]
    assert body["rating"] == 5.0 and body["review_count"] == 1
    text = json.dumps(body)
    assert buyer.email not in text and (not buyer.full_name or buyer.full_name not in text)
    assert "buyer" not in body["reviews"][0]


def test_search_filters_and_sorting(world):
    cheap = sellable_product(world, "Keripik Pisang", price=10_000)
    assert cheap.pk in _ids(APIClient().get(PRODUCTS, {"q": "pisang"}))
    dear = sellable_product(world, "Keripik Talas", price=30_000, enterprise=world.enterprise_b)
    sellable_product(world, "Sarung Tenun", price=90_000)
    client = APIClient()
    assert _ids(client.get(PRODUCTS, {"q": "talas"})) == {dear.pk}
    assert _ids(client.get(PRODUCTS, {"min": 20_000, "max": 50_000})) == {dear.pk}
    assert _ids(client.get(PRODUCTS, {"regency": "35.17"})) == {dear.pk}
    assert _ids(client.get(PRODUCTS, {"regency": "63.71"})) == set()  # no seller there
    assert _ids(client.get(PRODUCTS, {"category": "no-such-category"})) == set()
    assert _ids(client.get(PRODUCTS, {"halal": "true"})) == set()
    rows = client.get(PRODUCTS, {"sort": "price_desc"}).json()["results"]
    assert [r["price"] for r in rows] == [90_000, 30_000, 10_000]
    assert client.get(PRODUCTS, {"sort": "cheapest"}).status_code == 400
    assert client.get(PRODUCTS, {"min": "-1"}).status_code == 400


def test_categories_are_public(world):
    sellable_product(world)
    response = APIClient().get("/api/v1/mart/categories/")
    assert response.status_code == 200
    assert "keripik" in {row["slug"] for row in response.json()}


def test_anonymous_catalogue_reads_are_throttled_per_scope(world, settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], CATALOGUE: "2/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    client = APIClient()
    assert client.get(PRODUCTS).status_code == 200
    assert client.get("/api/v1/mart/categories/").status_code == 200
    response = client.get(PRODUCTS)
    assert response.status_code == 429
    assert "Retry-After" in response.headers
