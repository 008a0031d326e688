"""The cart: only sellable products, stock-capped quantities, anonymous carts merged at login."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from opop.catalog.models import Product
from opop.common.testing.personas import PASSWORD
from opop.mart.models import Cart
from opop.mart.services.cart import cart_add, cart_update
from opop.mart.tests.helpers import sellable_product

pytestmark = pytest.mark.django_db


def test_quantities_are_capped_by_stock_and_only_sellable_products_go_in(world):
    cart = Cart.objects.create(user=world.user("buyer"))
    chips = sellable_product(world, "Keripik", stock=3)
    cart_add(cart=cart, product=chips, quantity=2)
    with pytest.raises(ValidationError, match="Only 3 of Keripik left"):
        cart_add(cart=cart, product=chips, quantity=2)
    assert cart_update(cart=cart, product=chips, quantity=3).quantity == 3
    assert cart_update(cart=cart, product=chips, quantity=0) is None
    Product.objects.filter(pk=chips.pk).update(status=Product.Status.INACTIVE)
    with pytest.raises(ValidationError, match="not for sale"):
        cart_add(cart=cart, product=chips, quantity=1)


def test_an_anonymous_cart_is_merged_into_the_users_cart_after_login(world):
    chips = sellable_product(world, stock=5)
    client = Client()
    response = client.post("/mart/cart/add/", {"product": chips.pk, "quantity": 2})
    assert response.status_code == 302
    assert Cart.objects.get(user__isnull=True).items.get().quantity == 2
    assert client.login(email="buyer@test.opop.id", password=PASSWORD)
    client.get("/mart/cart/")
    assert world.user("buyer").cart.items.get().quantity == 2
    assert not Cart.objects.filter(user__isnull=True).exists()
