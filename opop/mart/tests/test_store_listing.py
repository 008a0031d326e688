"""Listing pages read keys first, then cards: capped counts, pages, category trees newest first,
and (PostgreSQL) the stored name vector that follows every change of a product's name."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from opop.catalog.models import Curation, Product
from opop.mart.search import StoreSearchForm
from opop.mart.selectors_store import product_cards, sellable_products
from opop.mart.tests.helpers import sellable_product
from opop.mart.tests.store_helpers import category
from opop.mart.views import store

pytestmark = pytest.mark.django_db

SEARCH = reverse("mart:store_search")
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the stored name vector exists on PostgreSQL only"
)


def names(client, url, **params) -> list[str]:
    response = client.get(url, params)
    assert response.status_code == 200
    return [p.name for p in response.context["page"].object_list]


def aged(product: Product, minutes: int) -> Product:
    """Created `minutes` ago (the listings' default order is newest first)."""
    Product.objects.filter(pk=product.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=minutes)
    )
    return product


@pytest.fixture(autouse=True)
def uncached(settings):
    settings.MART_STORE_CACHE_SECONDS = 0  # every request renders (the tests read its context)


@pytest.fixture
def small_pages(monkeypatch):
    """Pages of 2 products."""
    monkeypatch.setattr(store, "PAGE_SIZE", 2)


def test_count_is_capped_and_every_page_comes_from_the_capped_head(world, small_pages, monkeypatch):
    monkeypatch.setattr(store, "COUNT_CAP", 5)
    for n in range(8):
        aged(sellable_product(world, f"Produk {n}"), minutes=n)
    client = world.client("anonymous")
    response = client.get(SEARCH)
    paginator = response.context["page"].paginator
    assert paginator.count == 6 and paginator.capped and paginator.num_pages == 3
    assert "5+ products" in response.content.decode()
    assert names(client, SEARCH) == ["Produk 0", "Produk 1"]
    assert names(client, SEARCH, page="3") == ["Produk 4", "Produk 5"]
    assert names(client, SEARCH, page="9") == ["Produk 4", "Produk 5"]  # the last page


def test_uncapped_count_and_short_last_page(world, small_pages):
    for n in range(3):
        aged(sellable_product(world, f"Produk {n}"), minutes=n)
    client = world.client("anonymous")
    response = client.get(SEARCH, {"page": "2"})
    assert response.context["page"].paginator.count == 3
    assert "3 products" in response.content.decode()
    assert [p.name for p in response.context["page"].object_list] == ["Produk 2"]


@pytest.fixture
def tree(world):
    """A top category with two sub-categories; products in all three, ages interleaved."""
    food = category("makanan")
    snacks = category("camilan", parent=food)
    drinks = category("minuman", parent=food)
    ages = {
        "Keripik A": (snacks, 1),
        "Kopi A": (drinks, 2),
        "Keripik B": (snacks, 3),
        "Beras A": (food, 4),
        "Kopi B": (drinks, 5),
        "Kopi C": (drinks, 6),
        "Keripik C": (snacks, 7),
    }
    for name, (where, minutes) in ages.items():
        aged(sellable_product(world, name, category=where), minutes)
    hidden = aged(sellable_product(world, "Kopi Lama", category=drinks), 0)
    Curation.objects.filter(product=hidden).update(
        valid_until=timezone.localdate() - dt.timedelta(days=1)
    )
    return food


def test_a_category_tree_lists_its_sub_categories_newest_first(world, tree, small_pages):
    client = world.client("anonymous")
    url = reverse("mart:store_category", args=[tree.slug])
    shown = [name for n in (1, 2, 3, 4) for name in names(client, url, page=str(n))]
    assert shown == ["Keripik A", "Kopi A", "Keripik B", "Beras A", "Kopi B", "Kopi C", "Keripik C"]
    assert client.get(url).context["page"].paginator.count == 7
    assert names(client, reverse("mart:store_category", args=["minuman"])) == ["Kopi A", "Kopi B"]


def test_merged_branches_read_like_the_single_query(world, tree):
    form = StoreSearchForm({}, fixed_category=tree)
    listing = form.listing(sellable_products())
    single = list(form.apply(sellable_products()).values_list("pk", flat=True))
    assert listing.keys(100) == single and len(single) == 7
    assert listing.keys(3) == single[:3]
    # Merged per category on PostgreSQL only; other orders and SQLite read the single query.
    assert (listing.branch is not None) == (connection.vendor == "postgresql")
    for other in ({"sort": "price_asc"}, {"q": "kopi", "sort": "newest"}):
        assert (
            StoreSearchForm(other, fixed_category=tree).listing(sellable_products()).branch is None
        )


def test_cards_keep_the_order_of_the_keys_and_only_sellable_products(world, tree):
    by_name = {p.name: p.pk for p in Product.objects.all()}
    keys = [by_name["Kopi B"], by_name["Kopi Lama"], by_name["Keripik A"]]
    cards = product_cards(keys)
    assert [c.name for c in cards] == ["Kopi B", "Keripik A"]  # "Kopi Lama" is no longer curated
    assert cards[0].curation_grade and cards[0].available == 10 and cards[0].review_count == 0


def test_cards_follow_the_day_a_curation_expires(world):
    """The cards' queryset is kept per day: it must not keep showing yesterday's curations."""
    today = timezone.localdate()
    item = sellable_product(world, "Kopi Expiring")
    Curation.objects.filter(product=item).update(valid_until=today)
    assert [c.name for c in product_cards([item.pk])] == ["Kopi Expiring"]
    assert product_cards([item.pk], today=today + dt.timedelta(days=1)) == []
    assert [c.name for c in product_cards([item.pk], today=today)] == ["Kopi Expiring"]


@postgres_only
def test_the_stored_name_vector_follows_every_change_of_the_name(world):
    """Ranking reads `name_vector` (generated column): stale, the order below would not flip."""
    first = sellable_product(world, "Keripik Pisang")
    second = sellable_product(world, "Aneka Camilan")
    Product.objects.filter(pk__in=[first.pk, second.pk]).update(description="Dari pisang kepok.")
    client = world.client("anonymous")
    # Both match (description); the one naming the word comes first, before the name order.
    assert names(client, SEARCH, q="pisang") == ["Keripik Pisang", "Aneka Camilan"]
    # A queryset update (no save(), no signal) recomputes the vector too.
    Product.objects.filter(pk=first.pk).update(name="Keripik Talas")
    Product.objects.filter(pk=second.pk).update(name="Aneka Pisang")
    assert names(client, SEARCH, q="pisang") == ["Aneka Pisang", "Keripik Talas"]
    assert names(client, SEARCH, q="talas") == ["Keripik Talas"]
    second.refresh_from_db()
    second.name = "Aneka Camilan"
    second.save()
    first.refresh_from_db()
    first.name = "Pisang Raja"
    first.save()
    assert names(client, SEARCH, q="pisang") == ["Pisang Raja", "Aneka Camilan"]
