"""Storefront search, filters, sorting and paging (SQLite and PostgreSQL; FTS checks on PG only)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from opop.catalog.models import Curation, Product
from opop.mart.search import PAGE_SIZE
from opop.mart.tests.helpers import sellable_product
from opop.mart.tests.store_helpers import category, halal, review

pytestmark = pytest.mark.django_db

SEARCH = reverse("mart:store_search")
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search in Indonesian needs PostgreSQL"
)


def names(client, **params) -> list[str]:
    response = client.get(SEARCH, params)
    assert response.status_code == 200
    return [p.name for p in response.context["page"].object_list]


def describe(product: Product, text: str) -> Product:
    Product.objects.filter(pk=product.pk).update(description=text)
    return product


@pytest.fixture
def shelf(world):
    """Four products over two sellers, two categories (one a sub-category), prices and ratings."""
    food = category("makanan")
    snacks = category("camilan", parent=food)
    crafts = category("kerajinan")
    items = {
        "kopi": sellable_product(world, "Kopi Robusta Dampit", price=45_000, category=food),
        "keripik": sellable_product(world, "Keripik Pisang", price=12_000, category=snacks),
        "batik": sellable_product(
            world,
            "Batik Tulis Jombang",
            price=250_000,
            category=crafts,
            enterprise=world.enterprise_b,
        ),
        "tas": sellable_product(world, "Tas Anyaman Pandan", price=80_000, category=crafts),
    }
    describe(items["kopi"], "Biji kopi pilihan dari lereng gunung.")
    describe(items["keripik"], "Pisang kepok digoreng renyah, cocok teman minum kopi.")
    describe(items["batik"], "Kain batik tulis motif pesantren.")
    describe(items["tas"], "Anyaman daun pandan buatan santri.")
    halal(items["kopi"])
    review(items["tas"], world.user("buyer"), 5)
    review(items["keripik"], world.user("buyer"), 3)
    return items


def test_search_by_name_and_description(world, shelf):
    client = world.client("anonymous")
    assert names(client, q="robusta") == ["Kopi Robusta Dampit"]
    assert names(client, q="pandan") == ["Tas Anyaman Pandan"]
    assert names(client, q="gunung") == ["Kopi Robusta Dampit"]  # description only
    # The product naming the word comes before the one that only mentions it.
    assert names(client, q="kopi") == ["Kopi Robusta Dampit", "Keripik Pisang"]
    assert names(client, q="sepatu") == []


def test_search_needs_every_word(world, shelf):
    client = world.client("anonymous")
    assert names(client, q="batik tulis") == ["Batik Tulis Jombang"]
    assert names(client, q="batik pandan") == []


def test_category_filter_includes_sub_categories(world, shelf):
    client = world.client("anonymous")
    assert set(names(client, category="makanan")) == {"Kopi Robusta Dampit", "Keripik Pisang"}
    assert names(client, category="camilan") == ["Keripik Pisang"]
    html = client.get(reverse("mart:store_category", args=["makanan"])).content.decode()
    assert "Keripik Pisang" in html and "Batik" not in html and "Camilan" in html


def test_regency_halal_and_price_filters(world, shelf):
    client = world.client("anonymous")
    assert names(client, regency="35.17") == ["Batik Tulis Jombang"]
    assert names(client, halal="1") == ["Kopi Robusta Dampit"]
    assert names(client, min="40000", max="100000", sort="price_asc") == [
        "Kopi Robusta Dampit",
        "Tas Anyaman Pandan",
    ]


def test_expired_halal_certificate_does_not_count(world, shelf):
    shelf["kopi"].certifications.update(expires_on=timezone.localdate() - dt.timedelta(days=1))
    assert names(world.client("anonymous"), halal="1") == []


def test_bad_filter_values_are_ignored(world, shelf):
    client = world.client("anonymous")
    found = names(client, min="abc", max="-5", category="nope", regency="99.99", sort="evil")
    assert len(found) == 4


def test_sorts(world, shelf):
    client = world.client("anonymous")
    assert names(client, sort="price_asc")[0] == "Keripik Pisang"
    assert names(client, sort="price_desc")[0] == "Batik Tulis Jombang"
    assert names(client, sort="rating")[:2] == ["Tas Anyaman Pandan", "Keripik Pisang"]
    Product.objects.filter(pk=shelf["batik"].pk).update(
        created_at=timezone.now() + dt.timedelta(minutes=5)
    )
    assert names(client)[0] == "Batik Tulis Jombang"  # newest by default without a query


def test_relevance_is_offered_only_when_searching(world, shelf):
    client = world.client("anonymous")
    assert 'value="relevance"' not in client.get(SEARCH).content.decode()
    assert 'value="relevance" selected' in client.get(SEARCH, {"q": "kopi"}).content.decode()


def test_paged_by_24(world):
    for n in range(PAGE_SIZE + 2):
        sellable_product(world, f"Produk {n:02}")
    client = world.client("anonymous")
    assert len(names(client)) == PAGE_SIZE
    assert len(names(client, page="2")) == 2


def _queries(client, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(SEARCH, params).status_code == 200
    return len(ctx)


def test_query_count_does_not_grow_with_rows(world):
    client = world.client("anonymous")
    for n in range(3):
        sellable_product(world, f"Kopi Satu {n}")
    _queries(client, q="teh")  # fills the cache of the sellers' kab/kota
    few = _queries(client, q="kopi", halal="", category="keripik", sort="rating")
    for n in range(12):
        item = sellable_product(world, f"Kopi Dua {n}", enterprise=world.enterprise_b)
        review(item, world.user("buyer"), 4)
    assert _queries(client, q="kopi", category="keripik", sort="rating") == few
    # categories, the keys (count and page), one page of cards; kab/kota come from the cache.
    assert few <= 3


def test_uncurated_products_are_never_found(world, shelf):
    Curation.objects.filter(product=shelf["kopi"]).update(revoked_at=timezone.now())
    assert names(world.client("anonymous"), q="kopi") == ["Keripik Pisang"]


@postgres_only
def test_postgres_search_stems_indonesian_words(world, shelf):
    describe(shelf["tas"], "Kerajinan tangan: anyaman pandan dengan pewarnaan alami.")
    # "pewarnaan" (colouring) and "warna" share the stem in the indonesian configuration.
    assert names(world.client("anonymous"), q="warna") == ["Tas Anyaman Pandan"]


@postgres_only
def test_postgres_websearch_syntax_and_ranking(world, shelf):
    client = world.client("anonymous")
    assert names(client, q="kopi -robusta") == ["Keripik Pisang"]
    assert set(names(client, q="batik or pandan")) == {"Batik Tulis Jombang", "Tas Anyaman Pandan"}
    # Two mentions (name and description) outrank one.
    assert names(client, q="kopi") == ["Kopi Robusta Dampit", "Keripik Pisang"]


@postgres_only
def test_postgres_search_uses_the_gin_index(world, shelf):
    from opop.mart.search import text_search

    # The product table alone: the only index that can answer the text condition is the GIN
    # one, and only if the query spells exactly the index's expression.
    sql, params = text_search(Product.objects.all(), "kopi").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "catalog_product_search_gin" in plan, plan
