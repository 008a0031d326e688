"""Login throttling: counts failures per (IP, e-mail) and per IP in the cache.

A shared cache (Redis) makes the limit hold across gunicorn workers; the local-memory cache of a
single dev process is enough for `make run`.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def _keys(ip: str, email: str) -> tuple[str, str]:
    who = hashlib.sha256(f"{ip}|{email.strip().lower()}".encode()).hexdigest()[:32]
    return f"login-fail:{who}", f"login-fail-ip:{ip}"


def login_blocked(ip: str, email: str) -> bool:
    pair_key, ip_key = _keys(ip, email)
    return (cache.get(pair_key, 0) >= settings.LOGIN_RATE_LIMIT) or (
        cache.get(ip_key, 0) >= settings.LOGIN_RATE_LIMIT_PER_IP
    )


def login_failed(ip: str, email: str) -> None:
    for key in _keys(ip, email):
        cache.add(key, 0, timeout=settings.LOGIN_RATE_WINDOW)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=settings.LOGIN_RATE_WINDOW)


def login_succeeded(ip: str, email: str) -> None:
    cache.delete(_keys(ip, email)[0])


def client_ip(request) -> str:
    # Behind nginx, which overwrites X-Forwarded-For with the peer address (docs/deploy.md), the
    # header holds the client; elsewhere it is the client's own claim and is ignored.
    forwarded = ""
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR") or "-"
