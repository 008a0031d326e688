"""The payment provider interface, and which provider is active.

`PAYMENT_GATEWAY` chooses it: "simulator" (the default, for development, demos and tests) or
"midtrans" (production, with `MIDTRANS_SERVER_KEY`). Both speak Midtrans' notification format,
so the callback view and `payment_notification_handle` do not care which one is running.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Protocol
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

JAKARTA = ZoneInfo("Asia/Jakarta")

# Normalised statuses returned by `PaymentGateway.status()`.
PENDING, PAID, EXPIRED, FAILED, REFUNDED, UNKNOWN = (
    "pending",
    "paid",
    "expired",
    "failed",
    "refunded",
    "unknown",
)


class GatewayError(Exception):
    """The provider could not be reached or answered something unusable."""


@dataclass(frozen=True)
class Charge:
    """What the provider issued for a payment."""

    external_id: str
    transaction_id: str = ""
    va_number: str = ""
    qris_payload: str = ""
    expires_at: dt.datetime | None = None
    raw: dict = field(default_factory=dict)


class PaymentGateway(Protocol):
    name: str
    is_simulator: bool

    def create_charge(self, payment) -> Charge: ...

    def verify_notification(self, payload: dict) -> bool: ...

    def status(self, external_id: str) -> dict:
        """{"status": one of the normalised statuses, "amount": int | None,
        "paid_at": datetime | None, "raw_status": the provider's word, "raw": its answer}."""
        ...


# --- Midtrans' notification format, shared by the adapter and the simulator -------------------


def midtrans_signature(payload: dict, server_key: str) -> str:
    """SHA-512 of order_id + status_code + gross_amount + server key, as Midtrans signs."""
    text = "".join(str(payload.get(k, "")) for k in ("order_id", "status_code", "gross_amount"))
    return hashlib.sha512((text + server_key).encode()).hexdigest()


def midtrans_signature_valid(payload: dict, server_key: str) -> bool:
    given = payload.get("signature_key")
    if not server_key or not isinstance(given, str) or not given:
        return False
    return hmac.compare_digest(
        given.lower().encode(), midtrans_signature(payload, server_key).encode()
    )


def midtrans_amount(value) -> int | None:
    """Midtrans writes amounts as "150000.00"; whole Rupiah only, else None."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    if not amount.is_finite() or amount != amount.to_integral_value():
        return None
    return int(amount)


def midtrans_time(value) -> dt.datetime | None:
    """Midtrans times are "YYYY-MM-DD HH:MM:SS" in Jakarta time."""
    try:
        return dt.datetime.strptime(str(value), "%Y-%m-%d %H:%M:%S").replace(tzinfo=JAKARTA)
    except (TypeError, ValueError):
        return None


def midtrans_normalise(answer: dict) -> dict:
    """Map a Midtrans transaction (notification or status answer) to our normalised status."""
    word = str(answer.get("transaction_status", ""))
    fraud = str(answer.get("fraud_status", "accept") or "accept")
    if word == "settlement" or (word == "capture" and fraud == "accept"):
        status = PAID
    elif word in {"pending", "authorize"} or (word == "capture" and fraud == "challenge"):
        status = PENDING
    elif word == "expire":
        status = EXPIRED
    elif word in {"cancel", "deny", "failure"} or (word == "capture" and fraud == "deny"):
        status = FAILED
    elif word in {"refund", "partial_refund", "chargeback", "partial_chargeback"}:
        status = REFUNDED
    else:
        status = UNKNOWN
    return {
        "status": status,
        "amount": midtrans_amount(answer.get("gross_amount")),
        "paid_at": midtrans_time(answer.get("settlement_time") or answer.get("transaction_time"))
        if status == PAID
        else None,
        "raw_status": word,
        "raw": answer,
    }


def midtrans_dedupe_key(provider: str, payload: dict) -> str:
    """One notification = one transaction in one status at one time; a replay has the same key."""
    parts = [
        provider,
        str(payload.get("transaction_id") or payload.get("order_id", "")),
        str(payload.get("transaction_status", "")),
        str(payload.get("settlement_time") or payload.get("transaction_time", "")),
    ]
    return ":".join(parts)[:200]


# --- Choosing the gateway ----------------------------------------------------------------------


def active_gateway_name() -> str:
    return getattr(settings, "PAYMENT_GATEWAY", "simulator") or "simulator"


def get_gateway(name: str | None = None) -> PaymentGateway:
    name = name or active_gateway_name()
    if name == "simulator":
        from opop.mart.gateways.simulator import SimulatorGateway

        return SimulatorGateway()
    if name == "midtrans":
        from opop.mart.gateways.midtrans import MidtransGateway

        server_key = getattr(settings, "MIDTRANS_SERVER_KEY", "")
        if not server_key:
            raise ImproperlyConfigured("PAYMENT_GATEWAY=midtrans needs MIDTRANS_SERVER_KEY.")
        return MidtransGateway(
            server_key=server_key,
            base_url=getattr(settings, "MIDTRANS_BASE_URL", "https://api.sandbox.midtrans.com"),
            va_bank=getattr(settings, "MIDTRANS_VA_BANK", "permata"),
        )
    raise ImproperlyConfigured(f"Unknown PAYMENT_GATEWAY {name!r}.")


def simulator_active() -> bool:
    return active_gateway_name() == "simulator"
