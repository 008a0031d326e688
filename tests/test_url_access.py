"""Every page and endpoint refuses the anonymous visitor unless it is meant to be public, and a
buyer (a role with no programme rights) unless it is one of the buyer's own pages.

The URL patterns are walked, their parameters filled with ids of records the shared test world
holds (so a view that forgot its access check would answer 200, not 404), and each is fetched
without logging in, then as the buyer. A new public page must be added to `PUBLIC` on purpose;
the per-role scope of each page is proven by its app's own refusal tests."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

# Pages and endpoints anyone may open (GET), by URL name.
PUBLIC = {
    # signing in, and getting back in
    "accounts:login",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "mart:account_register",
    "set_language",
    # registering for the programme
    "intake:cohorts_open",
    "intake:register",
    # OPOP Mart's storefront and a parcel's tracking
    "mart:store_home",
    "mart:store_search",
    "mart:cart",
    "logistics:track_lookup",
    "api-mart-categories",
    "api-mart-products",
    "api-public-curated-products",
    # open data and reference data
    "grants:transparency",
    "api-grants-transparency",
    "regions:options",
    "api-regions",
    "api-schema",
    "api-docs",
    "healthz",
}


def _walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield prefix + str(pattern.pattern), name


def _concrete(route: str) -> str:
    route = re.sub(r"<int:[^>]+>", "1", route)
    route = re.sub(r"<(?:slug|str|path):[^>]+>", "x", route)
    return "/" + route


ROUTES = sorted(
    {
        (name, _concrete(route))
        for route, name in _walk(get_resolver().url_patterns)
        if "(?P" not in route and "^" not in route and not name.startswith("admin:")
    }
)


@pytest.mark.parametrize(("name", "url"), ROUTES, ids=[name for name, _url in ROUTES])
def test_anonymous_is_refused_unless_public(world, client, name, url):
    response = client.get(url)
    if name in PUBLIC:
        return
    assert response.status_code in (302, 401, 403, 404, 405), (url, response.status_code)
    if response.status_code == 302:
        assert "/accounts/login/" in response["Location"] or name in REDIRECTS, response["Location"]


# Anonymous GETs that redirect elsewhere than the login page, on purpose.
REDIRECTS: set[str] = set()


@pytest.mark.parametrize(("name", "url"), ROUTES, ids=[name for name, _url in ROUTES])
def test_a_buyer_reaches_no_staff_page(world, name, url):
    response = world.client("buyer").get(url)
    if name in PUBLIC or name in BUYER:
        return
    # 400: an API call that must name its programme, before anything is read.
    assert response.status_code in (302, 400, 401, 403, 404, 405), (url, response.status_code)


# What a logged-in buyer (a role with no programme rights) may open besides the public pages.
BUYER = {
    "home",
    "notifications:list",
    # their own purchases
    "mart:my_orders",
    "mart:addresses",
    "mart:address_add",
    "api-mart-cart",
    "api-mart-orders",
    "api-mart-addresses",
    # their own registrations and results (empty for a buyer)
    "intake:mine",
    "assessment:my_results",
}
