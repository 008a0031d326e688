"""Provider notifications: only genuine, new, confirmed ones change anything; the pages that
show and act on payments refuse everyone but the buyer (and the seller for confirmations)."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opop.mart.gateways import simulator
from opop.mart.gateways.base import midtrans_signature
from opop.mart.models import Checkout, Payment, PaymentEvent
from opop.mart.services import payments
from opop.mart.services.payments import payment_notification_handle
from opop.mart.tests.test_payments import make_checkout, png, start, stock_of

pytestmark = pytest.mark.django_db
CALLBACK = "/mart/pay/callback/midtrans/"


def _state(payment):
    payment.refresh_from_db()
    checkout = Checkout.objects.get(pk=payment.checkout_id)
    orders = list(checkout.orders.values_list("status", flat=True))
    return payment.status, checkout.status, orders, stock_of(checkout)


def _signed(payload, key=None):
    payload = {k: v for k, v in payload.items() if k != "signature_key"}
    payload["signature_key"] = midtrans_signature(payload, key or simulator.simulator_key())
    return payload


def test_the_simulator_pays_through_a_signed_notification(world):
    payment = start(world, "va", sellers=[world.enterprise_a, world.enterprise_b])
    event = simulator.simulator_pay(payment)
    assert event.outcome == "paid" and event.signature_valid
    assert _state(payment) == ("paid", "paid", ["paid", "paid"], [(8, 0), (8, 0)])


def test_a_forged_notification_changes_nothing(world):
    payment = start(world, "va")
    before = _state(payment)
    forged = simulator.notification(payment, "settlement")
    forged["signature_key"] = midtrans_signature(forged, "guessed-key")
    event = payment_notification_handle(provider="simulator", payload=forged)
    assert (event.signature_valid, event.outcome, event.payment) == (
        False,
        "rejected_signature",
        None,
    )
    unsigned = {k: v for k, v in forged.items() if k != "signature_key"}
    assert payment_notification_handle(provider="simulator", payload=unsigned).outcome == (
        "rejected_signature"
    )
    assert _state(payment) == before


def test_a_notification_for_a_gateway_that_is_not_active_is_rejected(world, settings):
    payment = start(world, "va")
    settings.PAYMENT_GATEWAY = "midtrans"
    settings.MIDTRANS_SERVER_KEY = "SB-Mid-server-test"
    event = payment_notification_handle(
        provider="simulator", payload=simulator.notification(payment, "settlement")
    )
    assert event.outcome == "rejected_signature"
    assert _state(payment)[0] == "pending"


def test_a_replayed_notification_changes_nothing(world, monkeypatch):
    payment = start(world, "qris")
    paid = []
    real = payments._mark_paid
    monkeypatch.setattr(payments, "_mark_paid", lambda **kw: paid.append(kw) or real(**kw))
    first = simulator.simulator_pay(payment)
    after = _state(payment)
    for _ in range(3):
        again = payment_notification_handle(provider="simulator", payload=first.payload)
        assert again.pk == first.pk
    assert simulator.simulator_pay(Payment.objects.get(pk=payment.pk)).pk == first.pk
    assert len(paid) == 1
    assert _state(payment) == after
    assert PaymentEvent.objects.filter(payment=payment).count() == 3  # created, bank, paid


def test_an_amount_that_is_not_the_payments_is_rejected(world, monkeypatch):
    payment = start(world, "va")
    # The bank received 1,000 (its record, which the status call reads), not 30,000.
    Payment.objects.filter(pk=payment.pk).update(amount=1_000)
    monkeypatch.setattr(payments, "payment_notification_handle", lambda **kw: None)
    simulator.simulator_pay(Payment.objects.get(pk=payment.pk))
    monkeypatch.undo()
    Payment.objects.filter(pk=payment.pk).update(amount=30_000)
    payment.refresh_from_db()
    low = _signed({**simulator.notification(payment), "gross_amount": "1000.00"})
    assert payment_notification_handle(provider="simulator", payload=low).outcome == (
        "rejected_amount"
    )
    # The notification claims the right amount, but the status call says otherwise.
    claimed = simulator.notification(payment)
    assert payment_notification_handle(provider="simulator", payload=claimed).outcome == (
        "rejected_amount"
    )
    assert _state(payment)[:2] == ("pending", "awaiting")


def test_the_status_call_wins_over_a_notification_that_claims_payment(world):
    payment = start(world, "va")
    # Signed correctly, but the bank never received the money: the status call says pending.
    event = payment_notification_handle(
        provider="simulator", payload=simulator.notification(payment, "settlement")
    )
    assert event.outcome == "pending"
    assert _state(payment)[:2] == ("pending", "awaiting")


def test_the_status_call_wins_over_a_notification_that_says_pending(world, monkeypatch):
    payment = start(world, "va")
    monkeypatch.setattr(payments, "payment_notification_handle", lambda **kw: None)
    simulator.simulator_pay(payment)  # the money is in; its notification was lost
    monkeypatch.undo()
    event = payment_notification_handle(
        provider="simulator", payload=simulator.notification(payment, "pending")
    )
    assert event.outcome == "paid"
    assert _state(payment)[:2] == ("paid", "paid")


def test_an_expiry_notification_releases_the_stock(world, monkeypatch):
    payment = start(world, "va")
    monkeypatch.setattr(
        simulator.SimulatorGateway,
        "status",
        lambda self, external_id: {
            "status": "expired",
            "amount": 30_000,
            "paid_at": None,
            "raw_status": "expire",
            "raw": {},
        },
    )
    event = payment_notification_handle(
        provider="simulator", payload=simulator.notification(payment, "expire")
    )
    assert event.outcome == "expired"
    assert _state(payment) == ("expired", "expired", ["cancelled"], [(10, 0)])


def test_an_unknown_order_is_recorded_and_ignored(world):
    payload = _signed(
        {
            "order_id": "OPM-NOPE",
            "status_code": "200",
            "gross_amount": "10.00",
            "transaction_status": "settlement",
            "transaction_id": "x",
        }
    )
    assert payment_notification_handle(provider="simulator", payload=payload).outcome == (
        "unknown_payment"
    )


# --- The callback endpoint ---------------------------------------------------------------------


def test_the_callback_answers_200_and_records_even_forged_ones(world, client):
    payment = start(world, "va")
    forged = {**simulator.notification(payment), "signature_key": "0" * 128}
    response = client.post(CALLBACK, json.dumps(forged), content_type="application/json")
    assert response.status_code == 200 and response.json()["outcome"] == "rejected_signature"
    assert _state(payment)[0] == "pending"
    assert client.post(CALLBACK, "not json", content_type="application/json").status_code == 400
    assert client.get(CALLBACK).status_code == 405


def test_an_address_sending_forged_notifications_is_refused_then(world, client, settings):
    from django.core.cache import cache

    cache.clear()
    settings.PAYMENT_CALLBACK_REJECTS_PER_IP = 3
    payment = start(world, "va")
    for n in range(3):
        forged = {**simulator.notification(payment), "signature_key": f"{n}" * 128}
        assert client.post(CALLBACK, json.dumps(forged), content_type="application/json").json()
    recorded = PaymentEvent.objects.filter(outcome="rejected_signature").count()
    assert recorded == 3
    forged = {**simulator.notification(payment), "signature_key": "9" * 128}
    response = client.post(CALLBACK, json.dumps(forged), content_type="application/json")
    assert response.status_code == 429
    assert PaymentEvent.objects.filter(outcome="rejected_signature").count() == recorded
    # Another address (the provider's) is still heard.
    body = json.dumps(simulator.notification(payment, "settlement"))
    answer = client.post(CALLBACK, body, content_type="application/json", REMOTE_ADDR="10.9.9.9")
    assert answer.status_code == 200 and answer.json()["outcome"] != "rejected_signature"
    cache.clear()


def test_the_callback_applies_a_genuine_notification(world, client, monkeypatch):
    payment = start(world, "va")
    monkeypatch.setattr(payments, "payment_notification_handle", lambda **kw: None)
    simulator.simulator_pay(payment)
    monkeypatch.undo()
    body = json.dumps(simulator.notification(payment, "settlement"))
    response = client.post(CALLBACK, body, content_type="application/json")
    assert response.json()["outcome"] == "paid"
    assert client.post(CALLBACK, body, content_type="application/json").json()["outcome"] == "paid"
    assert PaymentEvent.objects.filter(payment=payment, outcome="paid").count() == 1


# --- The payment page and its buttons ----------------------------------------------------------


def test_the_buyer_sees_the_payment_page_with_the_simulator(world):
    payment = start(world, "va")
    client = world.client("buyer")
    page = client.get(reverse("mart:payment", args=[payment.checkout.reference]))
    assert page.status_code == 200
    text = page.content.decode()
    assert payment.va_number in text and "SIMULATOR" in text and "Pay now (simulator)" in text
    qris = start(world, "qris")
    assert (
        "<svg"
        in client.get(reverse("mart:payment", args=[qris.checkout.reference])).content.decode()
    )
    response = client.post(reverse("mart:payment_simulate", args=[payment.checkout.reference]))
    assert response.status_code == 302
    assert _state(payment)[0] == "paid"


@pytest.mark.parametrize("persona", ["manager_a", "admin", "outsider", "participant"])
def test_others_get_404_on_the_payment_pages(world, persona):
    payment = start(world, "transfer")
    client = world.client(persona)
    ref = payment.checkout.reference
    assert client.get(reverse("mart:payment", args=[ref])).status_code == 404
    assert client.post(reverse("mart:payment_simulate", args=[ref])).status_code == 404
    upload = client.post(reverse("mart:payment_proof_upload", args=[ref]), {"file": png()})
    assert upload.status_code == 404
    assert _state(payment)[0] == "pending"


def test_another_buyer_gets_404_and_anonymous_visitors_log_in(world, client):
    other = make_checkout(world, buyer=world.user("outsider"))
    payment = payments.payment_start(checkout=other, method="va")
    ref = payment.checkout.reference
    assert world.client("buyer").get(reverse("mart:payment", args=[ref])).status_code == 404
    assert client.get(reverse("mart:payment", args=[ref])).status_code == 302
    assert client.post(reverse("mart:payment_simulate", args=[ref])).status_code == 302
    assert _state(payment)[0] == "pending"


def test_the_simulator_button_is_gone_when_midtrans_runs(world, settings):
    payment = start(world, "va")
    settings.PAYMENT_GATEWAY = "midtrans"
    settings.MIDTRANS_SERVER_KEY = "SB-Mid-server-test"
    client = world.client("buyer")
    ref = payment.checkout.reference
    assert (
        "Pay now (simulator)"
        not in client.get(reverse("mart:payment", args=[ref])).content.decode()
    )
    assert client.post(reverse("mart:payment_simulate", args=[ref])).status_code == 404
    assert _state(payment)[0] == "pending"


def test_proof_upload_and_seller_confirmation_pages(world):
    payment = start(world, "transfer")
    ref = payment.checkout.reference
    buyer = world.client("buyer")
    not_a_pdf = SimpleUploadedFile("x.pdf", b"hello")
    bad = buyer.post(reverse("mart:payment_proof_upload", args=[ref]), {"file": not_a_pdf})
    assert bad.status_code == 400 and "not a PDF, JPEG or PNG" in bad.content.decode()
    assert (
        buyer.post(reverse("mart:payment_proof_upload", args=[ref]), {"file": png()}).status_code
        == 302
    )
    assert buyer.get(reverse("mart:payment_proof", args=[ref])).status_code == 200
    confirm = reverse("mart:payment_transfer_confirm", args=[ref])
    proof = reverse("mart:payment_proof", args=[ref])
    for persona in ("manager_b", "buyer", "outsider"):
        assert world.client(persona).post(confirm).status_code == 404
        if persona != "buyer":
            assert world.client(persona).get(proof).status_code == 404
    assert (
        world.client("manager_a").get(reverse("mart:payment_proof", args=[ref])).status_code == 200
    )
    assert world.client("manager_a").get(confirm).status_code == 405
    assert _state(payment)[0] == "pending"
    assert world.client("manager_a").post(confirm).status_code == 302
    assert _state(payment)[0] == "paid"
    pickup = reverse("mart:payment_pickup_confirm", args=[ref])
    assert world.client("manager_a").post(pickup).status_code == 404  # not a pickup payment
