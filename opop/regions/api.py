from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny

from opop.regions.models import Region
from opop.regions.selectors import region_children


class RegionSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent_id", allow_null=True)

    class Meta:
        model = Region
        fields = ["code", "name", "level", "kind", "parent"]


@extend_schema(
    parameters=[
        OpenApiParameter(
            "parent",
            str,
            description="Parent region code; omit for the 38 provinces. "
            "`35` gives Jawa Timur's kab/kota, `35.78` Kota Surabaya's kecamatan.",
        )
    ]
)
class RegionListView(generics.ListAPIView):
    """Children of a Kemendagri region (public reference data)."""

    serializer_class = RegionSerializer
    permission_classes = [AllowAny]
    authentication_classes: list = []
    pagination_class = None

    def get_queryset(self):
        return region_children(parent_code=self.request.query_params.get("parent", "").strip())
