"""Django admin for milestones: for operators looking into a case. The checklist is edited on
its own page (`milestones:items`) so that levels follow every change; claims, decisions and
levels are read-only here."""

from django.contrib import admin

from opop.milestones.models import LevelChange, MilestoneItem, PesantrenLevel, PesantrenMilestone


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MilestoneItem)
class MilestoneItemAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "programme", "aspect", "level", "order", "is_active"]
    list_filter = ["programme", "level", "aspect", "is_active"]
    search_fields = ["code", "name"]


@admin.register(PesantrenMilestone)
class PesantrenMilestoneAdmin(ReadOnlyAdmin):
    list_display = ["pesantren", "item", "status", "claimed_at", "decided_at"]
    list_filter = ["programme", "status"]
    raw_id_fields = ["pesantren", "item"]


@admin.register(PesantrenLevel)
class PesantrenLevelAdmin(ReadOnlyAdmin):
    list_display = ["pesantren", "programme", "level", "reached_on", "verified_count"]
    list_filter = ["programme", "level"]


@admin.register(LevelChange)
class LevelChangeAdmin(ReadOnlyAdmin):
    list_display = ["pesantren", "from_level", "to_level", "on"]
    list_filter = ["programme", "to_level"]
