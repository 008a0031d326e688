"""The Midtrans Core API adapter: virtual accounts and QRIS, signed notifications, status calls.

Requests use HTTP basic auth with the server key as the user name and an empty password
(`POST /v2/charge`, `GET /v2/<order_id>/status`). Only the standard library is used; tests
replace `_urlopen` with a fake, since the internet is not reachable from CI.
"""

from __future__ import annotations

import base64
import json
import math
import urllib.error
import urllib.parse
import urllib.request

from django.utils import timezone

from opop.mart.gateways.base import (
    Charge,
    GatewayError,
    midtrans_normalise,
    midtrans_signature_valid,
    midtrans_time,
)

TIMEOUT_SECONDS = 15
_urlopen = urllib.request.urlopen  # replaced in tests


class MidtransGateway:
    name = "midtrans"
    is_simulator = False

    def __init__(self, *, server_key: str, base_url: str, va_bank: str = "permata"):
        self.server_key = server_key
        if not base_url.startswith(("https://", "http://")):
            raise GatewayError("MIDTRANS_BASE_URL must be an http(s) address")
        self.base_url = base_url.rstrip("/")
        self.va_bank = va_bank

    # --- HTTP ----------------------------------------------------------------------------------

    def _headers(self) -> dict:
        token = base64.b64encode(f"{self.server_key}:".encode()).decode()
        return {
            "Accept": "application/json",
            "Content-Type": "application/json",
            "Authorization": f"Basic {token}",
        }

    def _call(self, method: str, path: str, body: dict | None = None) -> dict:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked in __init__
            self.base_url + path, data=data, method=method, headers=self._headers()
        )
        try:
            with _urlopen(request, timeout=TIMEOUT_SECONDS) as response:
                raw = response.read()
        except urllib.error.HTTPError as error:
            raw = error.read() or b"{}"
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise GatewayError(f"Midtrans unreachable: {error}") from error
        try:
            answer = json.loads(raw)
        except ValueError as error:
            raise GatewayError("Midtrans answered with something that is not JSON") from error
        if not isinstance(answer, dict):
            raise GatewayError("Midtrans answered with something that is not an object")
        return answer

    # --- The interface -------------------------------------------------------------------------

    def charge_request(self, payment) -> dict:
        """The body of `POST /v2/charge` for this payment (VA or QRIS)."""
        minutes = max(1, math.ceil((payment.expires_at - timezone.now()).total_seconds() / 60))
        body = {
            "transaction_details": {
                "order_id": payment.external_id,
                "gross_amount": int(payment.amount),
            },
            "custom_expiry": {"expiry_duration": minutes, "unit": "minute"},
        }
        if payment.method == "va":
            body["payment_type"] = "bank_transfer"
            body["bank_transfer"] = {"bank": self.va_bank}
        elif payment.method == "qris":
            body["payment_type"] = "qris"
            body["qris"] = {"acquirer": "gopay"}
        else:
            raise GatewayError(f"Midtrans does not handle the method {payment.method!r}")
        return body

    def create_charge(self, payment) -> Charge:
        answer = self._call("POST", "/v2/charge", self.charge_request(payment))
        if str(answer.get("status_code")) not in {"200", "201"}:
            raise GatewayError(
                f"Midtrans refused the charge: {answer.get('status_code')} "
                f"{answer.get('status_message', '')}"
            )
        va_number = answer.get("permata_va_number", "")
        for account in answer.get("va_numbers") or []:
            va_number = account.get("va_number", va_number)
        expires_at = midtrans_time(answer.get("expiry_time")) or payment.expires_at
        return Charge(
            external_id=str(answer.get("order_id") or payment.external_id),
            transaction_id=str(answer.get("transaction_id", "")),
            va_number=str(va_number or ""),
            qris_payload=str(answer.get("qr_string", "")),
            expires_at=min(expires_at, payment.expires_at),
            raw=answer,
        )

    def verify_notification(self, payload: dict) -> bool:
        return midtrans_signature_valid(payload, self.server_key)

    def status(self, external_id: str) -> dict:
        path = f"/v2/{urllib.parse.quote(external_id, safe='')}/status"
        answer = self._call("GET", path)
        if str(answer.get("status_code")) == "404":
            return {
                "status": "unknown",
                "amount": None,
                "paid_at": None,
                "raw_status": "404",
                "raw": answer,
            }
        if "transaction_status" not in answer:
            raise GatewayError(f"Midtrans status without a transaction status: {answer}")
        return midtrans_normalise(answer)
