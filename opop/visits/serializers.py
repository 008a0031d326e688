"""What the visits API shows of a report: the visit, its action items, its photos by the app's
own protected URL (never a storage path), and the review.

The facilitator appears by name only, as on the report's page. Location is the phone's position
at the visit, shown on the page to the same readers.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from opop.common.api import RegionRefSerializer
from opop.registry.serializers import PesantrenRefSerializer
from opop.visits.models import ActionItem, Visit, VisitPhoto


class ActionItemSerializer(serializers.ModelSerializer):
    is_overdue = serializers.SerializerMethodField(help_text="Open and past its due date.")

    class Meta:
        model = ActionItem
        fields = ["id", "text", "due_on", "responsible", "done_at", "is_overdue"]
        read_only_fields = fields

    def get_is_overdue(self, obj) -> bool:
        return obj.done_at is None and obj.due_on < timezone.localdate()


class VisitPhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(
        help_text="The photo's page in the app (login and access to the report needed)."
    )

    class Meta:
        model = VisitPhoto
        fields = ["id", "content_type", "url"]
        read_only_fields = fields

    def get_url(self, obj) -> str:
        path = reverse("visits:photo", args=[obj.visit_id, obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class VisitLocationSerializer(serializers.Serializer):
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6)
    accuracy_m = serializers.IntegerField(allow_null=True)
    read_at = serializers.DateTimeField()


class VisitSerializer(serializers.ModelSerializer):
    pesantren = PesantrenRefSerializer(read_only=True)
    regency = RegionRefSerializer(
        source="pesantren.regency", read_only=True, help_text="The pesantren's kabupaten/kota."
    )
    facilitator_name = serializers.CharField(source="facilitator.full_name", read_only=True)
    purpose_label = serializers.CharField(read_only=True)
    location = serializers.SerializerMethodField(
        help_text="Where the phone was when the report was written; `null` if not allowed."
    )
    action_items = ActionItemSerializer(many=True, read_only=True)
    photos = VisitPhotoSerializer(many=True, read_only=True)

    class Meta:
        model = Visit
        fields = [
            "id",
            "client_uuid",
            "pesantren",
            "regency",
            "facilitator_name",
            "visited_on",
            "purpose",
            "purpose_label",
            "notes",
            "location",
            "status",
            "submitted_at",
            "reviewed_at",
            "review_note",
            "action_items",
            "photos",
        ]
        read_only_fields = fields

    @extend_schema_field(VisitLocationSerializer(allow_null=True))
    def get_location(self, obj) -> dict | None:
        if not obj.has_location:
            return None
        return VisitLocationSerializer(
            {
                "latitude": obj.latitude,
                "longitude": obj.longitude,
                "accuracy_m": obj.location_accuracy_m,
                "read_at": obj.location_read_at,
            }
        ).data


class VisitFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Visit.Status.choices, required=False)
    pesantren = serializers.IntegerField(required=False, min_value=1, help_text="Pesantren id.")
    regency = serializers.RegexField(
        r"^\d{2}\.\d{2}$", required=False, help_text="Kab/kota code of the pesantren."
    )
    year = serializers.IntegerField(
        required=False, min_value=2000, max_value=2100, help_text="Visits made that year."
    )
    open_items = serializers.BooleanField(
        required=False, default=False, help_text="Only reports with action items still open."
    )
