"""`GET /api/v1/dashboard/`: the dashboard's figures as JSON, scoped like the page."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from opop.accounts.access import access_for
from opop.dashboard import selectors
from opop.dashboard.coaching import coaching_figures
from opop.dashboard.views import figures_for, parse_year


class ProgressSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    target = serializers.IntegerField(allow_null=True, help_text="null when no target is set")
    percent = serializers.FloatField(allow_null=True)


class PillarSerializer(serializers.Serializer):
    pillar = serializers.CharField()
    label = serializers.CharField()
    year = ProgressSerializer(help_text="Participations of the chosen cohort year.")
    cumulative = ProgressSerializer(
        help_text="Participations of cohorts up to the chosen year, against the overall target."
    )
    flagship = ProgressSerializer(
        allow_null=True,
        help_text="Pesantrenpreneur only (null for the others): products curated today "
        "(Produk Unggulan OPOP) against the flagship-product target.",
    )


class CurationSerializer(serializers.Serializer):
    submitted = serializers.IntegerField(help_text="Waiting for curation, not scored yet.")
    in_review = serializers.IntegerField(help_text="Being scored, or between stages.")
    decided = serializers.IntegerField(help_text="Decided in the chosen year.")
    passed = serializers.IntegerField()
    not_passed = serializers.IntegerField()
    median_days = serializers.FloatField(
        allow_null=True, help_text="Median days from entry to decision (decided in the year)."
    )
    curated_now = serializers.IntegerField(help_text="Products curated and valid today.")


class LegalStatusSerializer(serializers.Serializer):
    legal_status = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class RegencySerializer(serializers.Serializer):
    code = serializers.CharField(allow_null=True, help_text="Kemendagri code; null: unknown")
    name = serializers.CharField()
    santripreneur = serializers.IntegerField()
    pesantrenpreneur = serializers.IntegerField()
    sociopreneur = serializers.IntegerField()
    cooperatives = serializers.IntegerField()
    pesantren = serializers.IntegerField()


class DashboardSerializer(serializers.Serializer):
    programme = serializers.CharField(help_text="programme code")
    year = serializers.IntegerField()
    years = serializers.ListField(child=serializers.IntegerField())
    scope = serializers.ChoiceField(
        choices=["programme", "regency", "own"],
        help_text="programme: the whole programme; regency: the caller's kab/kota; "
        "own: the pesantren or record the caller is responsible for",
    )
    as_of = serializers.DateTimeField(allow_null=True, help_text="when the figures were counted")
    pending = serializers.BooleanField(help_text="newer registry changes are being counted")
    pillars = PillarSerializer(many=True)
    cooperatives_total = serializers.IntegerField()
    cooperatives = LegalStatusSerializer(many=True)
    regencies = RegencySerializer(many=True)
    totals = RegencySerializer()
    curation = CurationSerializer(help_text="Curation backlog and curated products, in scope.")


def dashboard_access(request):
    """The caller's access in `?programme=` and the `?year=` asked for (default: this year);
    400 for a missing programme or a bad year, 403 without a role that reads dashboards."""
    code = request.query_params.get("programme", "").strip()
    if not code:
        raise ValidationError({"programme": [_("Give the programme code.")]})
    raw_year = request.query_params.get("year")
    year = parse_year(raw_year) if raw_year else selectors.dashboard_default_year()
    if year is None:
        raise ValidationError({"year": [_("Give a year between 2000 and 2100.")]})
    access = access_for(request.user, programme_code=code)
    if not access or not access.reads_dashboard:
        raise PermissionDenied(_("You have no role in this programme that reads dashboards."))
    return access, year


def _progress(progress) -> dict | None:
    if progress is None:
        return None
    return {"count": progress.count, "target": progress.target, "percent": progress.percent}


def _curation(backlog) -> dict:
    return {
        "submitted": backlog.submitted,
        "in_review": backlog.in_review,
        "decided": backlog.decided,
        "passed": backlog.passed,
        "not_passed": backlog.not_passed,
        "median_days": backlog.median_days,
        "curated_now": backlog.curated_now,
    }


def _regency(row) -> dict:
    return {
        "code": row.code,
        "name": row.name,
        **row.pillars,
        "cooperatives": row.cooperatives,
        "pesantren": row.pesantren,
    }


# The query parameters and refusals both dashboard endpoints share.
PARAMETERS = [
    OpenApiParameter(
        "programme",
        str,
        required=True,
        description="Programme code, e.g. `jatim`. The caller needs a role in it that "
        "reads dashboards.",
    ),
    OpenApiParameter("year", int, description="Year; default: the current year."),
]
REFUSALS = {
    400: OpenApiResponse(description="`programme` missing or `year` not a year"),
    401: OpenApiResponse(description="not authenticated"),
    403: OpenApiResponse(description="no role in the programme that reads dashboards"),
}


class DashboardView(APIView):
    """Programme figures: counts per pillar against yearly and overall targets, cooperatives by
    legal status, everything by kab/kota, and the curation backlog. Scoped to the caller's role
    in the programme: a regional officer gets their kab/kota, a partner the programme's
    aggregates."""

    @extend_schema(
        operation_id="dashboard_retrieve",
        parameters=PARAMETERS,
        responses={200: DashboardSerializer, **REFUSALS},
    )
    def get(self, request):
        access, year = dashboard_access(request)
        dashboard = figures_for(access, year)
        data = {
            "programme": access.programme.code,
            "year": dashboard.year,
            "years": selectors.dashboard_years(access, year=year),
            "scope": dashboard.scope,
            "as_of": dashboard.as_of,
            "pending": dashboard.pending,
            "pillars": [
                {
                    "pillar": p.pillar,
                    "label": p.label,
                    "year": _progress(p.year),
                    "cumulative": _progress(p.cumulative),
                    "flagship": _progress(p.flagship),
                }
                for p in dashboard.pillars
            ],
            "cooperatives_total": dashboard.cooperatives_total,
            "cooperatives": [
                {"legal_status": c.legal_status, "label": c.label, "count": c.count}
                for c in dashboard.cooperatives
            ],
            "regencies": [_regency(row) for row in dashboard.regencies],
            "totals": _regency(dashboard.totals),
            "curation": _curation(dashboard.curation),
        }
        return Response(DashboardSerializer(data).data)


# --- Coaching (issue 5, point 8) -------------------------------------------------------------


class CoachingTrainingFiguresSerializer(serializers.Serializer):
    sessions = serializers.IntegerField(help_text="Sessions held in the year (someone attended).")
    attendees = serializers.IntegerField(help_text="Attendances checked in.")
    certificates = serializers.IntegerField(help_text="Training certificates issued, not revoked.")


class CoachingCertificationFiguresSerializer(serializers.Serializer):
    issued_in_year = serializers.IntegerField(help_text="Certifications issued in the year.")
    expiring_90_days = serializers.IntegerField(help_text="Certificates expiring within 90 days.")
    current = serializers.IntegerField(help_text="Current tracks, every status.")


class CoachingGrantFiguresSerializer(serializers.Serializer):
    committed_count = serializers.IntegerField(help_text="Grants with NPHD signed in the year.")
    committed_amount = serializers.IntegerField(help_text="Their agreed amounts (Rp).")
    disbursed_count = serializers.IntegerField(help_text="Grants paid a tranche in the year.")
    disbursed_amount = serializers.IntegerField(help_text="Tranches paid in the year (Rp).")


class CoachingCooperativeFiguresSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text="Active cooperatives today.")
    by_legal_status = LegalStatusSerializer(many=True)


class CoachingLevelCountSerializer(serializers.Serializer):
    level = serializers.IntegerField()
    label = serializers.CharField()
    pesantren = serializers.IntegerField()


class CoachingLevelFiguresSerializer(serializers.Serializer):
    pesantren = serializers.IntegerField()
    level_3_up = serializers.IntegerField(help_text="Pesantren at level 3 (self-reliant) or 4.")
    by_level = CoachingLevelCountSerializer(many=True)
    level_ups_in_year = serializers.IntegerField()


class CoachingHealthFiguresSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    active = serializers.IntegerField()
    inactive = serializers.IntegerField()
    no_report = serializers.IntegerField()


class CoachingVisitFiguresSerializer(serializers.Serializer):
    visits = serializers.IntegerField(help_text="Visits made in the year.")
    waiting_review = serializers.IntegerField()
    overdue_action_items = serializers.IntegerField()


class CoachingRegencySerializer(serializers.Serializer):
    code = serializers.CharField(
        allow_null=True, help_text="Kemendagri code; null: online trainings or kab/kota unknown"
    )
    name = serializers.CharField()
    label = serializers.CharField(help_text="Short name for tables")
    sessions = serializers.IntegerField(allow_null=True)
    attendees = serializers.IntegerField(allow_null=True)
    training_certificates = serializers.IntegerField(allow_null=True)
    certifications_issued = serializers.IntegerField(allow_null=True)
    grants_committed = serializers.IntegerField(allow_null=True, help_text="Rp")
    grants_disbursed = serializers.IntegerField(allow_null=True, help_text="Rp")
    cooperatives_incorporated = serializers.IntegerField(allow_null=True)
    pesantren_level_3_up = serializers.IntegerField(allow_null=True)
    visits = serializers.IntegerField(allow_null=True)


def _section(serializer_class, help_text: str):
    return serializer_class(allow_null=True, help_text=f"{help_text} null: not for this role.")


class CoachingDashboardSerializer(serializers.Serializer):
    programme = serializers.CharField(help_text="programme code")
    year = serializers.IntegerField()
    years = serializers.ListField(child=serializers.IntegerField())
    scope = serializers.ChoiceField(
        choices=["programme", "regency", "own"],
        help_text="programme: the whole programme; regency: the caller's kab/kota; "
        "own: the pesantren or record the caller is responsible for",
    )
    regency_name = serializers.CharField(allow_null=True, help_text="the officer's kab/kota")
    training = _section(CoachingTrainingFiguresSerializer, "Trainings held in the year.")
    certifications = _section(CoachingCertificationFiguresSerializer, "Product certifications.")
    grants = _section(CoachingGrantFiguresSerializer, "Grants committed and disbursed in the year.")
    cooperatives = _section(CoachingCooperativeFiguresSerializer, "Cooperatives by legal status.")
    levels = _section(CoachingLevelFiguresSerializer, "Pesantren by milestone level, today.")
    health = _section(CoachingHealthFiguresSerializer, "Cooperatives active, inactive, no report.")
    visits = _section(CoachingVisitFiguresSerializer, "Facilitator visits in the year.")
    columns = serializers.ListField(
        child=serializers.CharField(),
        help_text="The by-kab/kota columns filled for this role (the others are null).",
    )
    regencies = CoachingRegencySerializer(many=True)
    totals = CoachingRegencySerializer()


class CoachingDashboardView(APIView):
    """Coaching figures for a year: trainings held and attendees, certificates issued, grants
    committed and disbursed, cooperatives by legal status, pesantren by level, cooperative
    health and visits, with one table by kab/kota. Scoped like `/api/v1/dashboard/`; a section
    the caller's role may not read in its own app (e.g. grants for a partner) is null."""

    @extend_schema(
        operation_id="dashboard_coaching_retrieve",
        parameters=PARAMETERS,
        responses={200: CoachingDashboardSerializer, **REFUSALS},
    )
    def get(self, request):
        access, year = dashboard_access(request)
        data = {
            "programme": access.programme.code,
            "years": selectors.dashboard_years(access, year=year),
            **coaching_figures(access, year=year),
        }
        return Response(CoachingDashboardSerializer(data).data)
