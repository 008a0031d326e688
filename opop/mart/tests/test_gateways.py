"""The Midtrans adapter (with a fake HTTP layer: no internet in CI) and the simulator."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import urllib.error

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils import timezone

from opop.mart.gateways import midtrans, simulator
from opop.mart.gateways.base import JAKARTA, GatewayError, get_gateway, midtrans_signature_valid
from opop.mart.models import Payment
from opop.mart.services import payments
from opop.mart.tests.test_payments import make_checkout

KEY = "SB-Mid-server-TEST"


class FakeHttp:
    """Stands in for urllib.request.urlopen: records requests, answers from a list."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.requests = []

    def __call__(self, request, timeout=None):
        self.requests.append(request)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return io.BytesIO(json.dumps(answer).encode())


@pytest.fixture
def use_midtrans(settings):
    settings.PAYMENT_GATEWAY = "midtrans"
    settings.MIDTRANS_SERVER_KEY = KEY
    settings.MIDTRANS_BASE_URL = "https://api.sandbox.midtrans.com"
    settings.MIDTRANS_VA_BANK = "bni"


def _fake(monkeypatch, *answers) -> FakeHttp:
    fake = FakeHttp(*answers)
    monkeypatch.setattr(midtrans, "_urlopen", fake)
    return fake


def test_the_signature_is_sha512_of_order_status_amount_and_key():
    payload = {"order_id": "OPM-1", "status_code": "200", "gross_amount": "30000.00"}
    expected = hashlib.sha512(b"OPM-1" + b"200" + b"30000.00" + KEY.encode()).hexdigest()
    assert midtrans_signature_valid({**payload, "signature_key": expected}, KEY)
    assert midtrans_signature_valid({**payload, "signature_key": expected.upper()}, KEY)
    assert not midtrans_signature_valid({**payload, "signature_key": expected}, "other-key")
    assert not midtrans_signature_valid(
        {**payload, "gross_amount": "1.00", "signature_key": expected}, KEY
    )
    assert not midtrans_signature_valid(payload, KEY)
    assert not midtrans_signature_valid({**payload, "signature_key": expected}, "")
    assert not midtrans_signature_valid({**payload, "signature_key": 5}, KEY)


@pytest.mark.django_db
def test_a_va_charge_is_requested_with_basic_auth_and_read_back(world, use_midtrans, monkeypatch):
    checkout = make_checkout(world)
    expiry = timezone.localtime(
        checkout.expires_at - dt.timedelta(minutes=5),
        JAKARTA,
    )
    fake = _fake(
        monkeypatch,
        {
            "status_code": "201",
            "order_id": checkout.reference,
            "transaction_id": "abc-123",
            "va_numbers": [{"bank": "bni", "va_number": "9881234567890"}],
            "expiry_time": expiry.strftime("%Y-%m-%d %H:%M:%S"),
            "transaction_status": "pending",
        },
    )
    payment = payments.payment_start(checkout=checkout, method="va")
    request = fake.requests[0]
    assert request.full_url == "https://api.sandbox.midtrans.com/v2/charge"
    assert request.get_method() == "POST"
    assert (
        request.get_header("Authorization")
        == "Basic " + base64.b64encode(f"{KEY}:".encode()).decode()
    )
    body = json.loads(request.data)
    assert body["payment_type"] == "bank_transfer"
    assert body["bank_transfer"] == {"bank": "bni"}
    assert body["transaction_details"] == {"order_id": checkout.reference, "gross_amount": 30000}
    assert body["custom_expiry"]["unit"] == "minute"
    assert payment.provider == "midtrans" and payment.va_number == "9881234567890"
    assert abs((payment.expires_at - expiry).total_seconds()) < 1


@pytest.mark.django_db
def test_a_qris_charge_keeps_the_qr_string(world, use_midtrans, monkeypatch):
    checkout = make_checkout(world)
    fake = _fake(
        monkeypatch,
        {
            "status_code": "201",
            "order_id": checkout.reference,
            "qr_string": "00020101021226...6304ABCD",
        },
    )
    payment = payments.payment_start(checkout=checkout, method="qris")
    assert json.loads(fake.requests[0].data)["payment_type"] == "qris"
    assert payment.qris_payload == "00020101021226...6304ABCD"


@pytest.mark.django_db
def test_a_refused_or_unreachable_charge_starts_no_payment(world, use_midtrans, monkeypatch):
    checkout = make_checkout(world)
    _fake(
        monkeypatch,
        {"status_code": "400", "status_message": "bad"},
        urllib.error.URLError("no route"),
    )
    for _ in range(2):
        with pytest.raises(ValidationError, match="cannot be reached"):
            payments.payment_start(checkout=checkout, method="va")
    assert not Payment.objects.exists()


def test_the_status_call_is_a_get_and_is_normalised(use_midtrans, monkeypatch):
    fake = _fake(
        monkeypatch,
        {
            "status_code": "200",
            "transaction_status": "settlement",
            "gross_amount": "30000.00",
            "settlement_time": "2025-03-01 10:00:00",
            "order_id": "OPM/1",
        },
        {
            "status_code": "201",
            "transaction_status": "capture",
            "fraud_status": "challenge",
            "gross_amount": "30000.00",
        },
        {"status_code": "404", "status_message": "Transaction doesn't exist."},
        {"status_code": "407", "transaction_status": "expire", "gross_amount": "30000.00"},
        urllib.error.URLError("timeout"),
    )
    gateway = get_gateway()
    paid = gateway.status("OPM/1")
    assert fake.requests[0].full_url == "https://api.sandbox.midtrans.com/v2/OPM%2F1/status"
    assert fake.requests[0].get_method() == "GET"
    assert (paid["status"], paid["amount"]) == ("paid", 30000)
    assert paid["paid_at"] == dt.datetime(2025, 3, 1, 3, 0, tzinfo=dt.UTC)
    assert gateway.status("x")["status"] == "pending"
    assert gateway.status("x")["status"] == "unknown"
    assert gateway.status("x")["status"] == "expired"
    with pytest.raises(GatewayError):
        gateway.status("x")


def test_an_http_error_body_is_read(use_midtrans, monkeypatch):
    error = urllib.error.HTTPError(
        "u", 401, "Unauthorized", {}, io.BytesIO(b'{"status_code": "401"}')
    )
    _fake(monkeypatch, error)
    with pytest.raises(GatewayError, match="without a transaction status"):
        get_gateway().status("x")


def test_choosing_the_gateway(settings):
    assert get_gateway().name == "simulator"
    settings.PAYMENT_GATEWAY = "midtrans"
    settings.MIDTRANS_SERVER_KEY = ""
    with pytest.raises(ImproperlyConfigured):
        get_gateway()
    settings.PAYMENT_GATEWAY = "paypal"
    with pytest.raises(ImproperlyConfigured):
        get_gateway()


def test_the_simulators_qris_payload_has_a_valid_crc():
    payload = simulator.qris_payload(reference="OPM-2025-000001", amount=45000)
    body, crc = payload[:-4], payload[-4:]
    assert body.endswith("6304") and simulator._crc16(body) == crc
    assert "540545000" in payload and "5802ID" in payload and "5303360" in payload
    assert simulator._crc16("123456789") == "29B1"  # CRC-16/CCITT-FALSE check value
