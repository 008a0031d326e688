"""The buyer and seller API: own cart, checkouts, orders and addresses only; idempotent
checkout; sellers see their own enterprises' orders; throttled writes."""

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from opop.mart.api_common import CHECKOUT
from opop.mart.models import Checkout, Order, OrderEvent, OrderLine
from opop.mart.tests.helpers import (
    buyer_address,
    fill_cart,
    sellable_product,
    stub_checkout_outside,
)
from opop.regions.models import Region

pytestmark = pytest.mark.django_db
API = "/api/v1/mart/"


@pytest.fixture(autouse=True)
def _setup(monkeypatch):
    stub_checkout_outside(monkeypatch)
    cache.clear()
    yield
    cache.clear()


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def placed_order(world, buyer, product, *, status="paid", quantity=1, delivery="post") -> Order:
    """A checkout with one order of `product`, built with the ORM."""
    n = Checkout.objects.count() + 1
    checkout = Checkout.objects.create(
        programme=product.programme,
        buyer=buyer,
        reference=f"OPM-T-{n:04d}",
        idempotency_key=f"orm-{n}",
        total=product.price * quantity,
        expires_at=timezone.now(),
        recipient="Penerima",
        street="Jl. Rahasia 7",
    )
    order = Order.objects.create(
        programme=product.programme,
        checkout=checkout,
        number=f"{checkout.reference}-1",
        buyer=buyer,
        seller=product.enterprise,
        status=status,
        delivery=delivery,
        subtotal=product.price * quantity,
        total=product.price * quantity,
    )
    OrderLine.objects.create(
        order=order,
        product=product,
        product_name=product.name,
        unit=product.unit,
        unit_price=product.price,
        quantity=quantity,
        weight_grams=product.weight_grams * quantity,
        line_total=product.price * quantity,
    )
    OrderEvent.objects.create(order=order, status=status)
    return order


def _checkout(client, address, world, key="key-1", **extra):
    body = {
        "programme": "jatim",
        "address": address.pk,
        "deliveries": {str(world.enterprise_a.pk): "post", str(world.enterprise_b.pk): "pickup"},
        "method": "va",
        **extra,
    }
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(f"{API}checkouts/", body, format="json", **headers)


def test_anonymous_callers_get_no_cart_checkout_orders_or_addresses(world):
    client = api()
    for url in ("cart/", "checkouts/OPM-1/", "orders/", "addresses/", "seller/orders/"):
        assert client.get(f"{API}{url}").status_code in (401, 403), url
    assert client.post(f"{API}cart/items/", {"product": 1}).status_code in (401, 403)
    assert client.post(f"{API}checkouts/", {}).status_code in (401, 403)


def test_the_cart_through_the_api(world):
    chips = sellable_product(world, "Keripik", price=15_000, stock=3)
    batik = sellable_product(world, "Batik", price=100_000, enterprise=world.enterprise_b)
    client = api(world.user("buyer"))
    assert client.post(f"{API}cart/items/", {"product": chips.pk, "quantity": 2}).status_code == 201
    response = client.post(f"{API}cart/items/", {"product": batik.pk}, format="json")
    assert response.status_code == 201
    assert response.json()["total"] == 130_000 and len(response.json()["groups"]) == 2
    too_many = client.patch(f"{API}cart/items/{chips.pk}/", {"quantity": 4}, format="json")
    assert too_many.status_code == 400 and "Only 3" in too_many.json()["detail"]
    assert client.patch(f"{API}cart/items/{chips.pk}/", {"quantity": 3}).json()["count"] == 4
    assert client.delete(f"{API}cart/items/{batik.pk}/").status_code == 204
    assert client.get(f"{API}cart/").json()["total"] == 45_000
    # Not for sale: refused; another buyer's cart item is not there for someone else.
    unsold = sellable_product(world, "Sambal", stock=0)
    assert client.post(f"{API}cart/items/", {"product": unsold.pk}).status_code == 400
    assert client.post(f"{API}cart/items/", {"product": 999999}).status_code == 400
    other = api(world.user("outsider"))
    assert other.patch(f"{API}cart/items/{chips.pk}/", {"quantity": 1}).status_code == 404
    assert other.get(f"{API}cart/").json()["count"] == 0


