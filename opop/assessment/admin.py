"""Django admin for technical support. Results, scoresheets and appeal decisions are read-only
here: they change only through the services, which keep scoring sealed and audited."""

from django.contrib import admin

from opop.assessment.models import Appeal, Criterion, Entry, Juror, Round, Stage


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


class StageInline(admin.TabularInline):
    model = Stage
    extra = 0
    fields = ["position", "name", "kind", "status", "cutoff_score", "quota", "scoring_closes_on"]
    readonly_fields = ["status"]


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["name", "purpose", "year", "programme"]
    list_filter = ["programme", "purpose", "year"]
    search_fields = ["name"]
    inlines = [CriterionInline, StageInline]


@admin.register(Juror)
class JurorAdmin(admin.ModelAdmin):
    list_display = ["user", "round", "group", "is_chair", "is_active"]
    list_filter = ["round__programme", "group", "is_active"]
    raw_id_fields = ["user", "round", "partner", "affiliations"]
    search_fields = ["user__email", "user__full_name"]


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ["title", "stage", "final_score", "rank", "outcome"]
    list_filter = ["stage__round__programme", "outcome"]
    search_fields = ["title"]
    raw_id_fields = ["stage", "product", "application", "enterprise", "pesantren", "owner"]
    readonly_fields = [
        "final_score",
        "rank",
        "criterion_results",
        "outcome",
        "decided_at",
        "previous",
        "regency",
    ]


@admin.register(Appeal)
class AppealAdmin(admin.ModelAdmin):
    list_display = ["entry", "decision", "created_at", "decided_at"]
    list_filter = ["decision"]
    readonly_fields = [
        "entry",
        "submitted_by",
        "reason",
        "decision",
        "decision_note",
        "decided_by",
        "decided_at",
        "outcome_before",
        "outcome_after",
    ]

    def has_add_permission(self, request):
        return False
