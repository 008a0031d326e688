"""The public product page and a seller's shop page (no login).

A product that is not sellable today (not curated, not active, its seller inactive) is a 404, and
so is a shop without a sellable product. No personal data: the seller's phone appears only inside
the "chat the seller" wa.me link, as the seller's business contact.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from opop.mart import selectors_store
from opop.mart.search import SORT_NEWEST, StoreSearchForm
from opop.mart.views.store import product_page
from opop.mart.views.store_cache import anonymous_context, anonymous_page_cache
from opop.notifications.whatsapp import wa_chat_url

# Stock shown as "only N left" at or below this many units.
LOW_STOCK = 5


@require_GET
def product(request, product_id: int):
    item = selectors_store.sellable_product(product_id)
    if item is None:
        raise Http404
    phone = selectors_store.seller_whatsapp(item.enterprise)
    chat_url = None
    if phone:
        link = request.build_absolute_uri(request.path)
        chat_url = wa_chat_url(
            phone,
            _("Assalamualaikum, I am interested in %(product)s on OPOP Mart: %(url)s")
            % {"product": item.name, "url": link},
        )
    return render(
        request,
        "mart/product.html",
        {
            "product": item,
            "photos": list(item.photos.all()),
            "certifications": selectors_store.valid_certifications(item),
            "reviews": selectors_store.product_reviews(item),
            "chat_url": chat_url,
            "low_stock": LOW_STOCK,
        },
    )


@require_GET
@anonymous_page_cache
def shop(request, enterprise_id: int):
    seller = selectors_store.seller_shop(enterprise_id)
    if seller is None:
        raise Http404
    data = request.GET.copy()
    data.setdefault("sort", SORT_NEWEST)
    form = StoreSearchForm(data)
    products = form.apply(selectors_store.sellable_rows().filter(enterprise=seller))
    pesantren = seller.pesantren or (seller.cooperative and seller.cooperative.pesantren)
    return render(
        request,
        "mart/shop.html",
        {
            "seller": seller,
            "pesantren": pesantren,
            "form": form,
            "page": product_page(request, products),
            **anonymous_context(request),
        },
    )
