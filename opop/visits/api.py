"""The visits read API: `/api/v1/visits/` and `/api/v1/visits/<id>/`.

Facilitators read their own reports on pesantren still assigned to them; supervisors (admin:
the programme, officer: their kab/kota) and auditors the reports in their scope
(`selectors.visits_visible_to`). A report outside the scope is a 404; other roles get 403.
Reports are written on the page `/visits/new/` (which also takes the phone's offline resend).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission, IsAuthenticated

from opop.common.api import ProgrammeRole, ProgrammeScopedViewSet, scoped_read_schema
from opop.visits import selectors
from opop.visits.models import ActionItem
from opop.visits.serializers import VisitFilterSerializer, VisitSerializer

TAG = "visits"


class ReadsVisits(BasePermission):
    message = _("Your role in this programme does not read visit reports.")

    def has_permission(self, request, view) -> bool:
        return selectors.reads_visits(request.access)


@scoped_read_schema(
    serializer=VisitSerializer, filters=VisitFilterSerializer, tag=TAG, noun="visit reports"
)
class VisitViewSet(ProgrammeScopedViewSet):
    """Facilitator visit reports in your scope, with action items, photos and review."""

    permission_classes = [IsAuthenticated, ProgrammeRole, ReadsVisits]
    required_access = None
    serializer_class = VisitSerializer
    filter_serializer_class = VisitFilterSerializer

    def scoped_queryset(self, access):
        return (
            selectors.visits_visible_to(access)
            .select_related("pesantren", "pesantren__regency", "facilitator")
            .prefetch_related("action_items", "photos")
            .order_by("-visited_on", "-id")
        )

    def filtered(self, queryset, params: dict):
        if params.get("status"):
            queryset = queryset.filter(status=params["status"])
        if params.get("pesantren"):
            queryset = queryset.filter(pesantren_id=params["pesantren"])
        if params.get("regency"):
            queryset = queryset.filter(pesantren__regency_id=params["regency"])
        if params.get("year"):
            queryset = queryset.filter(visited_on__year=params["year"])
        if params.get("open_items"):
            still_open = ActionItem.objects.filter(visit=OuterRef("pk"), done_at__isnull=True)
            queryset = queryset.filter(Exists(still_open))
        return queryset
