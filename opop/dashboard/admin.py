from django.contrib import admin

from opop.dashboard.models import DashboardState


@admin.register(DashboardState)
class DashboardStateAdmin(admin.ModelAdmin):
    """How fresh each programme's dashboard figures are. Refresh with `refresh_dashboard`."""

    list_display = ["programme", "refreshed_at", "refreshed_version", "dirty_version"]
    readonly_fields = list_display

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
