"""Buyer sign-up and address book."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from opop.mart.forms_buyer import AddressForm, RegisterForm
from opop.mart.selectors_buyer import addresses_of
from opop.mart.services.buyers import (
    address_delete,
    address_save,
    address_set_default,
    buyer_register,
)
from opop.mart.services.cart import SESSION_CART


def _next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return default


@require_http_methods(["GET", "POST"])
def account_register(request):
    if request.user.is_authenticated:
        return redirect("mart:my_orders")
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = buyer_register(
            full_name=data["full_name"],
            email=data["email"],
            password=data["password"],
            phone=data["phone"],
        )
        anonymous_cart = request.session.get(SESSION_CART)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        if anonymous_cart:  # login() rotates the session; keep the visitor's cart for merging
            request.session[SESSION_CART] = anonymous_cart
        messages.success(request, _("Welcome to OPOP Mart!"))
        return redirect(_next(request, "/mart/cart/"))
    return render(request, "mart/account_register.html", {"form": form, "next": _next(request, "")})


@login_required
def addresses(request):
    return render(request, "mart/addresses.html", {"addresses": addresses_of(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def address_edit(request, pk: int | None = None):
    instance = get_object_or_404(addresses_of(request.user), pk=pk) if pk else None
    initial = {}
    if instance is None:
        initial = {"recipient": request.user.full_name, "phone": request.user.phone or ""}
    form = AddressForm(request.POST or None, instance=instance, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            address_save(actor=request.user, address=form.save(commit=False))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Address saved."))
            return redirect(_next(request, "/mart/addresses/"))
    context = {"form": form, "address": instance, "next": _next(request, "")}
    return render(request, "mart/addresses_form.html", context)


@login_required
@require_POST
def address_default(request, pk: int):
    address = get_object_or_404(addresses_of(request.user), pk=pk)
    address_set_default(actor=request.user, address=address)
    return redirect("mart:addresses")


@login_required
@require_POST
def address_remove(request, pk: int):
    address = get_object_or_404(addresses_of(request.user), pk=pk)
    address_delete(actor=request.user, address=address)
    messages.success(request, _("Address removed."))
    return redirect("mart:addresses")