def test_checkout_is_idempotent_by_header_and_returns_payment_instructions(world):
    buyer = world.user("buyer")
    chips = sellable_product(world, "Keripik", price=15_000, stock=5)
    batik = sellable_product(world, "Batik", price=100_000, enterprise=world.enterprise_b)
    fill_cart(buyer, (chips, 2), (batik, 1))
    address = buyer_address(buyer)
    client = api(buyer)
    assert _checkout(client, address, world, key=None).status_code == 400
    first = _checkout(client, address, world)
    assert first.status_code == 201, first.content
    again = _checkout(client, address, world)
    assert again.status_code == 200
    assert again.json()["reference"] == first.json()["reference"]
    assert Checkout.objects.filter(buyer=buyer).count() == 1
    assert Order.objects.filter(buyer=buyer).count() == 2
    body = first.json()
    payment = body["payment"]
    assert payment["method"] == "va" and payment["amount"] == body["total"]
    assert payment["va_number"] and payment["expires_at"] and payment["status"] == "pending"
    assert client.get(f"{API}checkouts/{body['reference']}/").json()["total"] == body["total"]


def test_a_buyer_never_reaches_another_buyers_checkout_order_or_address(world):
    buyer, other = world.user("buyer"), world.user("outsider")
    chips = sellable_product(world, "Keripik", stock=5)
    order = placed_order(world, buyer, chips, status="shipped")
    theirs = api(other)
    assert theirs.get(f"{API}checkouts/{order.checkout.reference}/").status_code == 404
    assert theirs.get(f"{API}orders/{order.number}/").status_code == 404
    assert theirs.post(f"{API}orders/{order.number}/received/").status_code == 404
    assert theirs.get(f"{API}orders/").json()["count"] == 0
    # Someone else's address cannot be used to check out.
    fill_cart(other, (chips, 1))
    response = _checkout(theirs, buyer_address(buyer), world, key="x")
    assert response.status_code == 400 and "address" in response.json()
    assert api(buyer).get(f"{API}orders/").json()["count"] == 1


def test_the_buyer_confirms_receipt(world):
    buyer = world.user("buyer")
    order = placed_order(world, buyer, sellable_product(world), status="paid")
    client = api(buyer)
    detail = client.get(f"{API}orders/{order.number}/").json()
    assert detail["may_confirm_received"] is False and detail["lines"][0]["quantity"] == 1
    assert [e["status"] for e in detail["timeline"]] == ["paid"]
    assert client.post(f"{API}orders/{order.number}/received/").status_code == 400
    Order.objects.filter(pk=order.pk).update(status="shipped")
    response = client.post(f"{API}orders/{order.number}/received/")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "completed"
    assert response.json()["shipment"] is None


def test_sellers_see_only_their_enterprises_orders(world):
    buyer = world.user("buyer")
    mine = placed_order(world, buyer, sellable_product(world, "Keripik"))
    theirs = placed_order(
        world, buyer, sellable_product(world, "Batik", enterprise=world.enterprise_b)
    )
    rows = api(world.user("manager_a")).get(f"{API}seller/orders/").json()["results"]
    assert [r["number"] for r in rows] == [mine.number]
    assert rows[0]["ship_to"]["street"] == "Jl. Rahasia 7"
    rows = api(world.user("manager_b")).get(f"{API}seller/orders/").json()["results"]
    assert [r["number"] for r in rows] == [theirs.number]
    assert api(buyer).get(f"{API}seller/orders/").status_code == 403
    assert api(world.user("manager_a")).get(f"{API}orders/{theirs.number}/").status_code == 404


def test_addresses_are_the_callers_own(world):
    buyer = world.user("buyer")
    buyer_address(world.user("outsider"), label="Kantor Lain")
    district = Region.objects.filter(parent_id="35.78").order_by("code").first()
    client = api(buyer)
    body = {
        "label": "Rumah",
        "recipient": "Ibu Aminah",
        "phone": "081234567890",
        "regency": "35.78",
        "district": district.pk,
        "street": "Jl. Kenanga 3",
    }
    response = client.post(f"{API}addresses/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["is_default"] is True
    assert response.json()["regency"]["code"] == "35.78"
    assert [a["label"] for a in client.get(f"{API}addresses/").json()] == ["Rumah"]
    bad = client.post(f"{API}addresses/", {**body, "district": "35.17.01"}, format="json")
    assert bad.status_code == 400 and "district" in bad.json()


def test_checkouts_are_throttled_per_user(world, settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], CHECKOUT: "1/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    buyer = world.user("buyer")
    fill_cart(buyer, (sellable_product(world, stock=5), 1))
    address = buyer_address(buyer)
    client = api(buyer)
    deliveries = {"deliveries": {str(world.enterprise_a.pk): "pickup"}}
    assert _checkout(client, address, world, key="a", **deliveries).status_code == 201
    assert _checkout(client, address, world, key="b", **deliveries).status_code == 429
    # Reads are another scope: still allowed.
    assert client.get(f"{API}cart/").status_code == 200
