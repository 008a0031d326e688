"""The cooperative-health read API: `/api/v1/cooperative-health/reports/` and `…/<id>/`.

Yearly reports of the cooperatives the caller reads (`selectors.reports_visible_to`, the
registry's scope): admin and auditor the programme, an officer their kab/kota, a facilitator
their pesantren's cooperatives, a cooperative manager their own. Roles that do not read
coaching get 403; a report outside the scope is a 404. Newest book year first.
"""

from __future__ import annotations

from opop.common.api import ProgrammeScopedViewSet, scoped_read_schema
from opop.coophealth import selectors
from opop.coophealth.serializers import CooperativeReportSerializer, ReportFilterSerializer

TAG = "cooperative-health"


@scoped_read_schema(
    serializer=CooperativeReportSerializer,
    filters=ReportFilterSerializer,
    tag=TAG,
    noun="cooperative yearly reports",
)
class ReportViewSet(ProgrammeScopedViewSet):
    """Cooperatives' yearly reports (members, capital, business volume, SHU, RAT) in your scope."""

    required_access = "reads_coaching"
    serializer_class = CooperativeReportSerializer
    filter_serializer_class = ReportFilterSerializer

    def scoped_queryset(self, access):
        return (
            selectors.reports_visible_to(access)
            .select_related("cooperative__pesantren__regency", "cooperative__health")
            .order_by("-year", "cooperative__name", "id")
        )

    def filtered(self, queryset, params: dict):
        if params.get("year"):
            queryset = queryset.filter(year=params["year"])
        if params.get("regency"):
            queryset = queryset.filter(cooperative__pesantren__regency_id=params["regency"])
        if params.get("cooperative"):
            queryset = queryset.filter(cooperative_id=params["cooperative"])
        return queryset
