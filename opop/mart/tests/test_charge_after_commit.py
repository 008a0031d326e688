"""The gateway is asked for the account number only after the checkout has committed: a gateway
that cannot be reached leaves a placed checkout (stock reserved) whose charge can be retried."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from opop.mart.gateways.base import GatewayError
from opop.mart.gateways.simulator import SimulatorGateway
from opop.mart.models import Checkout, Payment, StockLevel
from opop.mart.services.checkout import checkout_place
from opop.mart.tests.helpers import buyer_address, fill_cart, sellable_product

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_post(monkeypatch):
    from types import SimpleNamespace

    from opop.mart.services import checkout as checkout_service

    quote = SimpleNamespace(fee=12_000, days=2)
    monkeypatch.setattr(checkout_service, "shipping_quote_for", lambda **kwargs: quote)


@pytest.fixture
def gateway_down(monkeypatch):
    real = SimulatorGateway.create_charge
    state = {"down": True, "calls": 0}

    def create_charge(self, payment):
        state["calls"] += 1
        if state["down"]:
            raise GatewayError("no route to the gateway")
        return real(self, payment)

    monkeypatch.setattr(SimulatorGateway, "create_charge", create_charge)
    return state


def _place(world, key="k1"):
    buyer = world.user("buyer")
    return checkout_place(
        actor=buyer,
        programme=world.jatim,
        address=buyer.addresses.first() or buyer_address(buyer),
        deliveries={world.enterprise_a.pk: "post"},
        method="va",
        idempotency_key=key,
    )


def test_an_unreachable_gateway_leaves_the_checkout_placed_and_waiting(world, gateway_down):
    chips = sellable_product(world, "Keripik", stock=5)
    fill_cart(world.user("buyer"), (chips, 2))
    checkout = _place(world)
    assert Checkout.objects.filter(pk=checkout.pk, status="awaiting").exists()
    assert StockLevel.objects.get(pk=chips.pk).reserved == 2
    payment = Payment.objects.get(checkout=checkout)
    assert payment.status == "pending" and not payment.va_number
    page = world.client("buyer").get(reverse("mart:payment", args=[checkout.reference]))
    assert 'id="charge-pending"' in page.content.decode()

    # Still down: the retry says so and changes nothing.
    client = world.client("buyer")
    url = reverse("mart:payment_charge_retry", args=[checkout.reference])
    response = client.post(url, follow=True)
    assert "cannot be reached" in response.content.decode()
    # Back up: the retry fetches the number once; more retries ask nothing more.
    gateway_down["down"] = False
    client.post(url)
    client.post(url)
    payment.refresh_from_db()
    assert payment.va_number and gateway_down["calls"] == 3
    assert payment.events.filter(outcome="created").count() == 1


def test_the_api_retries_the_charge_with_the_same_idempotency_key(world, gateway_down):
    chips = sellable_product(world, "Keripik", stock=5)
    buyer = world.user("buyer")
    fill_cart(buyer, (chips, 1))
    address = buyer_address(buyer)
    client = APIClient()
    client.force_authenticate(buyer)
    body = {
        "programme": "jatim",
        "address": address.pk,
        "method": "va",
        "deliveries": {str(world.enterprise_a.pk): "post"},
    }
    first = client.post("/api/v1/mart/checkouts/", body, format="json", HTTP_IDEMPOTENCY_KEY="a1")
    assert first.status_code in (200, 201), first.content
    assert first.json()["payment"]["awaiting_gateway"] is True
    gateway_down["down"] = False
    again = client.post("/api/v1/mart/checkouts/", body, format="json", HTTP_IDEMPOTENCY_KEY="a1")
    assert again.json()["reference"] == first.json()["reference"]
    assert again.json()["payment"]["awaiting_gateway"] is False
    assert again.json()["payment"]["va_number"]
    assert Checkout.objects.filter(buyer=buyer).count() == 1


def test_another_buyer_cannot_retry_the_charge(world, gateway_down):
    fill_cart(world.user("buyer"), (sellable_product(world, "Keripik", stock=5), 1))
    checkout = _place(world)
    gateway_down["down"] = False
    url = reverse("mart:payment_charge_retry", args=[checkout.reference])
    assert world.client("outsider").post(url).status_code == 404
    assert not Payment.objects.get(checkout=checkout).va_number
