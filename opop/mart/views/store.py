"""The public storefront of OPOP Mart: home, search and category pages (no login).

Everything comes from `selectors_store.sellable_rows()` / `sellable_products()`: only curated,
active products of active sellers. A listing page reads its keys first (the capped count and the
page), then one page of cards (`CappedPaginator`). Product and shop pages are in
`store_product.py`.
"""

from __future__ import annotations

from functools import cached_property

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from opop.catalog.models import Category
from opop.mart import selectors_store
from opop.mart.search import PAGE_SIZE, Listing, StoreSearchForm
from opop.mart.views.store_cache import anonymous_context, anonymous_page_cache

# Listings count at most this many matches ("1,000+ products"), like the registry's lists: an
# exact COUNT over every match of a broad search costs more than the page itself.
COUNT_CAP = 1_000


class CappedPaginator(Paginator):
    """Pages of a `Listing`: its first `cap` + 1 keys, in order, give the (capped) count and
    every page (the last page ends at the count, as Django's paginator slices), then the page's
    cards come in one query by primary key (`selectors_store.product_cards`).
    """

    def __init__(self, listing: Listing, per_page: int, *, cap: int | None = None):
        super().__init__(listing, per_page)
        self.cap = COUNT_CAP if cap is None else cap

    @cached_property
    def head(self) -> list[int]:
        return self.object_list.keys(self.cap + 1)

    @cached_property
    def count(self) -> int:
        return len(self.head)

    @property
    def capped(self) -> bool:
        return self.count > self.cap

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(selectors_store.product_cards(self.head[bottom:top]), number, self)


def product_page(request, products: Listing | QuerySet):
    """One page of a listing (or of an ordered queryset of sellable products)."""
    listing = products if isinstance(products, Listing) else Listing(products)
    return CappedPaginator(listing, PAGE_SIZE).get_page(request.GET.get("page"))


@require_GET
@anonymous_page_cache
def store_home(request):
    return render(
        request,
        "mart/store_home.html",
        {
            "featured": list(selectors_store.featured_products()),
            "categories": selectors_store.store_categories(),
            **anonymous_context(request),
        },
    )


def _listing(
    request, template: str, *, category: Category | None = None, categories: list | None = None
):
    form = StoreSearchForm(request.GET, fixed_category=category, categories=categories)
    page = product_page(request, form.listing(selectors_store.sellable_rows()))
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "category": category,
            # The form holds every category already, by position and name.
            "subcategories": [
                c for c in form.categories if category and c.parent_id == category.pk
            ],
            **anonymous_context(request),
        },
    )


@require_GET
@anonymous_page_cache
def store_search(request):
    return _listing(request, "mart/store_search.html")


@require_GET
@anonymous_page_cache
def store_category(request, slug: str):
    # One query for the page's category, its parent and the filter's list.
    categories = list(Category.objects.order_by("position", "name"))
    by_pk = {c.pk: c for c in categories}
    category = next((c for c in categories if c.slug == slug), None)
    if category is None:
        raise Http404
    category.parent = by_pk.get(category.parent_id)
    return _listing(request, "mart/store_category.html", category=category, categories=categories)
