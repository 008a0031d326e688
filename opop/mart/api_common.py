"""Shared pieces of the OPOP Mart API: rate limits, inline enums, error answers.

Rate limits: every Mart view names a `throttle_scope` (and may name a `write_throttle_scope`
for POST/PATCH/DELETE). The rate is read from `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]` at
request time (DRF's own throttles copy the rates onto the class at import, so a changed setting
would never be seen); a scope missing there falls back to `DEFAULT_RATES` below.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import SAFE_METHODS
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle

from opop.common.api import ApiErrorSerializer

CATALOGUE, BUYER, WRITE, CHECKOUT = "mart_catalogue", "mart_buyer", "mart_write", "mart_checkout"
DEFAULT_RATES = {
    CATALOGUE: "120/min",  # anonymous catalogue reads, per address
    BUYER: "300/min",  # a logged-in buyer's or seller's reads, per user
    WRITE: "60/min",  # cart, address and "received" changes, per user
    CHECKOUT: "10/min",  # checkouts placed, per user
}


class MartRateThrottle(ScopedRateThrottle):
    """`ScopedRateThrottle` that reads the scope's rate when the request comes in."""

    def get_rate(self):
        rates = {**DEFAULT_RATES, **(api_settings.DEFAULT_THROTTLE_RATES or {})}
        return rates.get(self.scope)

    def allow_request(self, request, view):
        scope = getattr(view, "throttle_scope", None)
        if request.method not in SAFE_METHODS:
            scope = getattr(view, "write_throttle_scope", None) or scope
        if not scope:
            return True
        self.scope = scope
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return SimpleRateThrottle.allow_request(self, request, view)


THROTTLES = [MartRateThrottle]


def order_status_field(**kwargs):
    """An order's status: a plain string in the schema, its values in the description.

    Order statuses appear in several components; as an enum drf-spectacular could not name it
    without an `ENUM_NAME_OVERRIDES` entry (a warning, which fails the schema check)."""
    from opop.mart.models import Order

    values = ", ".join(f"`{value}`" for value in Order.Status.values)
    kwargs.setdefault("help_text", f"Order status: {values}.")
    if kwargs.pop("choice", False):
        return serializers.ChoiceField(choices=Order.Status.choices, **kwargs)
    return serializers.CharField(**kwargs)


def enum_field(choices, base=serializers.CharField, **kwargs):
    """A field with the string enum of `choices` in the schema (output or, with
    `base=serializers.ChoiceField`, input)."""
    values = [str(v) for v in choices.values]
    field_class = extend_schema_field({"type": "string", "enum": values})(
        type(f"Mart{choices.__name__}Field", (base,), {})
    )
    if base is serializers.ChoiceField:
        kwargs.setdefault("choices", choices.choices)
    return field_class(**kwargs)


def service_call(function, **kwargs):
    """Call a service; its ValidationError is a 400 and its PermissionDenied a 403."""
    try:
        return function(**kwargs)
    except DjangoValidationError as exc:
        raise ValidationError({"detail": " ".join(exc.messages)}) from exc
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc) or None) from exc


def error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ApiErrorSerializer, description=description)


BAD_REQUEST = OpenApiResponse(
    OpenApiTypes.OBJECT, description="Bad input: `{field: [message]}` or `{detail: message}`."
)
UNAUTHENTICATED = error("Not logged in / no valid token.")
NOT_FOUND = error("No such record of yours.")
THROTTLED = error("Too many requests: wait and retry (see `Retry-After`).")
