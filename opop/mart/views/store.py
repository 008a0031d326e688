"""The public storefront of OPOP Mart: home, search and category pages (no login).

Everything comes from `selectors_store.sellable_products()`: only curated, active products of
active sellers. Product and shop pages are in `store_product.py`.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from opop.catalog.models import Category
from opop.mart import selectors_store
from opop.mart.search import PAGE_SIZE, StoreSearchForm


def product_page(request, products):
    return Paginator(products, PAGE_SIZE).get_page(request.GET.get("page"))


@require_GET
def store_home(request):
    return render(
        request,
        "mart/store_home.html",
        {
            "featured": list(selectors_store.featured_products()),
            "categories": selectors_store.store_categories(),
        },
    )


def _listing(request, template: str, *, category: Category | None = None, **context):
    form = StoreSearchForm(request.GET, fixed_category=category)
    page = product_page(request, form.apply(selectors_store.sellable_products()))
    return render(request, template, {"form": form, "page": page, "category": category, **context})


@require_GET
def store_search(request):
    return _listing(request, "mart/store_search.html")


@require_GET
def store_category(request, slug: str):
    category = get_object_or_404(Category.objects.select_related("parent"), slug=slug)
    return _listing(
        request,
        "mart/store_category.html",
        category=category,
        subcategories=list(category.children.order_by("position", "name")),
    )
