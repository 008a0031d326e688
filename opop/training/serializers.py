"""What the training API shows of sessions and enrolments, and the filters its lists take.

Personal data: a participant appears by id and name only (as on the organiser's session page);
no NIK, phone, address or birth date. The check-in code is shown only to its holder, as on
their own enrolment page, while it can still be used.
"""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from opop.common.api import RegionRefSerializer
from opop.registry.serializers import PersonRefSerializer
from opop.training import selectors
from opop.training.certificate import verify_url
from opop.training.models import Enrolment, Session, Training


class TrainingRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Training
        fields = ["id", "name", "kind", "year", "organiser_name"]
        read_only_fields = fields


class TrainingSessionSerializer(serializers.ModelSerializer):
    training = TrainingRefSerializer(read_only=True)
    regency = RegionRefSerializer(
        read_only=True,
        allow_null=True,
        help_text="Where it is held; `null` = online or province-wide.",
    )
    need_tags = serializers.ListField(
        source="need_tag_list", child=serializers.CharField(), read_only=True
    )
    enrolled = serializers.IntegerField(
        source="api_enrolled", read_only=True, help_text="Places taken (enrolled)."
    )
    attended = serializers.IntegerField(
        source="api_attended", read_only=True, help_text="Participants checked in."
    )
    # A plain string: an enum of the pillars is already in the schema under another name.
    target_pillar = serializers.CharField(
        read_only=True,
        help_text="`santripreneur`, `pesantrenpreneur`, `sociopreneur`, or empty for anyone.",
    )

    class Meta:
        model = Session
        fields = [
            "id",
            "title",
            "training",
            "starts_at",
            "ends_at",
            "place",
            "online_link",
            "regency",
            "capacity",
            "enrolled",
            "attended",
            "uses_tests",
            "status",
            "target_pillar",
            "need_tags",
            "survey_after_months",
        ]
        read_only_fields = fields


class SessionRefSerializer(serializers.ModelSerializer):
    training_name = serializers.CharField(source="training.name", read_only=True)

    class Meta:
        model = Session
        fields = ["id", "title", "training_name", "starts_at", "ends_at", "place"]
        read_only_fields = fields


class TrainingCertificateSerializer(serializers.Serializer):
    number = serializers.CharField()
    issued_at = serializers.DateTimeField()
    is_valid = serializers.BooleanField(help_text="False once revoked.")
    revoked_at = serializers.DateTimeField(allow_null=True)
    verify_url = serializers.URLField(
        help_text="The public verification page, the target of the certificate's QR code."
    )
    pdf_url = serializers.URLField(help_text="The PDF (login needed: its holder or organiser).")


class EnrolmentSerializer(serializers.ModelSerializer):
    session = SessionRefSerializer(read_only=True)
    person = PersonRefSerializer(read_only=True, help_text="The participant, by name only.")
    certificate = serializers.SerializerMethodField()
    checkin_code = serializers.SerializerMethodField(
        help_text="The code of the participant's QR, for its holder only while it can still "
        "be used (enrolled, not yet checked in); `null` otherwise."
    )

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "session",
            "person",
            "status",
            "invited_at",
            "enrolled_at",
            "checked_in_at",
            "pre_score",
            "post_score",
            "certificate",
            "checkin_code",
        ]
        read_only_fields = fields

    @extend_schema_field(TrainingCertificateSerializer(allow_null=True))
    def get_certificate(self, obj) -> dict | None:
        certificate = selectors.certificate_of(obj)
        if certificate is None:
            return None
        request = self.context.get("request")
        pdf = reverse("training:certificate_pdf", args=[certificate.pk])
        return {
            "number": certificate.number,
            "issued_at": certificate.issued_at,
            "is_valid": certificate.is_valid,
            "revoked_at": certificate.revoked_at,
            "verify_url": verify_url(certificate),
            "pdf_url": request.build_absolute_uri(pdf) if request else pdf,
        }

    def get_checkin_code(self, obj) -> str | None:
        access = self.context.get("access")
        own = bool(access) and access.membership.person_id == obj.person_id
        usable = obj.status == Enrolment.Status.ENROLLED and obj.checked_in_at is None
        return obj.checkin_code if own and usable else None


class SessionFilterSerializer(serializers.Serializer):
    upcoming = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Only sessions not yet over, soonest first (default: newest first).",
    )
    year = serializers.IntegerField(
        required=False, min_value=2000, max_value=2100, help_text="Sessions starting that year."
    )
    regency = serializers.RegexField(
        r"^\d{2}\.\d{2}$", required=False, help_text="Kab/kota code where it is held."
    )
    status = serializers.ChoiceField(choices=Session.Status.choices, required=False)


class EnrolmentFilterSerializer(serializers.Serializer):
    session = serializers.IntegerField(required=False, min_value=1, help_text="Session id.")
    status = serializers.ChoiceField(choices=Enrolment.Status.choices, required=False)
    year = serializers.IntegerField(
        required=False, min_value=2000, max_value=2100, help_text="Sessions starting that year."
    )
