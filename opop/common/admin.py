from django.contrib import admin

from opop.common.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit trail can be read, never edited."""

    list_display = ["at", "actor", "programme", "action", "target_type", "target_id", "note"]
    list_filter = ["action", "programme", "target_type"]
    search_fields = ["actor__email", "note"]
    raw_id_fields = ["actor", "programme"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
