"""The seller's pages: scope (a seller never sees another seller's orders or stock), the order
page with the buyer's address, fulfilment steps, sales report and its spreadsheet."""

from __future__ import annotations

import datetime as dt
import io
import itertools

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from opop.mart.models import Checkout, Order, OrderEvent, OrderLine
from opop.mart.tests.helpers import sellable_product

pytestmark = pytest.mark.django_db
_numbers = itertools.count(1)


def make_order(
    world,
    lines,
    *,
    status=Order.Status.PAID,
    buyer=None,
    paid_at=None,
    delivery=Order.Delivery.POST,
    shipping_fee=9_000,
    delivered_at=None,
) -> Order:
    """A checkout with one order of `lines` [(product, quantity)], built straight in the DB."""
    buyer = buyer or world.user("buyer")
    seller = lines[0][0].enterprise
    n = next(_numbers)
    subtotal = sum(product.price * quantity for product, quantity in lines)
    paid_at = paid_at or timezone.now()
    checkout = Checkout.objects.create(
        programme=seller.programme,
        buyer=buyer,
        reference=f"CO-T{n}",
        idempotency_key=f"key-{n}",
        status=Checkout.Status.PAID,
        total=subtotal + shipping_fee,
        expires_at=paid_at + dt.timedelta(days=1),
        recipient="Bu Halimah",
        phone="+6281234500001",
        regency_id="35.17",
        district_id="35.17.01",
        street="Jl. Merpati 7",
        postal_code="61471",
    )
    order = Order.objects.create(
        programme=seller.programme,
        checkout=checkout,
        number=f"OM-T{n}",
        buyer=buyer,
        seller=seller,
        status=status,
        delivery=delivery,
        subtotal=subtotal,
        shipping_fee=shipping_fee,
        total=subtotal + shipping_fee,
        paid_at=paid_at,
    )
    for product, quantity in lines:
        OrderLine.objects.create(
            order=order,
            product=product,
            product_name=product.name,
            unit=product.unit,
            unit_price=product.price,
            quantity=quantity,
            weight_grams=product.weight_grams,
            line_total=product.price * quantity,
        )
    if delivered_at:
        event = OrderEvent.objects.create(order=order, status=Order.Status.DELIVERED)
        OrderEvent.objects.filter(pk=event.pk).update(at=delivered_at)
    return order


@pytest.fixture
def shop(world):
    chips = sellable_product(world, "Keripik Tempe", price=12_000, stock=20)
    batik = sellable_product(
        world, "Batik Tulis", price=250_000, stock=3, enterprise=world.enterprise_b
    )
    return {
        "chips": chips,
        "batik": batik,
        "order_a": make_order(world, [(chips, 2)]),
        "order_b": make_order(world, [(batik, 1)]),
    }


SELLER_PAGES = [
    "seller_home",
    "seller_stock",
    "seller_orders",
    "seller_sales",
    "seller_settlement",
    "seller_reviews",
]


@pytest.mark.parametrize("name", SELLER_PAGES)
@pytest.mark.parametrize("persona", ["buyer", "admin", "officer", "auditor", "outsider"])
def test_it_refuses_non_sellers(world, name, persona):
    assert world.client(persona).get(reverse(f"mart:{name}")).status_code == 403


@pytest.mark.parametrize("name", SELLER_PAGES)
def test_it_sends_anonymous_visitors_to_login(world, name):
    response = world.client("anonymous").get(reverse(f"mart:{name}"))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("name", SELLER_PAGES)
def test_pages_render_for_a_seller(world, shop, name):
    assert world.client("manager_a").get(reverse(f"mart:{name}")).status_code == 200


def test_a_seller_lists_only_their_orders(world, shop):
    body = world.client("manager_a").get(reverse("mart:seller_orders")).content.decode()
    assert shop["order_a"].number in body
    assert shop["order_b"].number not in body


def test_another_sellers_order_is_404(world, shop):
    client = world.client("manager_a")
    assert (
        client.get(reverse("mart:seller_order", args=[shop["order_b"].number])).status_code == 404
    )
    url = reverse("mart:seller_order_action", args=[shop["order_b"].number])
    assert client.post(url, {"action": "pack"}).status_code == 404
    shop["order_b"].refresh_from_db()
    assert shop["order_b"].status == Order.Status.PAID


