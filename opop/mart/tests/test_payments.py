"""Payments: starting them, transfer proofs, the sellers' confirmations and the expiry sweep.

Checkouts, orders and payments are built with the ORM (`paid_checkout` below); the checkout
service's `checkout_mark_paid` / `checkout_expire` are the real ones."""

from __future__ import annotations

import datetime as dt
import io
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from opop.catalog.models import Category, Product
from opop.mart.gateways.simulator import simulator_pay
from opop.mart.models import Checkout, Order, OrderLine, Payment, PaymentEvent, StockLevel
from opop.mart.services import payments
from opop.mart.tasks import payments_expire_task

pytestmark = pytest.mark.django_db
_numbers = itertools.count(1)


def make_checkout(world, *, sellers=None, quantity=2, delivery="post", buyer=None, minutes=60):
    """An awaiting checkout with one order per seller and its units reserved (no payment yet)."""
    sellers = sellers or [world.enterprise_a]
    buyer = buyer or world.user("buyer")
    n = next(_numbers)
    category, _ = Category.objects.get_or_create(slug="keripik", defaults={"name": "Keripik"})
    checkout = Checkout.objects.create(
        programme=world.jatim,
        buyer=buyer,
        reference=f"OPM-T-{n:05d}",
        idempotency_key=f"k{n}",
        total=0,
        expires_at=timezone.now() + dt.timedelta(minutes=minutes),
    )
    total = 0
    for position, seller in enumerate(sellers, start=1):
        product = Product.objects.create(
            programme=world.jatim,
            enterprise=seller,
            category=category,
            name=f"Keripik {n}-{position}",
            price=15_000,
            unit="bungkus",
            weight_grams=200,
            status=Product.Status.ACTIVE,
        )
        StockLevel.objects.create(product=product, on_hand=10, reserved=quantity)
        order = Order.objects.create(
            programme=world.jatim,
            checkout=checkout,
            number=f"{checkout.reference}-{position}",
            buyer=buyer,
            seller=seller,
            delivery=delivery,
            subtotal=15_000 * quantity,
            shipping_fee=0,
            total=15_000 * quantity,
        )
        OrderLine.objects.create(
            order=order,
            product=product,
            product_name=product.name,
            unit="bungkus",
            unit_price=15_000,
            quantity=quantity,
            weight_grams=200 * quantity,
            line_total=15_000 * quantity,
        )
        total += order.total
    checkout.total = total
    checkout.save()
    return checkout


def start(world, method="va", **kwargs) -> Payment:
    checkout = make_checkout(world, **kwargs)
    return payments.payment_start(checkout=checkout, method=method)


def stock_of(checkout) -> list[tuple[int, int]]:
    product_ids = OrderLine.objects.filter(order__checkout=checkout).values("product_id")
    levels = StockLevel.objects.filter(product_id__in=product_ids).order_by("product_id")
    return [(level.on_hand, level.reserved) for level in levels]


def png(size=(40, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 10, 10)).save(buffer, "PNG")
    return SimpleUploadedFile("bukti.png", buffer.getvalue(), content_type="image/png")


# --- Starting ----------------------------------------------------------------------------------


def test_a_va_payment_gets_an_account_number_and_is_started_once(world):
    payment = start(world, "va")
    assert payment.provider == "simulator"
    assert payment.va_number == "8808" + str(payment.checkout_id).zfill(12)
    assert payment.amount == payment.checkout.total == 30_000
    again = payments.payment_start(checkout=payment.checkout, method="qris")
    assert again.pk == payment.pk and again.method == "va"
    assert list(payment.events.values_list("outcome", flat=True)) == ["created"]


def test_a_qris_payment_gets_a_payload(world):
    payment = start(world, "qris")
    assert payment.qris_payload.startswith("000201010212")
    assert "540530000" in payment.qris_payload  # tag 54, length 05, amount 30000


def test_transfer_and_pickup_need_a_single_order(world):
    two = make_checkout(world, sellers=[world.enterprise_a, world.enterprise_b])
    for method in ("transfer", "pickup"):
        with pytest.raises(ValidationError, match="one seller"):
            payments.payment_start(checkout=two, method=method)
    posted = make_checkout(world)
    with pytest.raises(ValidationError, match="pick the order up"):
        payments.payment_start(checkout=posted, method="pickup")
    with pytest.raises(ValidationError):
        payments.payment_start(checkout=posted, method="bitcoin")
    assert not Payment.objects.exists()


# --- Transfer proof and the seller's confirmations ---------------------------------------------


