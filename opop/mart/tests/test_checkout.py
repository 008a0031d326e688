"""Checkout: one order per seller, prices copied, stock reserved/committed/released, retries."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from opop.catalog.models import Product
from opop.mart.models import Checkout, MartSettings, Order, OrderEvent, StockLevel
from opop.mart.services.checkout import checkout_expire, checkout_mark_paid, checkout_place
from opop.mart.tests.helpers import (
    POST_FEE,
    buyer_address,
    fill_cart,
    sellable_product,
    stub_checkout_outside,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _outside(monkeypatch):
    stub_checkout_outside(monkeypatch)


def _stock(product):
    level = StockLevel.objects.get(pk=product.pk)
    return level.on_hand, level.reserved


def _place(world, user=None, *, key="k1", deliveries=None, method="va", address=None):
    user = user or world.user("buyer")
    address = address or user.addresses.first() or buyer_address(user)
    deliveries = deliveries or {world.enterprise_a.pk: "post", world.enterprise_b.pk: "pickup"}
    return checkout_place(
        actor=user,
        programme=world.jatim,
        address=address,
        deliveries=deliveries,
        method=method,
        idempotency_key=key,
    )


def test_one_order_per_seller_with_copied_prices_and_totals(world):
    chips = sellable_product(world, "Keripik", price=15_000, stock=10)
    sambal = sellable_product(world, "Sambal", price=20_000, stock=10)
    batik = sellable_product(world, "Batik", price=150_000, stock=3, enterprise=world.enterprise_b)
    fill_cart(world.user("buyer"), (chips, 2), (sambal, 1), (batik, 1))
    checkout = _place(world)
    assert checkout.reference.startswith(f"OPM-{timezone.localdate().year}-")
    orders = {o.seller_id: o for o in checkout.orders.all()}
    a, b = orders[world.enterprise_a.pk], orders[world.enterprise_b.pk]
    assert (a.subtotal, a.shipping_fee, a.total) == (50_000, POST_FEE, 50_000 + POST_FEE)
    assert (b.subtotal, b.shipping_fee, b.delivery) == (150_000, 0, "pickup")
    assert checkout.total == a.total + b.total
    assert {o.number for o in orders.values()} == {
        f"{checkout.reference}-1",
        f"{checkout.reference}-2",
    }
    assert _stock(chips) == (10, 2) and _stock(batik) == (3, 1)
    assert not world.user("buyer").cart.items.exists()
    assert OrderEvent.objects.filter(order__checkout=checkout).count() == 2
    Product.objects.filter(pk=chips.pk).update(price=99_999)
    line = a.lines.get(product=chips)
    assert (line.unit_price, line.line_total, line.product_name) == (15_000, 30_000, "Keripik")


def test_expiry_follows_the_programme_settings(world):
    MartSettings.objects.create(programme=world.jatim, payment_expiry_minutes=30)
    fill_cart(world.user("buyer"), (sellable_product(world), 1))
    checkout = _place(world)
    minutes = (checkout.expires_at - checkout.created_at).total_seconds() / 60
    assert 29 < minutes < 31


def test_a_retry_with_the_same_key_returns_the_first_checkout(world):
    chips = sellable_product(world, stock=10)
    fill_cart(world.user("buyer"), (chips, 2))
    first = _place(world, key="same")
    fill_cart(world.user("buyer"), (chips, 2))
    again = _place(world, key="same")
    assert again.pk == first.pk
    assert Checkout.objects.count() == 1 and _stock(chips) == (10, 2)


def test_only_the_chosen_programmes_items_are_bought(world):
    chips = sellable_product(world, stock=5)
    other = sellable_product(world, "Kalsel", enterprise=world.enterprise_a)
    Product.objects.filter(pk=other.pk).update(programme=world.kalsel)
    cart = fill_cart(world.user("buyer"), (chips, 1), (other, 1))
    _place(world)
    assert list(cart.items.values_list("product_id", flat=True)) == [other.pk]


def test_refusals_name_the_problem_and_change_nothing(world, monkeypatch):
    chips = sellable_product(world, "Keripik", stock=1)
    batik = sellable_product(world, "Batik", enterprise=world.enterprise_b)
    buyer = world.user("buyer")
    fill_cart(buyer, (chips, 2))
    with pytest.raises(ValidationError, match="Keripik: 1 left, 2 asked"):
        _place(world)
    fill_cart(buyer, (chips, 1), (batik, 1))
    with pytest.raises(ValidationError, match="only for orders from one seller"):
        _place(world, method="transfer")
    with pytest.raises(PermissionDenied):
        _place(world, address=buyer_address(world.user("outsider")))
    Product.objects.filter(pk=batik.pk).update(status=Product.Status.INACTIVE)
    with pytest.raises(ValidationError, match="No longer for sale.*Batik"):
        _place(world)
    Product.objects.filter(pk=batik.pk).update(status=Product.Status.ACTIVE)
    stub_checkout_outside(monkeypatch, fee=None)
    with pytest.raises(ValidationError, match="cannot ship to your kab/kota"):
        _place(world)
    assert Checkout.objects.count() == 0 and _stock(chips) == (1, 0)


def test_paying_commits_and_expiry_releases_idempotently(world):
    chips = sellable_product(world, stock=10)
    fill_cart(world.user("buyer"), (chips, 3))
    paid = _place(world, key="a")
    checkout_mark_paid(checkout=paid, paid_at=timezone.now())
    checkout_mark_paid(checkout=paid, paid_at=timezone.now())
    assert _stock(chips) == (7, 0)
    assert set(paid.orders.values_list("status", flat=True)) == {Order.Status.PAID}
    fill_cart(world.user("buyer"), (chips, 4))
    late = _place(world, key="b")
    assert _stock(chips) == (7, 4)
    checkout_expire(checkout=late)
    checkout_expire(checkout=late)
    late.refresh_from_db()
    assert late.status == Checkout.Status.EXPIRED and _stock(chips) == (7, 0)
    assert set(late.orders.values_list("status", flat=True)) == {Order.Status.CANCELLED}
    with pytest.raises(ValidationError, match="can no longer be paid"):
        checkout_mark_paid(checkout=late, paid_at=timezone.now())
    checkout_expire(checkout=paid)
    assert Checkout.objects.get(pk=paid.pk).status == Checkout.Status.PAID


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_twenty_parallel_checkouts_never_oversell_five_units(world):
    from opop.accounts.models import User

    chips = sellable_product(world, stock=5)
    buyers = []
    for n in range(20):
        user = User.objects.create_user(f"buyer{n}@test.opop.id", "x", full_name=f"B {n}")
        fill_cart(user, (chips, 1))
        buyers.append((user, buyer_address(user)))
    results, barrier = [], threading.Barrier(20)

    def buy(user, address):
        try:
            barrier.wait()
            results.append(
                _place(world, user, address=address, deliveries={world.enterprise_a.pk: "post"})
            )
        except ValidationError:
            results.append(None)
        finally:
            connection.close()

    threads = [threading.Thread(target=buy, args=pair) for pair in buyers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    placed = [c for c in results if c is not None]
    assert len(placed) == 5
    assert Checkout.objects.count() == 5 and Order.objects.count() == 5
    assert _stock(chips) == (5, 5)
    for checkout in placed:
        checkout_mark_paid(checkout=checkout, paid_at=timezone.now())
    assert _stock(chips) == (0, 0)
