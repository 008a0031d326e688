"""What the milestones API shows: each pesantren's level, and one pesantren's checklist.

Evidence files are never linked by their storage path: a row with evidence carries the URL of
the app's own download page (`/milestones/pesantren/<id>/items/<item>/evidence/`), which checks
the caller's access like every page.
"""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from opop.common.api import RegionRefSerializer
from opop.milestones.models import Aspect, Level, PesantrenMilestone
from opop.milestones.selectors import checklist_rows
from opop.registry.models import Pesantren


class PesantrenLevelSerializer(serializers.ModelSerializer):
    """A pesantren and its level (annotated by the view: no row per pesantren is read)."""

    regency = RegionRefSerializer(read_only=True, help_text="Kabupaten/kota.")
    level = serializers.IntegerField(
        source="api_level",
        read_only=True,
        help_text="0 = not yet levelled, 1 = emerging, 2 = developing, 3 = self-reliant, "
        "4 = leading.",
    )
    level_label = serializers.SerializerMethodField()
    reached_on = serializers.DateField(
        source="api_reached_on",
        read_only=True,
        allow_null=True,
        help_text="When the current level was reached.",
    )
    verified_count = serializers.IntegerField(
        source="api_verified_count", read_only=True, help_text="Verified checklist items."
    )

    class Meta:
        model = Pesantren
        fields = [
            "id",
            "nspp",
            "name",
            "regency",
            "level",
            "level_label",
            "reached_on",
            "verified_count",
        ]
        read_only_fields = fields

    def get_level_label(self, obj) -> str:
        return str(Level(obj.api_level).label)


class MilestoneChecklistItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Checklist item id.")
    code = serializers.CharField()
    name = serializers.CharField()
    aspect = serializers.ChoiceField(choices=Aspect.choices)
    evidence_required = serializers.BooleanField()
    guidance = serializers.CharField()
    status = serializers.ChoiceField(
        choices=PesantrenMilestone.Status.choices,
        help_text="This pesantren's status on the item (`not_started` when nothing was sent).",
    )
    note = serializers.CharField(help_text="The claimer's note.")
    claimed_at = serializers.DateTimeField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    reason = serializers.CharField(help_text="Why a claim was rejected.")
    evidence_url = serializers.URLField(
        allow_null=True,
        help_text="The evidence's download page (login and the same access as this call "
        "needed); `null` without a file.",
    )


class MilestoneChecklistLevelSerializer(serializers.Serializer):
    level = serializers.IntegerField()
    name = serializers.CharField()
    verified = serializers.IntegerField()
    total = serializers.IntegerField()
    percent = serializers.IntegerField()
    items = MilestoneChecklistItemSerializer(many=True)


class PesantrenChecklistSerializer(PesantrenLevelSerializer):
    checklist = serializers.SerializerMethodField(
        help_text="The programme's checklist items in use, by level, with this pesantren's "
        "status on each."
    )

    class Meta(PesantrenLevelSerializer.Meta):
        fields = [*PesantrenLevelSerializer.Meta.fields, "checklist"]
        read_only_fields = fields

    @extend_schema_field(MilestoneChecklistLevelSerializer(many=True))
    def get_checklist(self, obj) -> list[dict]:
        request = self.context.get("request")
        groups = []
        for group in checklist_rows(obj):
            items = [self._item(obj, row["item"], row["status"], request) for row in group["rows"]]
            groups.append(
                {
                    "level": group["level"],
                    "name": str(group["name"]),
                    "verified": group["verified"],
                    "total": group["total"],
                    "percent": group["percent"],
                    "items": items,
                }
            )
        return MilestoneChecklistLevelSerializer(groups, many=True).data

    @staticmethod
    def _item(pesantren, item, status, request) -> dict:
        evidence_url = None
        if status is not None and status.evidence:
            path = reverse("milestones:evidence", args=[pesantren.pk, item.pk])
            evidence_url = request.build_absolute_uri(path) if request else path
        return {
            "id": item.pk,
            "code": item.code,
            "name": item.name,
            "aspect": item.aspect,
            "evidence_required": item.evidence_required,
            "guidance": item.guidance,
            "status": status.status if status else PesantrenMilestone.Status.NOT_STARTED,
            "note": status.note if status else "",
            "claimed_at": status.claimed_at if status else None,
            "decided_at": status.decided_at if status else None,
            "reason": status.reason if status else "",
            "evidence_url": evidence_url,
        }


class LevelFilterSerializer(serializers.Serializer):
    regency = serializers.RegexField(
        r"^\d{2}\.\d{2}$", required=False, help_text="Kab/kota code, e.g. `35.78`."
    )
    level = serializers.IntegerField(
        required=False, min_value=0, max_value=4, help_text="Only pesantren at this level."
    )
