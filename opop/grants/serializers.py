"""What the grants API shows: proposals in scope (with budget lines and tranches) and the public
transparency rows.

Only institutions are named (cooperative, pesantren, kab/kota, scheme): never a person's name,
phone, NIK or bank account. Files (agreement, attachments, receipts) stay on the pages, behind
their permission checks.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from opop.common.api import RegionRefSerializer
from opop.grants.models import (
    AccountabilityReport,
    BudgetLine,
    Disbursement,
    GrantProposal,
    GrantScheme,
)
from opop.registry.serializers import CooperativeRefSerializer, PesantrenRefSerializer


class GrantSchemeRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = GrantScheme
        fields = ["id", "name", "year", "amount_per_cooperative"]
        read_only_fields = fields


class BudgetLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = BudgetLine
        fields = ["description", "amount"]
        read_only_fields = fields


class TrancheSerializer(serializers.ModelSerializer):
    report_status = serializers.SerializerMethodField(
        help_text="The accountability report (LPJ) of this tranche: `draft`, `submitted`, "
        "`returned`, `accepted`, or `null` when none was started."
    )

    class Meta:
        model = Disbursement
        fields = ["number", "amount", "paid_on", "report_status"]
        read_only_fields = fields

    def get_report_status(self, obj) -> str | None:
        try:
            return obj.report.status
        except AccountabilityReport.DoesNotExist:
            return None


class GrantProposalSerializer(serializers.ModelSerializer):
    scheme = GrantSchemeRefSerializer(read_only=True)
    cooperative = CooperativeRefSerializer(read_only=True)
    pesantren = PesantrenRefSerializer(source="cooperative.pesantren", read_only=True)
    regency = RegionRefSerializer(
        source="cooperative.pesantren.regency",
        read_only=True,
        help_text="The pesantren's kabupaten/kota.",
    )
    disbursed = serializers.IntegerField(
        source="api_disbursed", read_only=True, help_text="Paid so far (Rp), all tranches."
    )
    lines = BudgetLineSerializer(many=True, read_only=True)
    tranches = TrancheSerializer(source="disbursements", many=True, read_only=True)

    class Meta:
        model = GrantProposal
        fields = [
            "id",
            "scheme",
            "cooperative",
            "pesantren",
            "regency",
            "status",
            "plan",
            "amount_requested",
            "lines",
            "submitted_at",
            "decided_at",
            "verification_note",
            "nphd_number",
            "nphd_date",
            "agreed_amount",
            "disbursed",
            "tranches",
            "closed_on",
            "returned_amount",
        ]
        read_only_fields = fields


class ProposalFilterSerializer(serializers.Serializer):
    scheme = serializers.IntegerField(required=False, min_value=1, help_text="Scheme id.")
    status = serializers.ChoiceField(choices=GrantProposal.Status.choices, required=False)
    year = serializers.IntegerField(
        required=False, min_value=2000, max_value=2100, help_text="The scheme's programme year."
    )
    regency = serializers.RegexField(
        r"^\d{2}\.\d{2}$", required=False, help_text="Kab/kota code of the pesantren."
    )
    search = serializers.CharField(
        required=False, max_length=100, help_text="Part of the cooperative's or pesantren's name."
    )


# --- Public transparency -----------------------------------------------------------------------


class TransparencyFilterSerializer(serializers.Serializer):
    programme = serializers.SlugField(help_text="Programme code, e.g. `jatim`.")
    year = serializers.IntegerField(
        required=False, min_value=2000, max_value=2100, help_text="The scheme's programme year."
    )


class TransparencyRowSerializer(serializers.Serializer):
    """One signed grant: who received it (institutions only) and how much."""

    regency = RegionRefSerializer(help_text="Kab/kota of the recipient's pesantren.")
    cooperative = serializers.CharField(help_text="The recipient cooperative (koppontren).")
    pesantren = serializers.CharField()
    scheme = serializers.CharField()
    year = serializers.IntegerField(help_text="The scheme's programme year.")
    committed = serializers.IntegerField(help_text="Agreed in the grant agreement (NPHD), Rp.")
    disbursed = serializers.IntegerField(help_text="Paid so far, Rp.")
    status = serializers.SerializerMethodField(help_text="`running` or `closed`.")

    @extend_schema_field(serializers.ChoiceField(choices=["running", "closed"]))
    def get_status(self, row) -> str:
        return "closed" if row["status"] == GrantProposal.Status.CLOSED else "running"
