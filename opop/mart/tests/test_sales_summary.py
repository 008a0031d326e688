"""The OPOP Mart sales summary follows every order through the services, and a recount from the
orders gives the same rows (`opop.mart.sales`)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from opop.mart.figures import mart_figures
from opop.mart.models import Order, SalesCount
from opop.mart.sales import sales_recount
from opop.mart.services.checkout import checkout_mark_paid, checkout_place
from opop.mart.services.orders import order_transition
from opop.mart.tests.helpers import (
    buyer_address,
    fill_cart,
    sellable_product,
    stub_checkout_outside,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _outside(monkeypatch):
    stub_checkout_outside(monkeypatch)


def _cells(programme):
    return sorted(
        SalesCount.objects.filter(programme=programme)
        .exclude(orders=0, value=0)
        .values_list("year", "month", "regency_code", "pesantren_key", "pillar", "orders", "value")
    )


def _paid_checkout(world, key, *items):
    user = world.user("buyer")
    fill_cart(user, *items)
    checkout = checkout_place(
        actor=user,
        programme=world.jatim,
        address=user.addresses.first() or buyer_address(user),
        deliveries={world.enterprise_a.pk: "post", world.enterprise_b.pk: "pickup"},
        method="va",
        idempotency_key=key,
    )
    return checkout_mark_paid(checkout=checkout, paid_at=timezone.now())


def test_paid_orders_are_counted_when_paid_and_taken_out_when_cancelled(world):
    chips = sellable_product(world, "Keripik", price=15_000, stock=10)
    batik = sellable_product(world, "Batik", price=150_000, stock=3, enterprise=world.enterprise_b)
    checkout = _paid_checkout(world, "k1", (chips, 2), (batik, 1))
    assert not checkout.orders.filter(paid_at__isnull=True).exists()  # the moment is stored
    today = timezone.localdate()
    cells = _cells(world.jatim)
    assert sorted((c[0], c[1], c[5], c[6]) for c in cells) == [
        (today.year, today.month, 1, 30_000),
        (today.year, today.month, 1, 150_000),
    ]

    # Packing keeps it counted; cancelling a paid order takes it out again.
    order_a = checkout.orders.get(seller=world.enterprise_a)
    seller = world.user("manager_a")
    order_transition(actor=seller, order=order_a, to_status=Order.Status.PACKED)
    assert sum(c[5] for c in _cells(world.jatim)) == 2
    order_transition(actor=seller, order=order_a, to_status=Order.Status.CANCELLED)
    assert [(c[5], c[6]) for c in _cells(world.jatim)] == [(1, 150_000)]
    # A refund after cancellation moves nothing more.
    order_transition(actor=seller, order=order_a, to_status=Order.Status.REFUNDED)
    assert [(c[5], c[6]) for c in _cells(world.jatim)] == [(1, 150_000)]


def test_a_repeated_payment_is_counted_once(world):
    chips = sellable_product(world, "Keripik", price=15_000, stock=10)
    checkout = _paid_checkout(world, "k1", (chips, 1))
    checkout_mark_paid(checkout=checkout, paid_at=timezone.now())
    assert [(c[5], c[6]) for c in _cells(world.jatim)] == [(1, 15_000)]


def test_the_recount_gives_the_rows_the_moves_built(world):
    chips = sellable_product(world, "Keripik", price=15_000, stock=20)
    batik = sellable_product(world, "Batik", price=150_000, stock=5, enterprise=world.enterprise_b)
    _paid_checkout(world, "k1", (chips, 2), (batik, 1))
    second = _paid_checkout(world, "k2", (chips, 1))
    order_transition(
        actor=world.user("manager_a"), order=second.orders.get(), to_status=Order.Status.CANCELLED
    )
    _paid_checkout(world, "k3", (batik, 2))
    moved = _cells(world.jatim)
    assert sales_recount(programme_id=world.jatim.pk) >= 2
    assert _cells(world.jatim) == moved
    assert not SalesCount.objects.filter(programme=world.kalsel).exists()


def test_summary_and_live_figures_agree(world):
    """Admins read the summary, the manager counts live: the same orders give the same totals."""
    chips = sellable_product(world, "Keripik", price=15_000, stock=20)
    _paid_checkout(world, "k1", (chips, 3))
    from opop.accounts.access import access_for

    year = timezone.localdate().year
    admin = mart_figures(access_for(world.user("admin")), year=year)
    manager = mart_figures(access_for(world.user("manager_a")), year=year)
    assert admin["totals"] == manager["totals"] == {"orders": 1, "value": 45_000}


@pytest.mark.parametrize("persona", ["admin", "officer", "manager_a"])
def test_the_dashboard_shows_the_sales_card(world, persona):
    chips = sellable_product(world, "Keripik", price=15_000, stock=20)  # Kota Surabaya
    _paid_checkout(world, "k1", (chips, 3))
    page = world.client(persona).get(reverse("dashboard:programme"))
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="mart-sales"' in html
    assert 'data-figure="sales_orders">1<' in html


def test_another_programmes_dashboard_shows_no_sales_of_this_one(world):
    chips = sellable_product(world, "Keripik", price=15_000, stock=20)
    _paid_checkout(world, "k1", (chips, 3))
    html = world.client("kalsel_admin").get(reverse("dashboard:programme")).content.decode()
    assert 'data-figure="sales_orders">0<' in html