def test_the_buyer_uploads_a_proof_and_the_seller_confirms(world):
    payment = start(world, "transfer")
    with pytest.raises(ValidationError, match="not uploaded a transfer proof"):
        payments.payment_transfer_confirm(actor=world.user("manager_a"), payment=payment)
    payments.payment_proof_upload(actor=world.user("buyer"), payment=payment, upload=png())
    payment.refresh_from_db()
    assert payment.proof.name.endswith(".png")
    payments.payment_transfer_confirm(actor=world.user("manager_a"), payment=payment)
    payment.refresh_from_db()
    assert payment.status == "paid" and payment.paid_at
    assert payment.checkout.orders.get().status == "paid"
    assert stock_of(payment.checkout) == [(8, 0)]
    # A second confirmation changes nothing.
    payments.payment_transfer_confirm(actor=world.user("manager_a"), payment=payment)
    assert PaymentEvent.objects.filter(payment=payment, outcome="paid").count() == 1


@pytest.mark.parametrize("persona", ["manager_b", "buyer", "outsider", "officer"])
def test_only_the_orders_seller_confirms(world, persona):
    payment = start(world, "transfer")
    payments.payment_proof_upload(actor=world.user("buyer"), payment=payment, upload=png())
    with pytest.raises(PermissionDenied):
        payments.payment_transfer_confirm(actor=world.user(persona), payment=payment)
    assert Payment.objects.get(pk=payment.pk).status == "pending"


def test_cash_at_pickup_is_confirmed_by_the_seller(world):
    payment = start(world, "pickup", delivery="pickup")
    with pytest.raises(PermissionDenied):
        payments.payment_pickup_confirm(actor=world.user("manager_b"), payment=payment)
    with pytest.raises(ValidationError):
        payments.payment_transfer_confirm(actor=world.user("manager_a"), payment=payment)
    payments.payment_pickup_confirm(actor=world.user("manager_a"), payment=payment)
    assert Payment.objects.get(pk=payment.pk).status == "paid"


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("a.pdf", b"MZ\x90\x00 not a pdf"), "not a PDF, JPEG or PNG"),
        (SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\nbroken"), "damaged"),
        (SimpleUploadedFile("a.pdf", b""), "empty"),
        (SimpleUploadedFile("a.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024)), "too large"),
        (None, "Choose a file"),
    ],
)
def test_bad_proofs_are_refused(world, upload, message):
    payment = start(world, "transfer")
    with pytest.raises(ValidationError, match=message):
        payments.payment_proof_upload(actor=world.user("buyer"), payment=payment, upload=upload)
    assert not Payment.objects.get(pk=payment.pk).proof


def test_proofs_only_from_the_buyer_and_only_for_transfers(world):
    payment = start(world, "transfer")
    with pytest.raises(PermissionDenied):
        payments.payment_proof_upload(actor=world.user("manager_a"), payment=payment, upload=png())
    va = start(world, "va")
    with pytest.raises(ValidationError, match="does not take a transfer proof"):
        payments.payment_proof_upload(actor=world.user("buyer"), payment=va, upload=png())


# --- The expiry sweep --------------------------------------------------------------------------


def test_the_sweep_expires_overdue_payments_and_releases_their_stock(world):
    overdue = start(world, "va")
    transfer = start(world, "transfer")
    fresh = start(world, "qris")
    later = timezone.now() + dt.timedelta(minutes=61)
    Payment.objects.filter(pk=fresh.pk).update(expires_at=later + dt.timedelta(hours=1))
    assert payments.payments_expire_overdue(now=later) == 2
    for payment in (overdue, transfer):
        payment.refresh_from_db()
        assert payment.status == "expired"
        assert payment.checkout.status == "expired"
        assert payment.checkout.orders.get().status == "cancelled"
        assert stock_of(payment.checkout) == [(10, 0)]
    assert Payment.objects.get(pk=fresh.pk).status == "pending"
    assert stock_of(fresh.checkout) == [(10, 2)]
    assert payments.payments_expire_overdue(now=later) == 0  # idempotent


def test_the_sweep_marks_paid_what_the_provider_says_was_paid(world, monkeypatch):
    payment = start(world, "va")
    # The bank took the money at the last minute, but the notification has not come yet.
    monkeypatch.setattr(payments, "payment_notification_handle", lambda **kw: None)
    simulator_pay(payment)
    later = timezone.now() + dt.timedelta(minutes=61)
    assert payments.payments_expire_overdue(now=later) == 0
    payment.refresh_from_db()
    assert payment.status == "paid"
    assert payment.checkout.status == "paid"


def test_the_celery_task_runs_the_sweep(world):
    payment = start(world, "va", minutes=-5)
    Payment.objects.filter(pk=payment.pk).update(expires_at=timezone.now() - dt.timedelta(1))
    assert payments_expire_task.delay().get() == 1
    assert Payment.objects.get(pk=payment.pk).status == "expired"


def test_the_sweep_and_a_late_callback_do_not_fight(world):
    payment = start(world, "va")
    later = timezone.now() + dt.timedelta(minutes=61)
    with transaction.atomic():
        assert payments.payments_expire_overdue(now=later) == 1
    event = simulator_pay(Payment.objects.get(pk=payment.pk))
    assert event.outcome in {"ignored", "late_paid"}
    assert Checkout.objects.get(pk=payment.checkout_id).status == "expired"
