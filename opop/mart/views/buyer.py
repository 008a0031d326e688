"""Buyer pages: the cart (anonymous visitors too) and checkout (login required)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from opop.mart.forms_buyer import CheckoutForm, QuantityForm
from opop.mart.selectors_buyer import addresses_of, cart_count, cart_groups, sellable_products
from opop.mart.services import cart as cart_service
from opop.mart.services.checkout import checkout_place, shipping_quote_for


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def cart(request):
    current = cart_service.cart_for(request, create=False)
    context = {"groups": cart_groups(current), "count": cart_count(current)}
    template = "mart/_cart_body.html" if request.htmx else "mart/cart.html"
    return render(request, template, context)


@require_POST
def cart_add(request):
    form = QuantityForm(request.POST)
    if not form.is_valid() or form.cleaned_data["quantity"] < 1:
        messages.error(request, _("Choose a quantity of at least 1."))
        return redirect("mart:cart")
    product = get_object_or_404(sellable_products(), pk=form.cleaned_data["product"])
    current = cart_service.cart_for(request)
    try:
        cart_service.cart_add(cart=current, product=product, quantity=form.cleaned_data["quantity"])
        messages.success(request, _("%(product)s is in your cart.") % {"product": product.name})
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, {request.get_host()}):
        return redirect(back)
    return redirect("mart:cart")


@require_POST
def cart_update(request):
    form = QuantityForm(request.POST)
    current = cart_service.cart_for(request, create=False)
    if current is not None and form.is_valid():
        product = get_object_or_404(current.items, product_id=form.cleaned_data["product"]).product
        try:
            cart_service.cart_update(
                cart=current, product=product, quantity=form.cleaned_data["quantity"]
            )
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
    if request.htmx:
        context = {"groups": cart_groups(current), "count": cart_count(current)}
        return render(request, "mart/_cart_body.html", context)
    return redirect("mart:cart")


def _quotes(groups, address) -> None:
    """Put each seller's post fee (or None: no route) on its cart group."""
    for group in groups:
        group["post_fee"] = None
        if address is None:
            continue
        quote = shipping_quote_for(
            programme=group["programme"],
            seller=group["seller"],
            regency_id=address.regency_id,
            weight_grams=sum(i.product.weight_grams * i.quantity for i in group["items"]),
        )
        group["post_fee"] = quote.fee if quote else None


@login_required
@require_http_methods(["GET", "POST"])
def checkout(request):
    current = cart_service.cart_for(request, create=False)
    groups = [g for g in cart_groups(current) if g["subtotal"]]
    programme_ids = sorted({g["programme"].pk for g in groups})
    chosen = request.POST.get("programme") or request.GET.get("programme")
    programme_id = int(chosen) if chosen and chosen.isdigit() else None
    if programme_id not in programme_ids:
        programme_id = programme_ids[0] if programme_ids else None
    groups = [g for g in groups if g["programme"].pk == programme_id]
    if not groups:
        messages.info(request, _("Your cart is empty."))
        return redirect("mart:cart")
    addresses = addresses_of(request.user)
    if not addresses.exists():
        messages.info(request, _("Add a delivery address first."))
        return redirect(f"{_url('mart:address_add')}?next={_url('mart:checkout')}")
    if request.method == "POST":
        form = CheckoutForm(request.POST, user=request.user, groups=groups)
        if form.is_valid():
            try:
                placed = checkout_place(
                    actor=request.user,
                    programme=groups[0]["programme"],
                    address=form.cleaned_data["address"],
                    deliveries=form.deliveries(),
                    method=form.cleaned_data["method"],
                    idempotency_key=form.cleaned_data["idempotency_key"],
                )
            except (ValidationError, PermissionDenied) as exc:
                text = _error_text(exc) if isinstance(exc, ValidationError) else str(exc)
                form.add_error(None, text)
            else:
                return redirect(_after_checkout(placed))
    else:
        default = addresses.filter(is_default=True).first() or addresses.first()
        form = CheckoutForm(
            user=request.user,
            groups=groups,
            initial={"address": default, "idempotency_key": uuid.uuid4().hex, "method": "va"},
        )
    chosen_address = form.cleaned_data.get("address") if form.is_bound and form.is_valid() else None
    _quotes(
        groups, chosen_address or addresses.filter(is_default=True).first() or addresses.first()
    )
    context = {
        "form": form,
        "groups": groups,
        "programme_id": programme_id,
        "several_programmes": len(programme_ids) > 1,
        "items_total": sum(g["subtotal"] for g in groups),
        # What the buyer pays when every seller ships by post (pickup lowers it).
        "post_total": sum(g["subtotal"] + (g.get("post_fee") or 0) for g in groups),
    }
    return render(request, "mart/checkout.html", context)


def _url(name: str, *args) -> str:
    from django.urls import reverse

    return reverse(name, args=args)


def _after_checkout(placed) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("mart:payment", args=[placed.reference])
    except NoReverseMatch:
        order = placed.orders.order_by("number").first()
        return reverse("mart:my_order", args=[order.number]) if order else reverse("mart:my_orders")
