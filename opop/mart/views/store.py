"""The public storefront of OPOP Mart: home, search and category pages (no login).

Everything comes from `selectors_store.sellable_products()`: only curated, active products of
active sellers. Product and shop pages are in `store_product.py`.
"""

from __future__ import annotations

from functools import cached_property

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from opop.catalog.models import Category
from opop.mart import selectors_store
from opop.mart.search import PAGE_SIZE, StoreSearchForm
from opop.mart.views.store_cache import anonymous_context, anonymous_page_cache

# Listings count at most this many matches ("1,000+ products"), like the registry's lists: an
# exact COUNT over every match of a broad search costs more than the page itself.
COUNT_CAP = 1_000


class CappedPaginator(Paginator):
    """Counts at most `cap` + 1 rows (a COUNT over a LIMIT subquery of primary keys)."""

    def __init__(self, object_list, per_page, *, cap: int = COUNT_CAP):
        super().__init__(object_list, per_page)
        self.cap = cap

    @cached_property
    def count(self) -> int:
        return self.object_list.order_by().values("pk")[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap


def product_page(request, products):
    return CappedPaginator(products, PAGE_SIZE).get_page(request.GET.get("page"))


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


def _listing(request, template: str, *, category: Category | None = None, **context):
    form = StoreSearchForm(request.GET, fixed_category=category)
    page = product_page(request, form.apply(selectors_store.sellable_products()))
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "category": category,
            **context,
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
    category = get_object_or_404(Category.objects.select_related("parent"), slug=slug)
    return _listing(
        request,
        "mart/store_category.html",
        category=category,
        subcategories=list(category.children.order_by("position", "name")),
    )
