"""What the intake API shows: open cohorts (public, no personal data) and the caller's own
applications with their status and history (never who on the staff acted)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from opop.intake.eligibility import check_eligibility, missing_fields
from opop.intake.models import Application, ApplicationEvent, Cohort, DocumentKind


class DocumentKindSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    label = serializers.CharField()


class ProgrammeRefSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Programme code, e.g. `jatim`.")
    name = serializers.CharField()


class CohortRulesSerializer(serializers.Serializer):
    require_nspp = serializers.BooleanField(help_text="Pesantren cohorts: an NSPP is required.")
    exclude_earlier_cohorts = serializers.BooleanField(
        help_text="Only for those not accepted in an earlier cohort of the programme."
    )
    min_age = serializers.IntegerField(
        allow_null=True, help_text="Youngest age on the closing date; null: no limit."
    )
    max_age = serializers.IntegerField(
        allow_null=True, help_text="Oldest age on the closing date; null: no limit."
    )


def _documents(kinds) -> list[dict]:
    return [
        {"kind": kind, "label": str(DocumentKind(kind).label)}
        for kind in kinds
        if kind in DocumentKind
    ]


class CohortSerializer(serializers.ModelSerializer):
    programme = ProgrammeRefSerializer(read_only=True)
    rules = serializers.SerializerMethodField()
    required_documents = serializers.SerializerMethodField()
    notes = serializers.CharField(read_only=True, help_text="Information for applicants.")

    class Meta:
        model = Cohort
        fields = [
            "id",
            "programme",
            "year",
            "pillar",
            "name",
            "opens_on",
            "closes_on",
            "notes",
            "rules",
            "required_documents",
        ]
        read_only_fields = fields

    @extend_schema_field(CohortRulesSerializer)
    def get_rules(self, cohort: Cohort) -> dict:
        return {
            "require_nspp": cohort.is_for_pesantren and cohort.require_nspp,
            "exclude_earlier_cohorts": cohort.exclude_earlier_cohorts,
            "min_age": cohort.min_age,
            "max_age": cohort.max_age,
        }

    @extend_schema_field(DocumentKindSerializer(many=True))
    def get_required_documents(self, cohort: Cohort) -> list[dict]:
        return _documents(cohort.required_documents)


class CohortRefSerializer(serializers.ModelSerializer):
    programme = serializers.CharField(source="programme.code", help_text="Programme code.")

    class Meta:
        model = Cohort
        fields = ["id", "name", "year", "pillar", "programme", "closes_on"]
        read_only_fields = fields


class ChecklistItemSerializer(serializers.Serializer):
    document = serializers.CharField(help_text="Document kind, e.g. `nib`.")
    ok = serializers.BooleanField()
    note = serializers.CharField(allow_blank=True)


class ApplicationEventSerializer(serializers.ModelSerializer):
    """One step of the file's history. Who on the staff acted is never shown."""

    action = serializers.ChoiceField(choices=ApplicationEvent.Action.choices, read_only=True)
    label = serializers.CharField(source="get_action_display", read_only=True)
    reasons = serializers.CharField(read_only=True, help_text="Given when asked to fix or refused.")
    checklist = serializers.SerializerMethodField()

    class Meta:
        model = ApplicationEvent
        fields = ["action", "label", "at", "reasons", "checklist"]
        read_only_fields = fields

    @extend_schema_field(ChecklistItemSerializer(many=True))
    def get_checklist(self, event: ApplicationEvent) -> list[dict]:
        return [
            {"document": kind, "ok": bool(item.get("ok")), "note": item.get("note", "")}
            for kind, item in (event.checklist or {}).items()
            if isinstance(item, dict)
        ]


class ApplicationSerializer(serializers.ModelSerializer):
    cohort = CohortRefSerializer(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    unmet = serializers.SerializerMethodField(
        help_text="Codes of the cohort's rules not met yet (only while the file can still be "
        "changed): `cohort_not_open`, `window_not_yet_open`, `window_closed`, `nspp_required`, "
        "`earlier_cohort`, `too_young`, `too_old`, `document_missing`."
    )
    missing_fields = serializers.SerializerMethodField(
        help_text="Fields still empty that a submission needs (only while the file can still "
        "be changed); `nik` for the NIK."
    )
    events = ApplicationEventSerializer(many=True, read_only=True)

    class Meta:
        model = Application
        fields = [
            "reference",
            "cohort",
            "status",
            "status_label",
            "submitted_at",
            "decided_at",
            "unmet",
            "missing_fields",
            "events",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_unmet(self, application: Application) -> list[str]:
        if application.status not in Application.EDITABLE:
            return []
        return [unmet.code for unmet in check_eligibility(application)]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_missing_fields(self, application: Application) -> list[str]:
        if application.status not in Application.EDITABLE:
            return []
        return [unmet.field for unmet in missing_fields(application)]
