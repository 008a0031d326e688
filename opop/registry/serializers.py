"""What the registry API shows of each record, and which filters its lists take.

Personal data: the NIK is never in clear (only `nik_masked`); phone, e-mail, address and birth
data are masked for roles that do not see contact data (`ContactCharField`), never omitted, so
the shape of a record is the same for every caller.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from opop.common import pii
from opop.common.api import (
    ContactCharField,
    ContactDateField,
    ContactMaskedField,
    RegionRefSerializer,
)
from opop.programmes.models import Pillar
from opop.registry import filters
from opop.registry.models import (
    Cooperative,
    Enterprise,
    Participation,
    Person,
    Pesantren,
    RecordStatus,
)

# --- References to related records ---------------------------------------------------------


class PesantrenRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Pesantren
        fields = ["id", "name"]
        read_only_fields = fields


class CooperativeRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Cooperative
        fields = ["id", "name"]
        read_only_fields = fields


class PersonRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = ["id", "full_name"]
        read_only_fields = fields


class PersonParticipationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Participation
        fields = ["pillar", "cohort_year", "status"]
        read_only_fields = fields


# --- Records --------------------------------------------------------------------------------


def _blank_choice(choices, help_text: str = "") -> serializers.ChoiceField:
    """A read-only choice that may be empty (`""` = not recorded)."""
    return serializers.ChoiceField(
        choices=choices, allow_blank=True, read_only=True, help_text=help_text or None
    )


class PesantrenSerializer(serializers.ModelSerializer):
    kind = _blank_choice(Pesantren.Kind.choices, "Empty when not recorded.")
    regency = RegionRefSerializer(read_only=True, help_text="Kabupaten/kota.")
    district = RegionRefSerializer(read_only=True, allow_null=True, help_text="Kecamatan.")
    address = ContactCharField()
    phone = ContactCharField(masker=pii.mask_phone)
    email = ContactCharField(masker=pii.mask_email)
    contact_masked = ContactMaskedField()

    class Meta:
        model = Pesantren
        fields = [
            "id",
            "nspp",
            "name",
            "kind",
            "regency",
            "district",
            "address",
            "leader_name",
            "phone",
            "email",
            "contact_masked",
            "founded_year",
            "santri_count",
            "status",
            "updated_at",
        ]
        read_only_fields = fields


class CooperativeSerializer(serializers.ModelSerializer):
    pesantren = PesantrenRefSerializer(read_only=True)
    regency = RegionRefSerializer(
        source="pesantren.regency", read_only=True, help_text="The pesantren's kabupaten/kota."
    )

    class Meta:
        model = Cooperative
        fields = [
            "id",
            "name",
            "pesantren",
            "regency",
            "legal_status",
            "legal_number",
            "legal_date",
            "nik_koperasi",
            "nib",
            "npwp",
            "chair_name",
            "members_count",
            "status",
            "updated_at",
        ]
        read_only_fields = fields


class PersonSerializer(serializers.ModelSerializer):
    nik_masked = serializers.CharField(
        read_only=True,
        help_text="NIK masked as `3578••••••••0001`. The API never returns a NIK in clear.",
    )
    gender = _blank_choice(Person.Gender.choices, "L = male, P = female; empty when unknown.")
    affiliation = _blank_choice(Person.Affiliation.choices, "Empty when not recorded.")
    birth_date = ContactDateField()
    birth_place = ContactCharField()
    phone = ContactCharField(masker=pii.mask_phone)
    email = ContactCharField(masker=pii.mask_email)
    address = ContactCharField()
    contact_masked = ContactMaskedField()
    regency = RegionRefSerializer(read_only=True, allow_null=True, help_text="Kabupaten/kota.")
    district = RegionRefSerializer(read_only=True, allow_null=True, help_text="Kecamatan.")
    pesantren = PesantrenRefSerializer(read_only=True, allow_null=True)
    participations = PersonParticipationSerializer(
        many=True, read_only=True, help_text="The pillars this person takes part in."
    )

    class Meta:
        model = Person
        fields = [
            "id",
            "full_name",
            "nik_masked",
            "gender",
            "birth_date",
            "birth_place",
            "phone",
            "email",
            "address",
            "contact_masked",
            "regency",
            "district",
            "pesantren",
            "affiliation",
            "participations",
            "updated_at",
        ]
        read_only_fields = fields


class EnterpriseSerializer(serializers.ModelSerializer):
    owner = PersonRefSerializer(read_only=True, allow_null=True)
    pesantren = PesantrenRefSerializer(read_only=True, allow_null=True)
    cooperative = CooperativeRefSerializer(read_only=True, allow_null=True)
    regency = RegionRefSerializer(read_only=True, help_text="Kabupaten/kota.")
    monthly_revenue = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Whole Rupiah."
    )

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "name",
            "sector",
            "description",
            "nib",
            "owner",
            "pesantren",
            "cooperative",
            "regency",
            "started_year",
            "employees",
            "monthly_revenue",
            "status",
            "updated_at",
        ]
        read_only_fields = fields


# --- List filters (query parameters) --------------------------------------------------------
#
# The API applies the same filter forms as the registry pages (`opop.registry.filters`), so a
# list means the same thing in both. These serializers only type the parameters for OpenAPI and
# refuse bad values with a 400 (the pages silently drop them instead).


def _ordering(page_filter) -> serializers.ChoiceField:
    choices = [
        choice
        for key in page_filter.sorts
        for choice in ((key, f"{key}, ascending"), (f"-{key}", f"{key}, descending"))
    ]
    return serializers.ChoiceField(
        choices=choices,
        required=False,
        help_text="Sort key, as on the pages; `-` in front sorts descending. Default: by name.",
    )


def _refuse_nik(text: str) -> str:
    cleaned = re.sub(r"[\s.\-]", "", text)
    if len(cleaned) == 16 and cleaned.isdigit():
        raise serializers.ValidationError(
            _("The API does not search by NIK: a NIK must not travel in a URL.")
        )
    return text


class RegistryFilterSerializer(serializers.Serializer):
    regency = serializers.RegexField(
        r"^\d{2}\.\d{2}$",
        required=False,
        help_text="Kab/kota code, e.g. `35.78` (Kota Surabaya).",
    )
    search = serializers.CharField(
        required=False, max_length=100, help_text="Part of the name, any case."
    )
    pillar = serializers.ChoiceField(choices=Pillar.choices, required=False)
    status = serializers.ChoiceField(choices=RecordStatus.choices, required=False)
    cohort_year = serializers.IntegerField(
        required=False,
        min_value=2000,
        max_value=2100,
        help_text="With a participation from this cohort (angkatan) year.",
    )
    pesantren = serializers.IntegerField(
        required=False, min_value=1, help_text="Only records of this pesantren (its id)."
    )

    def validate_search(self, value: str) -> str:
        return _refuse_nik(value)


class PesantrenFilterSerializer(RegistryFilterSerializer):
    search = serializers.CharField(
        required=False,
        max_length=100,
        help_text="Part of the name (any case), or the first digits of the NSPP.",
    )
    pillar = serializers.ChoiceField(
        choices=Pillar.choices,
        required=False,
        help_text="Pesantren taking part in this pillar themselves (pesantrenpreneur) or "
        "through their people (santripreneur, sociopreneur).",
    )
    ordering = _ordering(filters.PesantrenFilter)


class CooperativeFilterSerializer(RegistryFilterSerializer):
    regency = serializers.RegexField(
        r"^\d{2}\.\d{2}$", required=False, help_text="Kab/kota code of the pesantren."
    )
    search = serializers.CharField(
        required=False,
        max_length=100,
        help_text="Part of the name (any case), or the first digits of the NIB.",
    )
    pillar = serializers.ChoiceField(
        choices=Pillar.choices,
        required=False,
        help_text="Cooperatives whose pesantren takes part in this pillar, itself or through "
        "its people.",
    )
    ordering = _ordering(filters.CooperativeFilter)


class PersonFilterSerializer(RegistryFilterSerializer):
    search = serializers.CharField(
        required=False,
        max_length=100,
        help_text="Part of the full name, any case. A NIK is refused (400): it must not travel "
        "in a URL, which ends up in access logs.",
    )
    pillar = serializers.ChoiceField(
        choices=Pillar.choices, required=False, help_text="Taking part in this pillar."
    )
    status = serializers.ChoiceField(
        choices=Participation.Status.choices,
        required=False,
        help_text="Status of the participation (people have no record status). With `pillar` "
        "and `cohort_year`, all must hold for the same participation.",
    )
    ordering = _ordering(filters.PersonFilter)


class EnterpriseFilterSerializer(RegistryFilterSerializer):
    search = serializers.CharField(
        required=False,
        max_length=100,
        help_text="Part of the name (any case), or the whole 13-digit NIB.",
    )
    pillar = serializers.ChoiceField(
        choices=Pillar.choices,
        required=False,
        help_text="Enterprises in this pillar themselves, through their owner, or through "
        "their pesantren (pesantrenpreneur).",
    )
    pesantren = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="Enterprises of this pesantren or of its people (pesantren id).",
    )
    ordering = _ordering(filters.EnterpriseFilter)
