"""Personal data helpers (UU PDP 27/2022): NIK at rest, masking for display.

A NIK is stored twice, never in clear: an HMAC for uniqueness checks (equal NIKs give equal
hashes without the value being readable) and an AES-GCM ciphertext for the few roles allowed to
see it, each such view being audited by the caller.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

MASK = "•"


@lru_cache(maxsize=1)
def _aead() -> AESGCM:
    key = base64.b64decode(settings.FIELD_ENCRYPTION_KEY)
    if len(key) != 32:
        raise ValueError("FIELD_ENCRYPTION_KEY must be 32 bytes, base64-encoded.")
    return AESGCM(key)


@lru_cache(maxsize=1)
def _hash_key() -> bytes:
    return settings.NIK_HASH_KEY.encode()


def nik_hash(nik: str) -> str:
    return hmac.new(_hash_key(), nik.encode(), hashlib.sha256).hexdigest()


def encrypt(value: str) -> str:
    nonce = os.urandom(12)
    return base64.b64encode(nonce + _aead().encrypt(nonce, value.encode(), None)).decode()


def encrypt_many(values: list[str]) -> list[str]:
    """`encrypt` for many values, their nonces drawn in one `os.urandom` call.

    Each `os.urandom` call releases and retakes the GIL; in the import's writer threads, with
    the validating thread busy, one call a row cost about 40 µs of waiting (a third of a writer's
    time), against well under 1 µs for the bytes themselves.
    """
    nonces = os.urandom(12 * len(values))
    aead = _aead()
    out = []
    for i, value in enumerate(values):
        nonce = nonces[12 * i : 12 * i + 12]
        out.append(base64.b64encode(nonce + aead.encrypt(nonce, value.encode(), None)).decode())
    return out


def decrypt(token: str) -> str:
    raw = base64.b64decode(token)
    return _aead().decrypt(raw[:12], raw[12:], None).decode()


def mask_nik(nik: str) -> str:
    """`3578014508950001` -> `3578••••••••0001`: enough to recognise, not to reuse."""
    if len(nik) != 16:
        return MASK * 16
    return nik[:4] + MASK * 8 + nik[-4:]


def mask_phone(phone: str) -> str:
    """`+6281234567890` -> `+62812••••7890`."""
    if not phone:
        return ""
    if len(phone) <= 8:
        return MASK * len(phone)
    return phone[:6] + MASK * (len(phone) - 10 if len(phone) > 10 else 2) + phone[-4:]


def mask_text(value: str) -> str:
    return "" if not value else value[:1] + MASK * 6


def mask_email(email: str) -> str:
    if not email or "@" not in email:
        return mask_text(email)
    local, domain = email.split("@", 1)
    return f"{local[:1]}{MASK * 3}@{domain}"
