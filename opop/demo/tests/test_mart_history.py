import dataclasses
import datetime as dt
import math
import re
from collections import Counter, defaultdict
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.hashers import is_password_usable
from django.db.models import Sum

from opop.accounts.models import User
from opop.demo import seed as demo
from opop.demo.mart_history import (
    BUYER_DOMAIN,
    HISTORY_KEY,
    history_buyers,
    qris_payload,
    seed_mart_history,
)
from opop.demo.writer import RowWriter
from opop.mart.gateways import simulator
from opop.mart.models import (
    BuyerAddress,
    Checkout,
    Order,
    OrderEvent,
    OrderLine,
    Payment,
    StockLevel,
)
from opop.mart.selectors_buyer import sellable_products
from opop.programmes.models import Programme

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")
TODAY = dt.date(2026, 6, 15)
S = Order.Status


@pytest.fixture
def shop(monkeypatch):
    """Both demo programmes at `tiny`, without past orders: the tests write their own."""
    monkeypatch.setitem(demo.SCALES, "tiny", dataclasses.replace(demo.SCALES["tiny"], orders=0))
    demo.demo_seed(scale="tiny")
    return {p.code: p for p in Programme.objects.filter(code__in=["jatim", "kalsel"])}


def _history(programmes, orders, seed=5):
    from django.utils import timezone

    writer = RowWriter(now=timezone.now())
    return seed_mart_history(
        programmes=programmes, orders=orders, seed=seed, writer=writer, today=TODAY
    )


def _orders():
    return Order.objects.filter(checkout__idempotency_key__startswith=HISTORY_KEY)


def _snapshot() -> dict[str, list]:
    """Everything that must come out the same, in order, without primary keys."""
    orders = _orders().order_by("number")
    return {
        "orders": list(
            orders.values_list(
                "number",
                "status",
                "delivery",
                "subtotal",
                "shipping_fee",
                "total",
                "created_at",
                "paid_at",
                "completed_at",
                "buyer__email",
                "seller__nib",
                "seller__name",
                "checkout__reference",
            )
        ),
        "lines": list(
            OrderLine.objects.filter(order__in=orders)
            .order_by("order__number", "product_name", "quantity")
            .values_list("order__number", "product_name", "unit_price", "quantity")
        ),
        "events": list(
            OrderEvent.objects.filter(order__in=orders)
            .order_by("order__number", "at", "status")
            .values_list("order__number", "status", "at", "note", "actor__email")
        ),
        "payments": list(
            Payment.objects.filter(checkout__orders__in=orders)
            .distinct()
            .order_by("external_id")
            .values_list("external_id", "method", "provider", "status", "amount", "paid_at")
        ),
        "buyers": list(
            history_buyers().order_by("email").values_list("email", "full_name", "date_joined")
        ),
    }


def test_every_scale_states_its_past_orders():
    assert demo.SCALES["tiny"].orders <= 500  # the test suite seeds tiny again and again
    assert demo.SCALES["small"].orders == 2_000
    assert demo.SCALES["medium"].orders == 100_000
    assert demo.SCALES["large"].orders == 1_000_000


def test_demo_seed_writes_the_past_orders_of_its_scale():
    counts = demo.demo_seed(scale="tiny")
    wanted = demo.SCALES["tiny"].orders
    assert _orders().count() == counts["history_orders"] == wanted
    # 85 % jatim, the rest kalsel (the programmes' shares); buyers about one per 20 orders.
    by_programme = Counter(_orders().values_list("programme__code", flat=True))
    assert by_programme == {"jatim": round(wanted * 0.85), "kalsel": wanted - round(wanted * 0.85)}
    assert history_buyers().count() == sum(math.ceil(n / 20) for n in by_programme.values())


