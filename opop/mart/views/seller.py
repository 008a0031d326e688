"""The seller's home and stock pages (`/mart/seller/`)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opop.accounts.decorators import require_access
from opop.mart import selectors_seller as selectors
from opop.mart.forms_seller import StockForm
from opop.mart.services.seller import stock_set

PAGE_SIZE = 25


@require_access("sells")
def seller_home(request):
    context = selectors.home_figures(request.access)
    return render(request, "mart/seller_home.html", context)


@require_access("sells")
def seller_stock(request):
    rows = (
        selectors.products_of_seller(request.access)
        .select_related("enterprise", "stock")
        .order_by("enterprise__name", "name", "pk")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "mart/seller_stock.html", {"page": page})


@require_POST
@require_access("sells")
def seller_stock_set(request, product_id: int):
    product = get_object_or_404(selectors.products_of_seller(request.access), pk=product_id)
    form = StockForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, f"{product.name}: {' '.join(errors)}")
    else:
        try:
            stock_set(actor=request.user, product=product, on_hand=form.cleaned_data["on_hand"])
        except ValidationError as exc:
            messages.error(request, f"{product.name}: {' '.join(exc.messages)}")
        else:
            messages.success(
                request,
                _("%(product)s: stock set to %(n)d.")
                % {"product": product.name, "n": form.cleaned_data["on_hand"]},
            )
    page = request.POST.get("page", "")
    target = redirect("mart:seller_stock")
    if page.isdigit():
        target["Location"] += f"?page={page}"
    return target
