"""The buyer's cart. Anonymous visitors keep theirs by session key; at their first request
after logging in, `cart_for` merges it into the user's own cart (quantities capped by stock).

Only sellable products (curated today, active, of an active enterprise) go in, and never more
units than are available; the real guarantee against overselling is the reservation at checkout.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from opop.catalog.models import Product
from opop.mart.models import Cart, CartItem, StockLevel
from opop.mart.selectors_buyer import product_is_sellable

SESSION_CART = "mart_cart_id"


def cart_for(request, *, create: bool = True) -> Cart | None:
    """The cart of this request: the user's (after merging an anonymous one) or the session's."""
    session_cart_id = request.session.get(SESSION_CART)
    if request.user.is_authenticated:
        cart = Cart.objects.filter(user=request.user).first()
        if cart is None and (create or session_cart_id):
            cart, _created = Cart.objects.get_or_create(user=request.user)
        if session_cart_id:
            anonymous = Cart.objects.filter(pk=session_cart_id, user__isnull=True).first()
            if anonymous is not None and cart is not None:
                cart_merge(source=anonymous, target=cart)
            request.session.pop(SESSION_CART, None)
        return cart
    if session_cart_id:
        cart = Cart.objects.filter(pk=session_cart_id, user__isnull=True).first()
        if cart is not None:
            return cart
    if not create:
        return None
    if not request.session.session_key:
        request.session.save()
    cart = Cart.objects.create(session_key=request.session.session_key)
    request.session[SESSION_CART] = cart.pk
    return cart


@transaction.atomic
def cart_merge(*, source: Cart, target: Cart) -> Cart:
    """Move an anonymous cart's items into `target`; the sum is capped by available stock."""
    for item in source.items.select_related("product"):
        existing = target.items.filter(product=item.product).first()
        wanted = item.quantity + (existing.quantity if existing else 0)
        wanted = min(wanted, max(_available(item.product), 1))
        if existing:
            existing.quantity = wanted
            existing.save(update_fields=["quantity"])
        else:
            CartItem.objects.create(cart=target, product=item.product, quantity=wanted)
    source.delete()
    return target


def _available(product: Product) -> int:
    level = StockLevel.objects.filter(product=product).first()
    return level.available if level else 0


def _check(product: Product, quantity: int) -> None:
    if quantity < 1:
        raise ValidationError(_("The quantity must be at least 1."))
    if not product_is_sellable(product):
        raise ValidationError(_("%(product)s is not for sale.") % {"product": product.name})
    available = _available(product)
    if quantity > available:
        raise ValidationError(
            _("Only %(available)d of %(product)s left in stock.")
            % {"available": available, "product": product.name}
        )


@transaction.atomic
def cart_add(*, cart: Cart, product: Product, quantity: int = 1) -> CartItem:
    """Add `quantity` units (on top of what the cart already holds)."""
    item = CartItem.objects.select_for_update().filter(cart=cart, product=product).first()
    total = quantity + (item.quantity if item else 0)
    if quantity < 1:
        raise ValidationError(_("The quantity must be at least 1."))
    _check(product, total)
    if item:
        item.quantity = total
        item.save(update_fields=["quantity"])
        return item
    return CartItem.objects.create(cart=cart, product=product, quantity=total)


@transaction.atomic
def cart_update(*, cart: Cart, product: Product, quantity: int) -> CartItem | None:
    """Set the quantity; 0 removes the item."""
    if quantity <= 0:
        cart_remove(cart=cart, product=product)
        return None
    item = CartItem.objects.select_for_update().filter(cart=cart, product=product).first()
    if item is None:
        raise ValidationError(_("This product is not in your cart."))
    _check(product, quantity)
    item.quantity = quantity
    item.save(update_fields=["quantity"])
    return item


@transaction.atomic
def cart_remove(*, cart: Cart, product: Product) -> None:
    CartItem.objects.filter(cart=cart, product=product).delete()
