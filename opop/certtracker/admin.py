from django.contrib import admin

from opop.certtracker.models import CertificationTrack, ExpiryReminder, TrackStep


class TrackStepInline(admin.TabularInline):
    model = TrackStep
    extra = 0
    raw_id_fields = ("actor",)


@admin.register(CertificationTrack)
class CertificationTrackAdmin(admin.ModelAdmin):
    list_display = ("product", "kind", "status", "status_on", "superseded", "regency")
    list_filter = ("kind", "status", "superseded")
    raw_id_fields = ("product", "certification", "renews", "pesantren", "created_by")
    inlines = [TrackStepInline]


@admin.register(ExpiryReminder)
class ExpiryReminderAdmin(admin.ModelAdmin):
    list_display = ("certification", "threshold_days", "expires_on", "sent_at", "recipients")
    raw_id_fields = ("certification",)
