"""The grants read API.

- `/api/v1/grants/proposals/` and `…/<id>/`: grant proposals scoped like the grant pages
  (`selectors.proposals_visible_to`): programme admins and auditors the programme, officers
  their kab/kota, cooperative managers their own cooperative (drafts included; staff never see
  a manager's drafts). Other roles get 403, a proposal outside the scope 404.
- `/api/v1/grants/transparency/?programme=jatim&year=2025`: open data, no login. The rows of
  the public page `/grants/transparency/`, from the same cached selector
  (`opop.grants.transparency.transparency_rows`), so they carry no personal data either.
"""

from __future__ import annotations

from django.db.models import Prefetch, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.throttling import AnonRateThrottle

from opop.common.api import (
    ApiErrorSerializer,
    PageNumberPagination,
    ProgrammeRole,
    ProgrammeScopedViewSet,
    scoped_read_schema,
    validated_query,
)
from opop.grants import selectors
from opop.grants.models import Disbursement
from opop.grants.serializers import (
    GrantProposalSerializer,
    ProposalFilterSerializer,
    TransparencyFilterSerializer,
    TransparencyRowSerializer,
)
from opop.grants.transparency import transparency_rows
from opop.programmes.models import Programme

TAG = "grants"


class ReadsGrants(BasePermission):
    message = _("Your role in this programme does not read grants.")

    def has_permission(self, request, view) -> bool:
        return selectors.reads_any_grants(request.access)


@scoped_read_schema(
    serializer=GrantProposalSerializer,
    filters=ProposalFilterSerializer,
    tag=TAG,
    noun="grant proposals",
)
class ProposalViewSet(ProgrammeScopedViewSet):
    """Grant proposals in your scope, with budget lines, agreement, tranches and their reports."""

    permission_classes = [IsAuthenticated, ProgrammeRole, ReadsGrants]
    required_access = None
    serializer_class = GrantProposalSerializer
    filter_serializer_class = ProposalFilterSerializer

    def scoped_queryset(self, access):
        tranches = Disbursement.objects.select_related("report").order_by("number")
        return (
            selectors.proposals_visible_to(access)
            .select_related("cooperative__pesantren__regency")
            .annotate(api_disbursed=Coalesce(Sum("disbursements__amount"), 0))
            .prefetch_related("lines", Prefetch("disbursements", queryset=tranches))
            .order_by("-created_at", "-id")
        )

    def filtered(self, queryset, params: dict):
        queryset = selectors.proposal_filter(
            queryset,
            scheme=str(params.get("scheme") or ""),
            status=params.get("status", ""),
            q=params.get("search", "").strip(),
        )
        if params.get("year"):
            queryset = queryset.filter(scheme__year=params["year"])
        if params.get("regency"):
            queryset = queryset.filter(cooperative__pesantren__regency_id=params["regency"])
        return queryset


class TransparencyPagination(PageNumberPagination):
    """Pages of rows, with the totals of every page (the whole selection) beside them."""

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data.update(self.totals)
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"].update(
            {
                "programme": {"type": "string", "example": "jatim"},
                "year": {"type": "integer", "nullable": True, "example": 2025},
                "committed": {
                    "type": "integer",
                    "description": "Total committed (Rp) of every row, not only this page.",
                },
                "disbursed": {
                    "type": "integer",
                    "description": "Total disbursed (Rp) of every row, not only this page.",
                },
            }
        )
        schema["required"] = [*schema.get("required", []), "committed", "disbursed"]
        return schema


def public_grant_rows(programme: Programme, *, year: int | None) -> list[dict]:
    """The public page's rows of the programme, flat, each with its kab/kota."""
    rows = []
    for group in transparency_rows(programme.pk)["regencies"]:
        regency = {"code": group["code"], "name": group["name"]}
        rows.extend(
            {**row, "regency": regency}
            for row in group["rows"]
            if year is None or row["year"] == year
        )
    return rows


class TransparencyView(GenericAPIView):
    """Every signed grant of a programme by kab/kota and recipient cooperative, with committed and
    disbursed amounts. Open to everyone (no login), limited per address; no personal data."""

    serializer_class = TransparencyRowSerializer
    pagination_class = TransparencyPagination
    permission_classes = [AllowAny]
    # No authentication at all: every caller is anonymous and throttled by address.
    authentication_classes: list = []
    throttle_classes = [AnonRateThrottle]

    @extend_schema(
        operation_id="grants_transparency_list",
        summary="Signed grants of a programme (open data)",
        tags=["public"],
        auth=[],
        parameters=[TransparencyFilterSerializer],
        responses={
            200: TransparencyRowSerializer(many=True),
            400: OpenApiResponse(
                OpenApiTypes.OBJECT, description="`programme` missing or `year` not a year."
            ),
            404: OpenApiResponse(ApiErrorSerializer, description="No such programme."),
            429: OpenApiResponse(ApiErrorSerializer, description="Too many requests."),
        },
    )
    def get(self, request):
        params = validated_query(TransparencyFilterSerializer, request)
        programme = Programme.objects.filter(code=params["programme"], is_active=True).first()
        if programme is None:
            raise Http404
        year = params.get("year")
        rows = public_grant_rows(programme, year=year)
        self.paginator.totals = {
            "programme": programme.code,
            "year": year,
            "committed": sum(row["committed"] for row in rows),
            "disbursed": sum(row["disbursed"] for row in rows),
        }
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