def test_past_orders_hold_together(shop):
    stock = dict(StockLevel.objects.values_list("product_id", "on_hand"))
    reserved = StockLevel.objects.aggregate(r=Sum("reserved"))["r"]
    counts = _history(shop, orders=2_000)

    orders = list(_orders().select_related("checkout", "seller", "programme"))
    assert len(orders) == counts["history_orders"] == 2_000
    by_programme = Counter(o.programme.code for o in orders)
    assert by_programme == {"jatim": 1_700, "kalsel": 300}
    # Past sales never touch today's stock.
    assert dict(StockLevel.objects.values_list("product_id", "on_hand")) == stock
    assert StockLevel.objects.aggregate(r=Sum("reserved"))["r"] == reserved

    lines = defaultdict(list)
    for line in OrderLine.objects.filter(order__in=_orders()).select_related("product"):
        lines[line.order_id].append(line)
    events = defaultdict(list)
    for event in OrderEvent.objects.filter(order__in=_orders()).order_by("at", "id"):
        events[event.order_id].append(event)
    sellable = set(sellable_products().values_list("pk", "enterprise_id", "programme_id"))
    now = dt.datetime.now(dt.UTC)
    real_number = re.compile(r"^OPM-\d{4}-\d+(-\d+)?$")  # what checkout_place writes
    for order in orders:
        assert not real_number.match(order.number)
        assert order.number.startswith(f"{order.checkout.reference}-")
        assert order.total == order.subtotal + order.shipping_fee
        assert order.buyer_id == order.checkout.buyer_id
        assert 1 <= len(lines[order.pk]) <= 3
        assert order.subtotal == sum(line.line_total for line in lines[order.pk])
        for line in lines[order.pk]:
            assert (line.product_id, order.seller_id, order.programme_id) in sellable
            assert (line.product_name, line.unit_price) == (line.product.name, line.product.price)
            assert line.weight_grams == line.product.weight_grams * line.quantity
        if order.delivery == Order.Delivery.PICKUP:
            assert order.shipping_fee == 0
            assert order.status != S.SHIPPED  # the post never carries it
        else:
            assert order.shipping_fee >= 8_000
        timeline = events[order.pk]
        assert timeline[-1].status == order.status
        assert timeline[-1].at == order.updated_at
        assert all(event.at <= now for event in timeline)
        # A completed order shows its end; the others also how they began.
        assert len(timeline) == (1 if order.status == S.COMPLETED else 2)
        if order.status == S.CANCELLED:
            assert order.paid_at is None
            assert timeline[0].status == S.AWAITING_PAYMENT
            assert timeline[0].at == order.created_at
        else:
            assert 8 <= order.paid_at.astimezone(WIB).hour <= 20  # shop hours, Jakarta time
            assert order.created_at <= order.paid_at < timeline[-1].at
        if order.status in (S.REFUNDED, S.SHIPPED, S.DELIVERED):
            assert (timeline[0].status, timeline[0].at) == (S.PAID, order.paid_at)
        if order.status == S.REFUNDED:
            assert timeline[-1].note  # the reason
        assert (order.completed_at is not None) == (order.status == S.COMPLETED)

    statuses = Counter(o.status for o in orders)
    share = {status: count / len(orders) for status, count in statuses.items()}
    assert 0.85 <= share[S.COMPLETED] <= 0.95
    assert 0.03 <= share[S.CANCELLED] <= 0.08
    assert 0.015 <= share[S.REFUNDED] <= 0.05
    assert 0.005 <= share.get(S.SHIPPED, 0) + share.get(S.DELIVERED, 0) <= 0.04
    assert statuses.keys() <= {S.COMPLETED, S.CANCELLED, S.REFUNDED, S.SHIPPED, S.DELIVERED}

    checkouts = Checkout.objects.filter(idempotency_key__startswith=HISTORY_KEY)
    payments = {p.checkout_id: p for p in Payment.objects.filter(checkout__in=checkouts)}
    by_checkout = defaultdict(list)
    for order in orders:
        by_checkout[order.checkout_id].append(order)
    assert checkouts.count() == len(payments) == len(by_checkout) < len(orders)
    for checkout in checkouts:
        group = by_checkout[checkout.pk]
        payment = payments[checkout.pk]
        assert len({o.seller_id for o in group}) == len(group)  # one order per seller
        assert checkout.total == payment.amount == sum(o.total for o in group)
        assert payment.external_id == checkout.reference
        if len(group) > 1:
            assert payment.method in (Payment.Method.VIRTUAL_ACCOUNT, Payment.Method.QRIS)
        if payment.method == Payment.Method.PICKUP:
            assert group[0].delivery == Order.Delivery.PICKUP
        if payment.method == Payment.Method.QRIS:
            assert payment.qris_payload == simulator.qris_payload(
                reference=checkout.reference, amount=checkout.total
            )
        if payment.method == Payment.Method.VIRTUAL_ACCOUNT:
            assert payment.va_number == "8808" + str(checkout.pk).zfill(12)
        status = group[0].status
        if status in (S.SHIPPED, S.DELIVERED):  # on their way: picked up ones are delivered
            assert {o.status for o in group} <= {S.SHIPPED, S.DELIVERED}
        else:
            assert {o.status for o in group} == {status}  # the checkout's orders end alike
        if status == S.CANCELLED:
            assert (checkout.status, payment.status) == ("expired", "expired")
            assert payment.paid_at is None
        else:
            assert checkout.status == "paid"
            assert payment.status == ("refunded" if status == S.REFUNDED else "paid")
            assert payment.paid_at == group[0].paid_at

    for buyer in history_buyers():
        assert re.fullmatch(rf"buyer\d{{5}}@{re.escape(BUYER_DOMAIN)}", buyer.email)
        assert not is_password_usable(buyer.password)
        assert buyer.phone is None
        first = Checkout.objects.filter(buyer=buyer).order_by("created_at").first()
        assert first is not None and buyer.date_joined < first.created_at
        assert BuyerAddress.objects.filter(user=buyer).count() == 1

    # Later months sell more than earlier ones, and the weeks before Lebaran more than January.
    paid = [o.paid_at.astimezone(WIB).date() for o in orders if o.paid_at]
    last_year = sum(day > TODAY - dt.timedelta(days=365) for day in paid)
    assert last_year > len(paid) - last_year
    lebaran = sum(dt.date(2025, 3, 17) <= day <= dt.date(2025, 3, 30) for day in paid) / 14
    january = sum(dt.date(2025, 1, 1) <= day <= dt.date(2025, 1, 31) for day in paid) / 31
    assert lebaran > 1.5 * january

    # A second run finds the history and writes nothing.
    assert sum(_history(shop, orders=2_000).values()) == 0
    assert _orders().count() == 2_000


