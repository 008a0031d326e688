"""The monthly settlement statement: delivered/completed orders of the month, gross, platform
fee from MartSettings (0 without settings), shipping passed to the post, net payable."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from opop.mart.models import MartSettings, Order
from opop.mart.tests.helpers import sellable_product
from opop.mart.tests.test_seller_pages import make_order

pytestmark = pytest.mark.django_db
TZ = timezone.get_current_timezone()


def _at(y, m, d):
    return dt.datetime(y, m, d, 10, 0, tzinfo=TZ)


@pytest.fixture
def month(world):
    chips = sellable_product(world, price=10_000, stock=100)
    delivered = make_order(
        world,
        [(chips, 3)],
        status=Order.Status.DELIVERED,
        delivered_at=_at(2025, 3, 5),
        shipping_fee=8_000,
    )
    completed = make_order(
        world,
        [(chips, 7)],
        status=Order.Status.COMPLETED,
        delivered_at=_at(2025, 3, 28),
        shipping_fee=0,
        delivery=Order.Delivery.PICKUP,
    )
    # Outside the statement: delivered in April, shipped only, cancelled.
    make_order(world, [(chips, 1)], status=Order.Status.DELIVERED, delivered_at=_at(2025, 4, 1))
    make_order(world, [(chips, 2)], status=Order.Status.SHIPPED)
    make_order(world, [(chips, 4)], status=Order.Status.CANCELLED, delivered_at=_at(2025, 3, 9))
    # Completed without a delivered event: counted at its completion.
    no_event = make_order(world, [(chips, 5)], status=Order.Status.COMPLETED)
    Order.objects.filter(pk=no_event.pk).update(completed_at=_at(2025, 3, 30))
    return {"delivered": delivered, "completed": completed, "no_event": no_event}


def _statement(world, period="2025-03", persona="manager_a"):
    response = world.client(persona).get(reverse("mart:seller_settlement") + f"?period={period}")
    assert response.status_code == 200
    return response.context["statement"], response.content.decode()


def test_statement_arithmetic_with_a_platform_fee(world, month):
    MartSettings.objects.create(programme=world.jatim, platform_fee_bp=250)
    statement, body = _statement(world)
    assert {o.number for o in statement.orders} == {o.number for o in month.values()}
    assert statement.gross == 150_000
    assert statement.fee == 3_750  # 150,000 × 250 / 10,000
    assert statement.net == 146_250
    assert statement.shipping == 8_000 + 9_000
    assert "Rp146.250" in body


def test_the_fee_is_rounded_down_to_whole_rupiah(world, month):
    MartSettings.objects.create(programme=world.jatim, platform_fee_bp=333)
    statement, _ = _statement(world)
    assert statement.fee == 150_000 * 333 // 10_000 == 4_995


def test_without_settings_there_is_no_fee(world, month):
    statement, _ = _statement(world)
    assert (statement.fee_bp, statement.fee, statement.net) == (0, 0, 150_000)


def test_another_month_and_another_seller_see_nothing_of_it(world, month):
    statement, _ = _statement(world, period="2025-02")
    assert statement.orders == []
    statement, _ = _statement(world, persona="manager_b")
    assert statement.orders == [] and statement.gross == 0


def test_a_malformed_period_falls_back_to_this_month(world, month):
    response = world.client("manager_a").get(reverse("mart:seller_settlement") + "?period=x-y")
    assert response.context["period_value"] == timezone.localdate().strftime("%Y-%m")
