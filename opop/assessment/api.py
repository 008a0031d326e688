"""The assessment API: a juror's assignments and scoresheets, an entry owner's results.

- `GET /api/v1/assessment/assignments/`: the caller's own assignments in the programme the call
  names (see `opop.common.api`); 403 without a juror seat there.
- `GET/POST /api/v1/assessment/assignments/<id>/scores/`: read the own sheet, or save a draft /
  submit it through the same service as the page (`scoresheet_save`). Another juror's
  assignment is a 404; another juror's scores are never in the answer.
- `GET /api/v1/assessment/results/`: the caller's own published results with anonymous
  per-criterion feedback (any logged-in user; not tied to a programme).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from opop.assessment import selectors, services
from opop.assessment.models import Appeal, Assignment, Entry, Juror, Stage
from opop.assessment.serializers import (
    AssignmentFilterSerializer,
    AssignmentSerializer,
    ResultSerializer,
    ScoresheetInputSerializer,
    ScoresheetSerializer,
)
from opop.assessment.views.juror import sheet_editable
from opop.assessment.views.owner import owned_results
from opop.common.api import (
    PROGRAMME_PARAMETERS,
    ApiErrorSerializer,
    PageNumberPagination,
    ProgrammeRole,
    validated_query,
)

TAG = "assessment"
_REFUSED = {
    401: OpenApiResponse(ApiErrorSerializer, description="Not logged in / no valid token."),
    403: OpenApiResponse(
        ApiErrorSerializer, description="No juror seat in a round of the chosen programme."
    ),
}
_NOT_YOURS = OpenApiResponse(ApiErrorSerializer, description="No such assignment of yours.")


class JurorSeat(BasePermission):
    """The caller holds a juror seat in a round of the programme `ProgrammeRole` resolved."""

    message = _("You hold no juror seat in this programme's assessment rounds.")

    def has_permission(self, request, view) -> bool:
        access = request.access
        return Juror.objects.filter(
            user=request.user, round__programme_id=access.programme_id
        ).exists()


@extend_schema_view(
    list=extend_schema(
        summary="My assignments",
        tags=[TAG],
        parameters=[*PROGRAMME_PARAMETERS, AssignmentFilterSerializer],
        responses={200: AssignmentSerializer(many=True), **_REFUSED},
    ),
)
class AssignmentViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The entries you are assigned to score, with their stage and round."""

    permission_classes = [IsAuthenticated, ProgrammeRole, JurorSeat]
    pagination_class = PageNumberPagination
    serializer_class = AssignmentSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no caller
            return Assignment.objects.none()
        return (
            selectors.assignments_of(self.request.user, self.request.access.programme)
            .select_related("entry", "stage__round", "juror")
            .order_by("-stage_id", "entry_id", "id")
        )

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        status = validated_query(AssignmentFilterSerializer, self.request)["status"]
        if status == "todo":
            return queryset.filter(submitted_at__isnull=True)
        if status == "done":
            return queryset.filter(submitted_at__isnull=False)
        return queryset

    @extend_schema(
        methods=["GET"],
        summary="My scoresheet of one assignment",
        tags=[TAG],
        parameters=PROGRAMME_PARAMETERS,
        responses={200: ScoresheetSerializer, **_REFUSED, 404: _NOT_YOURS},
    )
    @extend_schema(
        methods=["POST"],
        summary="Save a draft of my scores, or submit them",
        tags=[TAG],
        parameters=PROGRAMME_PARAMETERS,
        request=ScoresheetInputSerializer,
        responses={
            200: ScoresheetSerializer,
            400: OpenApiResponse(
                description="Bad scores (`{field: [message]}`, `scores` as a list per row), or "
                "the service refused them; nothing was saved."
            ),
            **_REFUSED,
            404: _NOT_YOURS,
        },
    )
    @action(detail=True, methods=["get", "post"], url_path="scores")
    def scores(self, request, pk=None):
        assignment = self.get_object()
        criteria = list(assignment.stage.round.criteria.all())
        if request.method == "POST":
            self._save(request, assignment, criteria)
            assignment.refresh_from_db()
        return Response(ScoresheetSerializer(_sheet(assignment, criteria)).data)

    def _save(self, request, assignment, criteria) -> None:
        if not sheet_editable(assignment):
            raise PermissionDenied(_("This scoresheet can no longer be changed."))
        stage = assignment.stage
        data = ScoresheetInputSerializer(
            data=request.data,
            context={
                "criteria": [c.pk for c in criteria],
                "round": stage.round,
                "field_visit": stage.kind == Stage.Kind.FIELD_VISIT,
            },
        )
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            services.scoresheet_save(
                actor=request.user,
                assignment=assignment,
                values={row["criterion"]: row["value"] for row in values["scores"]},
                comments={row["criterion"]: row["comment"] for row in values["scores"]},
                submit=values["submit"],
                visited_on=values["visited_on"],
                visit_notes=values["visit_notes"],
            )
        except DjangoValidationError as exc:
            raise ValidationError(
                exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
            ) from None


def _sheet(assignment, criteria) -> dict:
    return {
        "assignment": assignment.pk,
        "entry": assignment.entry,
        "round": assignment.stage.round,
        "stage": assignment.stage,
        "editable": sheet_editable(assignment),
        "submitted_at": assignment.submitted_at,
        "total": assignment.total,
        "visited_on": assignment.visited_on,
        "visit_notes": assignment.visit_notes,
        "criteria": criteria,
        "scores": [
            {"criterion": s.criterion_id, "value": s.value, "comment": s.comment}
            for s in assignment.scores.all()
        ],
    }


@extend_schema_view(
    list=extend_schema(
        summary="My published results",
        tags=[TAG],
        responses={
            200: ResultSerializer(many=True),
            401: _REFUSED[401],
        },
    ),
)
class ResultViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Your entries whose results are published: outcome, score, rank, per-criterion feedback
    (jurors unnamed), appeals and their decisions."""

    permission_classes = [IsAuthenticated]
    pagination_class = PageNumberPagination
    serializer_class = ResultSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Entry.objects.none()
        return (
            owned_results(self.request.user)
            .select_related("stage__round__programme")
            .prefetch_related(
                "stage__round__criteria",
                Prefetch("appeals", queryset=Appeal.objects.order_by("-created_at")),
            )
            .order_by("-stage__published_at", "-id")
        )