def test_the_same_seed_gives_the_same_orders(shop, monkeypatch):
    _history(shop, orders=300)
    first = _snapshot()
    assert len(first["orders"]) == 300
    demo.demo_reset()
    monkeypatch.setitem(demo.SCALES, "tiny", dataclasses.replace(demo.SCALES["tiny"], orders=0))
    demo.demo_seed(scale="tiny")
    programmes = {p.code: p for p in Programme.objects.filter(code__in=["jatim", "kalsel"])}
    _history(programmes, orders=300)
    assert _snapshot() == first


def test_reset_removes_past_orders_and_their_buyers():
    demo.demo_seed(scale="tiny")
    assert _orders().exists() and history_buyers().exists()
    other = User.objects.create_user("someone@example.com", "x-Very-long-1", full_name="Someone")
    demo.demo_reset()
    for model in (Checkout, Order, OrderLine, OrderEvent, Payment):
        assert not model.objects.exists(), model
    assert not history_buyers().exists()
    assert not BuyerAddress.objects.filter(user__email__endswith=BUYER_DOMAIN).exists()
    assert User.objects.filter(pk=other.pk).exists()


def test_qris_payload_is_the_simulators():
    for reference, amount in (("OPM-2025-JATIM0000001", 31_000), ("X", 1)):
        assert qris_payload(reference=reference, amount=amount) == simulator.qris_payload(
            reference=reference, amount=amount
        )
