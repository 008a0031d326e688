"""Shared DRF pieces: which programme a call is about, the role check, pagination, masked fields.

An API call is stateless: unlike the pages, it does not follow the programme picked in the
session. It names the programme with `?programme=<code>` or the `X-OPOP-Programme` header, or
gets the caller's main membership (see `opop.accounts.access.access_for`).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import pagination, serializers, viewsets
from rest_framework.permissions import BasePermission, IsAuthenticated

from opop.accounts.access import Access, access_for
from opop.common import pii

PROGRAMME_PARAM = "programme"
PROGRAMME_HEADER = "X-OPOP-Programme"


def requested_programme(request) -> str | None:
    """The programme code the call names (query parameter first, then header), if any."""
    code = request.query_params.get(PROGRAMME_PARAM) or request.headers.get(PROGRAMME_HEADER)
    return (code or "").strip() or None


def api_access(request) -> Access | None:
    return access_for(request.user, programme_code=requested_programme(request))


class ProgrammeRole(BasePermission):
    """Resolves `request.access` for the chosen programme and requires `view.required_access`.

    No role in the programme (or an unknown programme) and a role without the needed right both
    give 403; which programmes exist is not revealed.
    """

    message = _("You have no role in this programme.")

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        access = api_access(request)
        # Replace the session-based access the middleware put on the request.
        request.access = access
        if not access:
            return False
        check = getattr(view, "required_access", None)
        if check and not getattr(access, check):
            self.message = _("Your role in this programme does not give access to this data.")
            return False
        return True


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def validated_query(serializer_class, request) -> dict:
    """Query parameters checked by a serializer: a bad value is a 400 naming the parameter."""
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class ProgrammeScopedViewSet(viewsets.ReadOnlyModelViewSet):
    """List + detail of records scoped by a selector. Subclasses set `scoped_queryset(access)`
    and, for lists, `filter_serializer_class` and `filtered(queryset, params)`."""

    permission_classes = [IsAuthenticated, ProgrammeRole]
    required_access = "reads_registry"
    pagination_class = PageNumberPagination
    filter_serializer_class: type[serializers.Serializer] | None = None

    @property
    def access(self) -> Access | None:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no caller
            return None
        return self.request.access

    def scoped_queryset(self, access: Access | None):
        raise NotImplementedError

    def filtered(self, queryset, params: dict):
        return queryset

    def get_queryset(self):
        return self.scoped_queryset(self.access)

    def filter_queryset(self, queryset):
        if self.action != "list" or self.filter_serializer_class is None:
            return queryset
        return self.filtered(queryset, validated_query(self.filter_serializer_class, self.request))

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "access": self.access}


# --- OpenAPI --------------------------------------------------------------------------------

PROGRAMME_PARAMETERS = [
    OpenApiParameter(
        PROGRAMME_PARAM,
        str,
        OpenApiParameter.QUERY,
        description="Programme code (e.g. `jatim`, `kalsel`). Default: the programme of your "
        "main role. A programme where you have no role gives 403.",
    ),
    OpenApiParameter(
        PROGRAMME_HEADER,
        str,
        OpenApiParameter.HEADER,
        description=f"Same as the `{PROGRAMME_PARAM}` query parameter, which wins if both are "
        "given.",
    ),
]


class ApiErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


_ERRORS = {
    401: OpenApiResponse(ApiErrorSerializer, description="Not logged in / no valid token."),
    403: OpenApiResponse(
        ApiErrorSerializer,
        description="No role in the chosen programme, or a role that may not read this data.",
    ),
}


def scoped_read_schema(*, serializer, filters, tag: str, noun: str):
    """The schema of a `ProgrammeScopedViewSet`: programme parameters, filters, error bodies."""
    return extend_schema_view(
        list=extend_schema(
            summary=f"List {noun} in your scope",
            tags=[tag],
            parameters=[*PROGRAMME_PARAMETERS, filters],
            responses={
                200: serializer(many=True),
                400: OpenApiResponse(
                    OpenApiTypes.OBJECT,
                    description="A filter has a bad value: `{parameter: [message]}`.",
                ),
                **_ERRORS,
            },
        ),
        retrieve=extend_schema(
            summary=f"One of the {noun} in your scope",
            tags=[tag],
            parameters=PROGRAMME_PARAMETERS,
            responses={
                200: serializer,
                **_ERRORS,
                404: OpenApiResponse(ApiErrorSerializer, description="No such record in scope."),
            },
        ),
    )


# --- Serializer fields ----------------------------------------------------------------------


class RegionRefSerializer(serializers.Serializer):
    """A Kemendagri region by code and name."""

    code = serializers.CharField(help_text="Kemendagri code, e.g. `35.78`.")
    name = serializers.CharField()


CONTACT_HELP = (
    "Personal data: in clear only for roles that see contact data in this programme (admin, "
    "officer, facilitator, manager, participant); masked for the others (see `contact_masked`)."
)


def sees_contact(context) -> bool:
    access = context.get("access")
    return bool(access) and access.sees_contact


class ContactCharField(serializers.CharField):
    """A contact value (phone, e-mail, address…), masked for roles that do not see contact data.

    The field is always present; masking keeps the first characters so a record can be
    recognised without the value being usable.
    """

    def __init__(self, *, masker=pii.mask_text, **kwargs):
        self.masker = masker
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("help_text", CONTACT_HELP)
        super().__init__(**kwargs)

    def to_representation(self, value):
        value = super().to_representation(value)
        return value if not value or sees_contact(self.context) else self.masker(value)


class ContactDateField(serializers.DateField):
    """A personal date (birth date): `null` for roles that do not see contact data."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("help_text", CONTACT_HELP + " Masked means `null`.")
        super().__init__(**kwargs)

    def to_representation(self, value):
        return super().to_representation(value) if sees_contact(self.context) else None


class ContactMaskedField(serializers.BooleanField):
    """`true` when this record's contact fields are masked for the caller."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("source", "*")
        kwargs.setdefault(
            "help_text", "True when phone, e-mail, address and birth data are masked for you."
        )
        super().__init__(**kwargs)

    def to_representation(self, value):
        return not sees_contact(self.context)
