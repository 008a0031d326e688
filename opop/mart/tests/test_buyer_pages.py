"""Buyer pages: cart, checkout, orders, invoice, sign-up, addresses, and their refusals."""

import pytest
from django.utils import timezone

from opop.accounts.models import User
from opop.mart.models import BuyerAddress, Checkout
from opop.mart.services.checkout import checkout_mark_paid, checkout_place
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


def _paid_order(world):
    buyer = world.user("buyer")
    fill_cart(buyer, (sellable_product(world, stock=5), 1))
    checkout = checkout_place(
        actor=buyer,
        programme=world.jatim,
        address=buyer_address(buyer),
        deliveries={world.enterprise_a.pk: "post"},
        method="va",
        idempotency_key="p1",
    )
    checkout_mark_paid(checkout=checkout, paid_at=timezone.now())
    return checkout.orders.get()


def test_checkout_page_places_one_checkout_even_when_submitted_twice(world):
    buyer = world.user("buyer")
    chips = sellable_product(world, stock=5)
    batik = sellable_product(world, "Batik", enterprise=world.enterprise_b)
    fill_cart(buyer, (chips, 1), (batik, 1))
    address = buyer_address(buyer)
    client = world.client("buyer")
    page = client.get("/mart/checkout/")
    assert page.status_code == 200
    key = page.context["form"].initial["idempotency_key"]
    assert [v for v, _l in page.context["form"].fields["method"].choices] == ["va", "qris"]
    data = {
        "address": address.pk,
        "method": "va",
        "idempotency_key": key,
        f"delivery_{world.enterprise_a.pk}": "post",
        f"delivery_{world.enterprise_b.pk}": "pickup",
    }
    assert client.post("/mart/checkout/", data).status_code == 302
    fill_cart(buyer, (chips, 1))
    assert client.post("/mart/checkout/", data).status_code == 302
    assert Checkout.objects.get().orders.count() == 2


def test_anonymous_visitors_are_sent_to_log_in(world):
    anonymous = world.client("anonymous")
    for url in (
        "/mart/checkout/",
        "/mart/orders/",
        "/mart/addresses/",
        "/mart/orders/X-1/invoice.pdf",
    ):
        assert anonymous.get(url).status_code == 302
    assert anonymous.get("/mart/cart/").status_code == 200


def test_order_pages_and_invoice_for_buyer_and_seller_only(world):
    order = _paid_order(world)
    buyer = world.client("buyer")
    assert buyer.get("/mart/orders/").status_code == 200
    page = buyer.get(f"/mart/orders/{order.number}/")
    assert page.status_code == 200 and page.context["may_cancel"]
    for persona in ("buyer", "manager_a"):
        pdf = world.client(persona).get(f"/mart/orders/{order.number}/invoice.pdf")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    for persona in ("manager_b", "outsider", "admin", "participant"):
        assert world.client(persona).get(f"/mart/orders/{order.number}/").status_code == 404
    for persona in ("manager_b", "outsider"):
        assert (
            world.client(persona).get(f"/mart/orders/{order.number}/invoice.pdf").status_code == 404
        )
    assert world.client("outsider").post(f"/mart/orders/{order.number}/cancel/").status_code == 404
    buyer.post(f"/mart/orders/{order.number}/cancel/")
    order.refresh_from_db()
    assert order.status == "cancelled"


def test_sign_up_and_address_book(world):
    client = world.client("anonymous")
    response = client.post(
        "/mart/account/register/",
        {
            "full_name": "Nur Aini",
            "email": "nur@example.id",
            "phone": "081234567891",
            "password": "a-long-pass-2026",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="nur@example.id")
    assert user.phone == "+6281234567891"
    page = client.get("/mart/addresses/add/")
    assert page.status_code == 200 and b"hx-get" in page.content
    response = client.post(
        "/mart/addresses/add/",
        {
            "label": "Rumah",
            "recipient": "Nur",
            "phone": "081234567891",
            "regency": "35.78",
            "district": "35.78.01",
            "street": "Jl. Mawar 1",
        },
    )
    assert response.status_code == 302
    address = BuyerAddress.objects.get(user=user)
    assert address.is_default
    other = world.client("buyer")
    assert other.get(f"/mart/addresses/{address.pk}/").status_code == 404
    assert other.post(f"/mart/addresses/{address.pk}/remove/").status_code == 404
    mismatched = client.post(
        "/mart/addresses/add/",
        {
            "label": "Kantor",
            "recipient": "Nur",
            "phone": "081234567891",
            "regency": "35.78",
            "district": "35.17.01",
            "street": "Jl. Mawar 2",
        },
    )
    assert mismatched.status_code == 200
