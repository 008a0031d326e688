"""The payment simulator: a stand-in for Midtrans in development, demos and tests.

It issues virtual account numbers ("8808" + the checkout id) and EMVCo-style QRIS payloads, and
"pays" a payment the way the bank would: it writes the bank's settlement record (a PaymentEvent
with outcome `simulator_settled`), then delivers a Midtrans-format notification signed with
`PAYMENT_SIMULATOR_KEY` to `payment_notification_handle`. Its status call reads that record, so
the notification is re-checked exactly as a real one is. Nothing here is real money.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from opop.mart.gateways.base import (
    JAKARTA,
    Charge,
    midtrans_normalise,
    midtrans_signature,
    midtrans_signature_valid,
)

DEV_KEY = "SIMULATOR-dev-server-key-not-secret"
NAME = "simulator"
SETTLED = "simulator_settled"
STATUS_CODES = {"settlement": "200", "pending": "201", "expire": "407", "cancel": "202"}


def simulator_key() -> str:
    return getattr(settings, "PAYMENT_SIMULATOR_KEY", "") or DEV_KEY


def _tlv(tag: str, value: str) -> str:
    return f"{tag}{len(value):02d}{value}"


def _crc16(text: str) -> str:
    crc = 0xFFFF
    for byte in text.encode():
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return f"{crc:04X}"


def qris_payload(*, reference: str, amount: int) -> str:
    """An EMVCo merchant-presented QR string as QRIS uses (dynamic, IDR, with a CRC)."""
    body = (
        _tlv("00", "01")
        + _tlv("01", "12")
        + _tlv("26", _tlv("00", "ID.OPOP.SIMULATOR") + _tlv("01", "936000000000000000"))
        + _tlv("52", "5499")
        + _tlv("53", "360")
        + _tlv("54", str(int(amount)))
        + _tlv("58", "ID")
        + _tlv("59", "OPOP MART SIMULATOR")
        + _tlv("60", "SURABAYA")
        + _tlv("62", _tlv("01", reference[:25]))
        + "6304"
    )
    return body + _crc16(body)


def _gross(amount: int) -> str:
    return f"{int(amount)}.00"


def _stamp(moment) -> str:
    return timezone.localtime(moment, JAKARTA).strftime("%Y-%m-%d %H:%M:%S")


def _settlement(payment):
    from opop.mart.models import PaymentEvent

    return PaymentEvent.objects.filter(payment=payment, provider=NAME, outcome=SETTLED).first()


class SimulatorGateway:
    name = NAME
    is_simulator = True

    def create_charge(self, payment) -> Charge:
        checkout_id = payment.checkout_id
        return Charge(
            external_id=payment.external_id,
            transaction_id=f"sim-{payment.external_id}",
            va_number=("8808" + str(checkout_id).zfill(12)) if payment.method == "va" else "",
            qris_payload=qris_payload(reference=payment.external_id, amount=payment.amount)
            if payment.method == "qris"
            else "",
            expires_at=payment.expires_at,
            raw={"simulator": True, "order_id": payment.external_id},
        )

    def verify_notification(self, payload: dict) -> bool:
        return midtrans_signature_valid(payload, simulator_key())

    def status(self, external_id: str) -> dict:
        from opop.mart.models import Payment

        payment = Payment.objects.filter(external_id=external_id, provider=NAME).first()
        if payment is None:
            return {
                "status": "unknown",
                "amount": None,
                "paid_at": None,
                "raw_status": "404",
                "raw": {},
            }
        settled = _settlement(payment)
        if settled is not None:
            return midtrans_normalise(settled.payload)
        word = "expire" if payment.expires_at <= timezone.now() else "pending"
        if payment.status == Payment.Status.FAILED:
            word = "cancel"
        return midtrans_normalise(notification(payment, word))


def notification(payment, transaction_status: str = "settlement", *, at=None) -> dict:
    """The Midtrans-format notification the simulator sends, correctly signed."""
    at = at or timezone.now()
    payload = {
        "transaction_time": _stamp(payment.created_at or at),
        "transaction_status": transaction_status,
        "transaction_id": f"sim-{payment.external_id}",
        "status_message": "midtrans payment notification (SIMULATOR)",
        "status_code": STATUS_CODES.get(transaction_status, "201"),
        "payment_type": "bank_transfer" if payment.method == "va" else "qris",
        "order_id": payment.external_id,
        "merchant_id": "SIMULATOR",
        "gross_amount": _gross(payment.amount),
        "fraud_status": "accept",
        "currency": "IDR",
    }
    if transaction_status == "settlement":
        payload["settlement_time"] = _stamp(at)
    if payment.va_number:
        payload["va_numbers"] = [{"bank": "simulator", "va_number": payment.va_number}]
    payload["signature_key"] = midtrans_signature(payload, simulator_key())
    return payload


def simulator_pay(payment):
    """Pay `payment` as the bank would, then deliver the signed notification. Returns the
    PaymentEvent of the handled notification."""
    from opop.mart.models import PaymentEvent
    from opop.mart.services.payments import payment_notification_handle

    if payment.provider != NAME:
        raise ValueError("Only simulator payments can be paid by the simulator.")
    if _settlement(payment) is None and payment.status == payment.Status.PENDING:
        payload = notification(payment, "settlement")
        PaymentEvent.objects.get_or_create(
            dedupe_key=f"{NAME}:bank:{payment.external_id}",
            defaults={
                "payment": payment,
                "provider": NAME,
                "signature_valid": True,
                "payload": payload,
                "outcome": SETTLED,
            },
        )
    settled = _settlement(payment)
    payload = settled.payload if settled else notification(payment, "settlement")
    return payment_notification_handle(provider=NAME, payload=payload)
