"""The order state machine: who may move what, stock back on cancellation, events, notices."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from opop.mart.models import Checkout, Order, StockLevel
from opop.mart.services.checkout import checkout_mark_paid, checkout_place
from opop.mart.services.orders import order_transition
from opop.mart.tests.helpers import (
    buyer_address,
    fill_cart,
    sellable_product,
    stub_checkout_outside,
)
from opop.notifications.models import Notification

pytestmark = pytest.mark.django_db
S = Order.Status


@pytest.fixture(autouse=True)
def _outside(monkeypatch):
    stub_checkout_outside(monkeypatch)


def _order(world, *, paid=True, quantity=2, delivery="post"):
    buyer = world.user("buyer")
    chips = sellable_product(world, stock=10)
    fill_cart(buyer, (chips, quantity))
    checkout = checkout_place(
        actor=buyer,
        programme=world.jatim,
        address=buyer_address(buyer),
        deliveries={world.enterprise_a.pk: delivery},
        method="va",
        idempotency_key=f"k{chips.pk}",
    )
    if paid:
        checkout_mark_paid(checkout=checkout, paid_at=timezone.now())
    return checkout.orders.get(), chips


def _stock(product):
    level = StockLevel.objects.get(pk=product.pk)
    return level.on_hand, level.reserved


def test_the_seller_walks_the_order_to_completed_with_a_timeline(world):
    order, _chips = _order(world)
    seller = world.user("manager_a")
    for status in (S.PACKED, S.SHIPPED, S.DELIVERED, S.COMPLETED):
        order = order_transition(actor=seller, order=order, to_status=status)
    assert order.status == S.COMPLETED and order.completed_at
    assert list(order.events.values_list("status", flat=True)) == [
        S.AWAITING_PAYMENT,
        S.PAID,
        S.PACKED,
        S.SHIPPED,
        S.DELIVERED,
        S.COMPLETED,
    ]
    assert Notification.objects.filter(user=world.user("buyer"), kind="mart.order.shipped").exists()
    assert Notification.objects.filter(user=seller, kind="mart.order.paid").exists()
    assert not Notification.objects.filter(user=world.user("manager_b")).exists()


def test_refusals(world):
    order, _chips = _order(world, paid=False)
    with pytest.raises(ValidationError, match="by their payment only"):
        order_transition(actor=world.user("manager_a"), order=order, to_status=S.PAID)
    checkout_mark_paid(checkout=order.checkout, paid_at=timezone.now())
    with pytest.raises(ValidationError, match="cannot become"):
        order_transition(actor=world.user("manager_a"), order=order, to_status=S.SHIPPED)
    for persona in ("buyer", "manager_b", "outsider", "admin"):
        with pytest.raises(PermissionDenied):
            order_transition(actor=world.user(persona), order=order, to_status=S.PACKED)
    order_transition(actor=world.user("manager_a"), order=order, to_status=S.PACKED)
    order_transition(actor=world.user("manager_a"), order=order, to_status=S.SHIPPED)
    with pytest.raises(ValidationError, match="cannot become"):
        order_transition(actor=world.user("buyer"), order=order, to_status=S.CANCELLED)


def test_cancelling_before_payment_releases_the_whole_checkout(world):
    order, chips = _order(world, paid=False, quantity=3)
    assert _stock(chips) == (10, 3)
    order_transition(actor=world.user("buyer"), order=order, to_status=S.CANCELLED)
    assert _stock(chips) == (10, 0)
    assert Checkout.objects.get(pk=order.checkout_id).status == Checkout.Status.CANCELLED


def test_cancelling_a_paid_order_restocks_then_refund(world):
    order, chips = _order(world, quantity=3)
    assert _stock(chips) == (7, 0)
    order_transition(actor=world.user("buyer"), order=order, to_status=S.CANCELLED)
    assert _stock(chips) == (10, 0)
    with pytest.raises(PermissionDenied):
        order_transition(actor=world.user("buyer"), order=order, to_status=S.REFUNDED)
    order = order_transition(actor=world.user("admin"), order=order, to_status=S.REFUNDED)
    assert order.status == S.REFUNDED and _stock(chips) == (10, 0)


def test_a_shipped_order_refunded_keeps_the_stock_out(world):
    order, chips = _order(world, quantity=2)
    for status in (S.PACKED, S.SHIPPED):
        order_transition(actor=world.user("manager_a"), order=order, to_status=status)
    order_transition(actor=world.user("manager_a"), order=order, to_status=S.REFUNDED)
    assert _stock(chips) == (8, 0)


def test_the_buyer_receives_a_pickup_order_and_the_post_delivers(world):
    order, _chips = _order(world, delivery="pickup")
    order_transition(actor=world.user("manager_a"), order=order, to_status=S.PACKED)
    order_transition(actor=world.user("buyer"), order=order, to_status=S.DELIVERED)
    order = order_transition(actor=world.user("buyer"), order=order, to_status=S.COMPLETED)
    assert order.status == S.COMPLETED
    other, _ = _order(world)
    order_transition(actor=world.user("manager_a"), order=other, to_status=S.PACKED)
    order_transition(actor=None, order=other, to_status=S.SHIPPED)
    assert order_transition(actor=None, order=other, to_status=S.DELIVERED).status == S.DELIVERED
