"""The anonymous page cache of the storefront's listings (`opop/mart/views/store_cache.py`)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from opop.catalog.models import Product
from opop.mart.tests.helpers import sellable_product
from opop.mart.views.store_cache import HEADER

pytestmark = pytest.mark.django_db

SEARCH = "/mart/search/?q=kopi"


def _urls(world, product):
    return [
        reverse("mart:store_home"),
        SEARCH,
        reverse("mart:store_category", args=[product.category.slug]),
        reverse("mart:shop", args=[world.enterprise_a.pk]),
    ]


@pytest.fixture
def kopi(world):
    return sellable_product(world, "Kopi Robusta Jombang")


def test_anonymous_listing_pages_are_cached(world, kopi):
    client = Client()
    for url in _urls(world, kopi):
        first = client.get(url)
        assert first.status_code == 200, url
        assert first[HEADER] == "miss", url
        second = client.get(url)
        assert second[HEADER] == "hit", url
        assert second.content == first.content


def test_cached_page_is_kept_for_a_while(world, kopi):
    client = Client()
    assert "Kopi Robusta Jombang" in client.get(SEARCH).content.decode()
    Product.objects.filter(pk=kopi.pk).update(name="Kopi Arabika Ijen")
    assert "Kopi Robusta Jombang" in client.get(SEARCH).content.decode()
    # Another URL (query string) is another page.
    assert "Kopi Arabika Ijen" in client.get(SEARCH + "&sort=newest").content.decode()


def test_cached_pages_carry_no_csrf_token_and_set_no_cookie(world, kopi):
    client = Client()
    for url in _urls(world, kopi):
        for response in (client.get(url), client.get(url)):
            assert "csrfmiddlewaretoken" not in response.content.decode()
            assert '"X-CSRFToken": ""' in response.content.decode()
            assert not response.cookies, url
    assert not client.cookies


@pytest.mark.parametrize("persona", ["buyer", "manager_a", "admin"])
def test_logged_in_users_never_get_the_anonymous_page(world, kopi, persona):
    anonymous = Client()
    for url in _urls(world, kopi):
        assert anonymous.get(url)[HEADER] == "miss"
    client = world.client(persona)
    for url in _urls(world, kopi):
        response = client.get(url)
        assert response.status_code == 200
        assert HEADER not in response, url
        body = response.content.decode()
        assert "csrfmiddlewaretoken" in body  # the logout form: their own page
        assert reverse("accounts:logout") in body


def test_logged_in_pages_are_never_served_to_anonymous_visitors(world, kopi):
    client = world.client("buyer")
    for url in _urls(world, kopi):
        assert client.get(url).status_code == 200
    anonymous = Client()
    for url in _urls(world, kopi):
        response = anonymous.get(url)
        assert response[HEADER] == "miss", url
        assert reverse("accounts:logout") not in response.content.decode()
        assert "csrfmiddlewaretoken" not in response.content.decode()


def test_anonymous_with_a_session_or_messages_bypasses_the_cache(world, kopi):
    Client().get(SEARCH)  # now cached
    for cookie in (settings.SESSION_COOKIE_NAME, "messages"):
        client = Client()
        client.cookies[cookie] = "x"
        response = client.get(SEARCH)
        assert response.status_code == 200
        assert HEADER not in response


def test_languages_are_cached_apart(world, kopi):
    client = Client()
    english = client.get(SEARCH, HTTP_ACCEPT_LANGUAGE="en")
    indonesian = client.get(SEARCH, HTTP_ACCEPT_LANGUAGE="id")
    assert english[HEADER] == indonesian[HEADER] == "miss"
    assert client.get(SEARCH, HTTP_ACCEPT_LANGUAGE="en").content == english.content


def test_cache_off_and_product_page_not_cached(world, kopi, settings):
    settings.MART_STORE_CACHE_SECONDS = 0
    client = Client()
    assert HEADER not in client.get(SEARCH)
    settings.MART_STORE_CACHE_SECONDS = 60
    product = client.get(reverse("mart:product", args=[kopi.pk]))
    assert product.status_code == 200
    assert HEADER not in product


def test_other_methods_are_refused_not_cached(world, kopi):
    assert Client().post(SEARCH).status_code == 405
