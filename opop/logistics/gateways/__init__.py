"""Adapters to the post's systems, chosen by `settings.POST_GATEWAY` ("simulator" by default)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

GATEWAYS = {
    "simulator": "opop.logistics.gateways.simulator.SimulatorPostGateway",
}


def get_gateway(name: str | None = None):
    name = name or getattr(settings, "POST_GATEWAY", "simulator") or "simulator"
    try:
        path = GATEWAYS[name]
    except KeyError:
        raise ImproperlyConfigured(
            f"POST_GATEWAY={name!r} is unknown; choose one of {', '.join(GATEWAYS)}"
        ) from None
    return import_string(path)()
