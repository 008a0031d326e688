from django.contrib import admin

from opop.regions.models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    """Reference data loaded by `load_regions`: read-only here."""

    list_display = ["code", "name", "kind", "level", "parent"]
    list_filter = ["level", "kind"]
    search_fields = ["code", "name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
