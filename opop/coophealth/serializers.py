"""What the cooperative-health API shows: a cooperative's yearly report (members, capital,
business volume, SHU, RAT date) and the cooperative's status derived from its reports.

Who typed or imported a report is not shown; nor are any of the cooperative's people.
"""

from __future__ import annotations

from rest_framework import serializers

from opop.common.api import RegionRefSerializer
from opop.coophealth import status as health
from opop.coophealth.models import CooperativeHealth, CooperativeReport
from opop.registry.serializers import CooperativeRefSerializer, PesantrenRefSerializer


class CooperativeReportSerializer(serializers.ModelSerializer):
    cooperative = CooperativeRefSerializer(read_only=True)
    pesantren = PesantrenRefSerializer(source="cooperative.pesantren", read_only=True)
    regency = RegionRefSerializer(
        source="cooperative.pesantren.regency",
        read_only=True,
        help_text="The pesantren's kabupaten/kota.",
    )
    rat_held = serializers.BooleanField(read_only=True)
    is_active = serializers.BooleanField(
        read_only=True, help_text="This report shows an RAT held and business done."
    )
    cooperative_status = serializers.SerializerMethodField(
        help_text="The cooperative's status this year, from all its reports: `active` (an "
        "active report for last year or this year), `inactive` (reported for one of those "
        "years, but not active) or `no_report`."
    )

    class Meta:
        model = CooperativeReport
        fields = [
            "id",
            "cooperative",
            "pesantren",
            "regency",
            "year",
            "members_total",
            "members_women",
            "own_capital",
            "external_capital",
            "business_volume",
            "surplus",
            "assets",
            "rat_date",
            "rat_held",
            "is_active",
            "cooperative_status",
            "source",
            "updated_at",
        ]
        read_only_fields = fields

    def get_cooperative_status(self, obj) -> str:
        try:
            summary = obj.cooperative.health
        except CooperativeHealth.DoesNotExist:
            return health.NO_REPORT
        return health.status_from(
            summary.latest_year, summary.latest_active_year, year=health.this_year()
        )


class ReportFilterSerializer(serializers.Serializer):
    year = serializers.IntegerField(
        required=False, min_value=2000, max_value=2100, help_text="Book year."
    )
    regency = serializers.RegexField(
        r"^\d{2}\.\d{2}$", required=False, help_text="Kab/kota code of the pesantren."
    )
    cooperative = serializers.IntegerField(
        required=False, min_value=1, help_text="Only this cooperative's reports (its id)."
    )
