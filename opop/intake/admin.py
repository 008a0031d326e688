"""Django admin for intake: for operators looking into a case. Every decision goes through the
staff pages (and their services), so files, documents and history are read-only here."""

from django.contrib import admin

from opop.intake.models import (
    Application,
    ApplicationDocument,
    ApplicationEvent,
    Cohort,
    CohortQuota,
)


class CohortQuotaInline(admin.TabularInline):
    model = CohortQuota
    extra = 0
    raw_id_fields = ["regency"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "year", "pillar", "status", "total_quota"]
    list_filter = ["programme", "year", "pillar", "status"]
    search_fields = ["name"]
    inlines = [CohortQuotaInline]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class DocumentInline(ReadOnlyInline):
    model = ApplicationDocument
    fields = ["kind", "original_name", "content_type", "size", "uploaded_at"]
    readonly_fields = fields


class EventInline(ReadOnlyInline):
    model = ApplicationEvent
    fields = ["at", "action", "actor", "reasons", "checklist", "waited_seconds"]
    readonly_fields = fields


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["reference", "cohort", "status", "regency", "submitted_at", "decided_at"]
    list_filter = ["programme", "status", "cohort"]
    search_fields = ["reference"]
    inlines = [DocumentInline, EventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
