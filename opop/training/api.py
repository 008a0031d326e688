"""The training read API.

- `/api/v1/trainings/sessions/`: sessions an organiser runs (admin: the programme; officer:
  held in their kab/kota; partner: their own trainings), or, for a participant or cooperative
  manager, the sessions they are invited to or enrolled in. Filters: `upcoming`, `year`,
  `regency`, `status`.
- `/api/v1/trainings/enrolments/`: the enrolments of those sessions (organisers) or the
  caller's own (learners), with scores and certificate. Filters: `session`, `status`, `year`.

Scope comes from `opop.training.selectors`; anything outside it is a 404. Other roles: 403.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission, IsAuthenticated

from opop.common.api import ProgrammeRole, ProgrammeScopedViewSet, scoped_read_schema
from opop.training import selectors
from opop.training.models import Enrolment
from opop.training.serializers import (
    EnrolmentFilterSerializer,
    EnrolmentSerializer,
    SessionFilterSerializer,
    TrainingSessionSerializer,
)

TAG = "training"


class ReadsTrainings(BasePermission):
    message = _("Your role in this programme neither organises nor attends trainings.")

    def has_permission(self, request, view) -> bool:
        return selectors.reads_training_api(request.access)


class TrainingViewSet(ProgrammeScopedViewSet):
    permission_classes = [IsAuthenticated, ProgrammeRole, ReadsTrainings]
    required_access = None


@scoped_read_schema(
    serializer=TrainingSessionSerializer,
    filters=SessionFilterSerializer,
    tag=TAG,
    noun="training sessions",
)
class SessionViewSet(TrainingViewSet):
    """Training sessions you organise, or are invited to or enrolled in."""

    serializer_class = TrainingSessionSerializer
    filter_serializer_class = SessionFilterSerializer

    def scoped_queryset(self, access):
        return (
            selectors.sessions_readable_by(access)
            .select_related("training", "regency")
            .annotate(
                api_enrolled=Count(
                    "enrolments", filter=Q(enrolments__status=Enrolment.Status.ENROLLED)
                ),
                api_attended=Count("enrolments", filter=Q(enrolments__checked_in_at__isnull=False)),
            )
            .order_by("-starts_at", "-id")
        )

    def filtered(self, queryset, params: dict):
        if params.get("upcoming"):
            queryset = queryset.filter(ends_at__gte=timezone.now()).order_by("starts_at", "id")
        if params.get("year"):
            queryset = queryset.filter(starts_at__year=params["year"])
        if params.get("regency"):
            queryset = queryset.filter(regency_id=params["regency"])
        if params.get("status"):
            queryset = queryset.filter(status=params["status"])
        return queryset


@scoped_read_schema(
    serializer=EnrolmentSerializer,
    filters=EnrolmentFilterSerializer,
    tag=TAG,
    noun="training enrolments",
)
class EnrolmentViewSet(TrainingViewSet):
    """Enrolments of the sessions you organise, or your own, with scores and certificate."""

    serializer_class = EnrolmentSerializer
    filter_serializer_class = EnrolmentFilterSerializer

    def scoped_queryset(self, access):
        return (
            selectors.enrolments_readable_by(access)
            .select_related("session", "session__training", "person", "certificate")
            .order_by("-session__starts_at", "session_id", "person__full_name", "id")
        )

    def filtered(self, queryset, params: dict):
        if params.get("session"):
            queryset = queryset.filter(session_id=params["session"])
        if params.get("status"):
            queryset = queryset.filter(status=params["status"])
        if params.get("year"):
            queryset = queryset.filter(session__starts_at__year=params["year"])
        return queryset
