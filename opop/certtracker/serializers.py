"""What the certification API shows of a track: the product, the kind, the stored and the shown
status (with "expiring" and "expired" derived from the certificate's expiry), the certificate
once issued, and the history of moves. Who moved a track is not shown."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from opop.catalog.models import Certification, Product
from opop.certtracker import rules
from opop.certtracker.models import CertificationTrack, TrackStatus, TrackStep
from opop.common.api import RegionRefSerializer
from opop.registry.serializers import PesantrenRefSerializer

_NAMED_FIELDS: dict[str, type[serializers.ChoiceField]] = {}


def named_choice(component: str, choices, **kwargs) -> serializers.ChoiceField:
    """A read-only choice whose enum gets its own name in the schema. The certificate kinds and
    track statuses share field names (`kind`, `status`) with other enums of the API; left to
    drf-spectacular's naming they would get hashed, unstable names. One field class per name,
    so that every use of a name is the same component."""
    if component not in _NAMED_FIELDS:
        values = [value for value, _label in choices]
        if kwargs.get("allow_blank"):
            values.append("")

        @extend_schema_field({"type": "string", "enum": values}, component_name=component)
        class NamedChoiceField(serializers.ChoiceField):
            pass

        _NAMED_FIELDS[component] = NamedChoiceField
    return _NAMED_FIELDS[component](choices=choices, read_only=True, **kwargs)


class TrackProductSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = Product
        fields = ["id", "name", "enterprise_name"]
        read_only_fields = fields


class TrackCertificateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Certification
        fields = ["number", "issued_on", "expires_on"]
        read_only_fields = fields


class TrackStepSerializer(serializers.ModelSerializer):
    from_status = named_choice(
        "TrackStepFromStatus", TrackStatus.choices, allow_blank=True, help_text="Empty: started."
    )
    to_status = named_choice("TrackStatus", TrackStatus.choices)

    class Meta:
        model = TrackStep
        fields = ["from_status", "to_status", "on", "note", "authority_reference"]
        read_only_fields = fields


class CertificationTrackSerializer(serializers.ModelSerializer):
    product = TrackProductSerializer(read_only=True)
    pesantren = PesantrenRefSerializer(read_only=True, allow_null=True)
    regency = RegionRefSerializer(read_only=True, help_text="Kabupaten/kota of the enterprise.")
    kind = named_choice("TrackKind", Certification.Kind.choices)
    status = named_choice("TrackStatus", TrackStatus.choices, help_text="The stored status.")
    shown_status = named_choice(
        "TrackShownStatus",
        rules.SHOWN_STATUSES,
        source="shown",
        help_text="The status as the pages show it: an issued track is `expiring` within "
        f"{rules.EXPIRING_DAYS} days of its certificate's expiry and `expired` after it.",
    )
    certificate = TrackCertificateSerializer(
        source="certification", read_only=True, allow_null=True, help_text="Once issued."
    )
    steps = TrackStepSerializer(many=True, read_only=True, help_text="Every move, oldest first.")

    class Meta:
        model = CertificationTrack
        fields = [
            "id",
            "product",
            "pesantren",
            "regency",
            "kind",
            "status",
            "shown_status",
            "status_on",
            "submitted_on",
            "decided_on",
            "authority_reference",
            "certificate",
            "superseded",
            "renews",
            "steps",
        ]
        read_only_fields = fields


class TrackFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=rules.SHOWN_STATUSES,
        required=False,
        help_text="The shown status (see `shown_status`).",
    )
    kind = serializers.ChoiceField(choices=Certification.Kind.choices, required=False)
    regency = serializers.RegexField(
        r"^\d{2}\.\d{2}$", required=False, help_text="Kab/kota code, e.g. `35.78`."
    )
    pesantren = serializers.IntegerField(required=False, min_value=1, help_text="Pesantren id.")
