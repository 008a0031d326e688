"""`GET /api/v1/journey/pesantren/<id>/`: a pesantren's journey as JSON, scoped like the page."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from opop.common.api import PROGRAMME_PARAM, PageNumberPagination, ProgrammeRole, validated_query
from opop.journey import selectors
from opop.registry.selectors import pesantren_visible_to


class JourneyQuerySerializer(serializers.Serializer):
    aspect = serializers.ChoiceField(choices=selectors.ASPECT_CODES, required=False)
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)


class StepSerializer(serializers.Serializer):
    on = serializers.DateField(source="event.on")
    aspect = serializers.CharField(source="aspect.code")
    kind = serializers.CharField(source="event.kind", help_text="e.g. training.attended")
    title = serializers.CharField(source="event.title")
    detail = serializers.CharField(source="event.detail")
    url = serializers.CharField(source="event.url", help_text="a page to read more, or empty")


class AspectCountSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class YearCountSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    count = serializers.IntegerField()


class JourneySerializer(serializers.Serializer):
    pesantren = serializers.DictField(help_text="id, name and kab/kota code")
    total = serializers.IntegerField(help_text="steps of every aspect and year")
    aspects = AspectCountSerializer(many=True)
    years = YearCountSerializer(many=True, help_text="years with steps of the chosen aspect")
    count = serializers.IntegerField(help_text="steps after the aspect and year filters")
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = StepSerializer(many=True)


class PesantrenJourneyView(APIView):
    permission_classes = [IsAuthenticated, ProgrammeRole]
    required_access = "reads_registry"

    @extend_schema(
        tags=["journey"],
        summary="A pesantren's journey",
        description="Registration, assessments, milestones, trainings, visits, certifications, "
        "grants and cooperative health in time order, oldest first; only what your role may "
        "see. A pesantren outside your scope is a 404.",
        parameters=[
            OpenApiParameter(PROGRAMME_PARAM, str, description="programme code, e.g. jatim"),
            JourneyQuerySerializer,
        ],
        responses=JourneySerializer,
    )
    def get(self, request, pk: int):
        access = request.access
        pesantren = get_object_or_404(
            pesantren_visible_to(access).only("name", "regency_id"), pk=pk
        )
        query = validated_query(JourneyQuerySerializer, request)
        journey = selectors.pesantren_journey(
            pesantren.pk, access, aspect=query.get("aspect"), year=query.get("year")
        )
        paginator = PageNumberPagination()
        steps = paginator.paginate_queryset(journey.steps, request, view=self)
        return Response(
            {
                "pesantren": {
                    "id": pesantren.pk,
                    "name": pesantren.name,
                    "regency": pesantren.regency_id,
                },
                "total": journey.total,
                "aspects": [
                    {"code": a.code, "label": str(a.label), "count": n}
                    for a, n in journey.by_aspect
                ],
                "years": [{"year": y, "count": n} for y, n in journey.by_year],
                "count": paginator.page.paginator.count,
                "next": paginator.get_next_link(),
                "previous": paginator.get_previous_link(),
                "results": StepSerializer(steps, many=True).data,
            }
        )