def test_the_order_page_shows_the_delivery_address_to_its_seller(world, shop):
    response = world.client("manager_b").get(
        reverse("mart:seller_order", args=[shop["order_b"].number])
    )
    body = response.content.decode()
    assert "Jl. Merpati 7" in body and "Bu Halimah" in body
    assert 'data-step="pack"' in body and 'data-step="cancel"' in body


def test_the_order_list_filters_by_status_without_a_query_per_row(
    world, shop, django_assert_max_num_queries
):
    for _ in range(6):
        make_order(world, [(shop["chips"], 1)], status=Order.Status.PACKED)
    client = world.client("manager_a")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("mart:seller_orders") + "?status=packed")
    body = response.content.decode()
    assert body.count("/mart/seller/orders/OM-T") == 6
    assert shop["order_a"].number not in body


def test_another_sellers_stock_cannot_be_set(world, shop):
    url = reverse("mart:seller_stock_set", args=[shop["batik"].pk])
    assert world.client("manager_a").post(url, {"on_hand": 99}).status_code == 404
    shop["batik"].stock.refresh_from_db()
    assert shop["batik"].stock.on_hand == 3


def test_the_stock_page_lists_only_own_products(world, shop):
    body = world.client("manager_a").get(reverse("mart:seller_stock")).content.decode()
    assert "Keripik Tempe" in body and "Batik Tulis" not in body


def test_home_counts_orders_to_fulfil_and_low_stock(world, shop):
    response = world.client("manager_b").get(reverse("mart:seller_home"))
    figures = {s: n for s, _label, n in response.context["to_fulfil"]}
    assert figures["paid"] == 1
    assert [p.name for p in response.context["low_stock"]] == ["Batik Tulis"]


def test_packing_goes_through_the_state_machine(world, shop):
    url = reverse("mart:seller_order_action", args=[shop["order_a"].number])
    world.client("manager_a").post(url, {"action": "pack"})
    shop["order_a"].refresh_from_db()
    assert shop["order_a"].status == Order.Status.PACKED
    assert shop["order_a"].events.filter(status=Order.Status.PACKED).exists()


def test_shipping_books_the_post_then_marks_shipped(world, shop):
    order = shop["order_a"]
    Order.objects.filter(pk=order.pk).update(status=Order.Status.PACKED)
    url = reverse("mart:seller_order_action", args=[order.number])
    world.client("manager_a").post(url, {"action": "ship"})
    order.refresh_from_db()
    assert order.status == Order.Status.SHIPPED
    assert order.shipment.tracking_number


def test_pickup_orders_are_handed_over_not_shipped(world, shop):
    order = make_order(
        world, [(shop["chips"], 1)], status=Order.Status.PACKED, delivery=Order.Delivery.PICKUP
    )
    client = world.client("manager_a")
    url = reverse("mart:seller_order_action", args=[order.number])
    client.post(url, {"action": "ship"})
    order.refresh_from_db()
    assert order.status == Order.Status.PACKED
    client.post(url, {"action": "handover"})
    order.refresh_from_db()
    assert order.status == Order.Status.DELIVERED


def test_cancelling_needs_a_reason(world, shop):
    order = shop["order_a"]
    url = reverse("mart:seller_order_action", args=[order.number])
    client = world.client("manager_a")
    client.post(url, {"action": "cancel", "note": ""})
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    client.post(url, {"action": "cancel", "note": "Stok rusak karena banjir"})
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED


def test_sales_by_month_and_product_leave_cancelled_orders_out(world, shop):
    make_order(world, [(shop["chips"], 5)], status=Order.Status.CANCELLED)
    make_order(world, [(shop["chips"], 1)], status=Order.Status.COMPLETED)
    response = world.client("manager_a").get(reverse("mart:seller_sales"))
    report = response.context["report"]
    assert report["totals"] == {"orders": 2, "value": 3 * 12_000}
    assert report["by_product"][0]["quantity"] == 3


def test_sales_spreadsheet_neutralises_formulas(world, shop):
    evil = sellable_product(world, '=HYPERLINK("http://x")', price=1_000)
    make_order(world, [(evil, 1)])
    response = world.client("manager_a").get(reverse("mart:seller_sales") + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [row[1] for row in sheet.iter_rows(values_only=True)]
    assert '\'=HYPERLINK("http://x")' in names


def test_sales_refuses_a_reversed_date_range(world, shop):
    response = world.client("manager_a").get(
        reverse("mart:seller_sales") + "?from=2025-05-01&to=2025-04-01"
    )
    assert "The start date is after the end date." in response.content.decode()
