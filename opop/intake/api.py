"""Intake API: `/api/v1/intake/cohorts/` (public) and `/api/v1/intake/applications/` (the
caller's own files, by reference).

Applications are not scoped by programme role: a caller sees exactly the files they started,
whatever roles they hold; any other reference is a 404. Token or session authentication, as
for the rest of the API.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.permissions import AllowAny, IsAuthenticated

from opop.common.api import ApiErrorSerializer, PageNumberPagination
from opop.intake import selectors_applicant
from opop.intake.serializers import ApplicationSerializer, CohortSerializer

TAG = "intake"
_UNAUTHENTICATED = OpenApiResponse(ApiErrorSerializer, description="Not logged in / no token.")


@extend_schema_view(
    list=extend_schema(
        summary="Cohorts open for registration today",
        tags=[TAG],
        auth=[],
        responses={200: CohortSerializer(many=True)},
    ),
    retrieve=extend_schema(
        summary="One cohort open for registration",
        tags=[TAG],
        auth=[],
        responses={
            200: CohortSerializer,
            404: OpenApiResponse(ApiErrorSerializer, description="Not open, or no such cohort."),
        },
    ),
)
class OpenCohortViewSet(viewsets.ReadOnlyModelViewSet):
    """Cohorts (angkatan) taking registrations today, across programmes, with their rules in
    plain fields and the documents they ask for. Public: no personal data."""

    serializer_class = CohortSerializer
    permission_classes = [AllowAny]
    authentication_classes: list = []
    pagination_class = PageNumberPagination

    def get_queryset(self):
        return selectors_applicant.cohorts_open()


@extend_schema_view(
    list=extend_schema(
        summary="Your applications",
        tags=[TAG],
        responses={200: ApplicationSerializer(many=True), 401: _UNAUTHENTICATED},
    ),
    retrieve=extend_schema(
        summary="One of your applications, by reference",
        tags=[TAG],
        responses={
            200: ApplicationSerializer,
            401: _UNAUTHENTICATED,
            404: OpenApiResponse(
                ApiErrorSerializer, description="No application of yours has this reference."
            ),
        },
    ),
)
class MyApplicationViewSet(viewsets.ReadOnlyModelViewSet):
    """The registration status of the applications you started: status, dates, what still
    stands in the way of submitting, and the history with the staff's reasons."""

    serializer_class = ApplicationSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = PageNumberPagination
    lookup_field = "reference"
    lookup_value_regex = r"[A-Za-z0-9-]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no caller
            return selectors_applicant.applications_of(None)
        return selectors_applicant.applications_with_history(self.request.user).order_by(
            "-created_at", "-id"
        )
