"""The milestones read API.

- `/api/v1/milestones/levels/`: pesantren in the caller's scope with their level ("kelas");
  `?regency=` and `?level=` narrow it.
- `/api/v1/milestones/levels/<pesantren_id>/`: one pesantren's level and its checklist, with
  the status of every item; a pesantren outside the scope is a 404.

Who may call it is the pages' rule (`selectors.reads_milestones`): staff who coach, the auditor
and the pesantren's own cooperative manager; other roles get 403.
"""

from __future__ import annotations

from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework.permissions import BasePermission, IsAuthenticated

from opop.common.api import (
    PROGRAMME_PARAMETERS,
    ApiErrorSerializer,
    ProgrammeRole,
    ProgrammeScopedViewSet,
    scoped_read_schema,
)
from opop.milestones import selectors
from opop.milestones.serializers import (
    LevelFilterSerializer,
    PesantrenChecklistSerializer,
    PesantrenLevelSerializer,
)

TAG = "milestones"


class ReadsMilestones(BasePermission):
    message = _("Your role in this programme does not read milestones.")

    def has_permission(self, request, view) -> bool:
        return selectors.reads_milestones(request.access)


def with_level(pesantren):
    """The level columns as annotations, so a pesantren without a level row reads as level 0."""
    return pesantren.annotate(
        api_level=Coalesce(F("milestone_level__level"), Value(0)),
        api_reached_on=F("milestone_level__reached_on"),
        api_verified_count=Coalesce(F("milestone_level__verified_count"), Value(0)),
    )


_DETAIL = extend_schema(
    summary="One pesantren in your scope, with its checklist",
    tags=[TAG],
    parameters=PROGRAMME_PARAMETERS,
    responses={
        200: PesantrenChecklistSerializer,
        401: OpenApiResponse(ApiErrorSerializer, description="Not logged in / no token."),
        403: OpenApiResponse(
            ApiErrorSerializer,
            description="No role in the chosen programme, or one that does not read milestones.",
        ),
        404: OpenApiResponse(ApiErrorSerializer, description="No such pesantren in scope."),
    },
)


# The detail has its own serializer: its schema replaces the one `scoped_read_schema` gives.
@extend_schema_view(retrieve=_DETAIL)
@scoped_read_schema(
    serializer=PesantrenLevelSerializer,
    filters=LevelFilterSerializer,
    tag=TAG,
    noun="pesantren levels",
)
class PesantrenLevelViewSet(ProgrammeScopedViewSet):
    """Pesantren in your scope with their milestone level; one pesantren with its checklist."""

    permission_classes = [IsAuthenticated, ProgrammeRole, ReadsMilestones]
    required_access = None
    serializer_class = PesantrenLevelSerializer
    filter_serializer_class = LevelFilterSerializer
    lookup_url_kwarg = "pesantren_id"

    def scoped_queryset(self, access):
        return with_level(selectors.pesantren_with_levels(access))

    def filtered(self, queryset, params: dict):
        if params.get("regency"):
            queryset = queryset.filter(regency_id=params["regency"])
        level = params.get("level")
        if level == 0:
            queryset = queryset.exclude(milestone_level__level__gt=0)
        elif level:
            queryset = queryset.filter(milestone_level__level=level)
        return queryset

    def get_serializer_class(self):
        if self.action == "retrieve":
            return PesantrenChecklistSerializer
        return PesantrenLevelSerializer
