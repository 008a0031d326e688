from django.contrib import admin

from opop.logistics.models import PostAgent, Shipment, ShipmentEvent, Tariff


@admin.register(PostAgent)
class PostAgentAdmin(admin.ModelAdmin):
    list_display = ["agent_code", "pesantren", "regency", "commission_bp", "is_active", "programme"]
    list_filter = ["programme", "is_active"]
    search_fields = ["agent_code", "pesantren__name"]
    raw_id_fields = ["pesantren", "regency"]


@admin.register(Tariff)
class TariffAdmin(admin.ModelAdmin):
    list_display = ["origin", "destination", "first_kg", "next_kg", "days", "programme"]
    list_filter = ["programme"]
    raw_id_fields = ["origin", "destination"]


class ShipmentEventInline(admin.TabularInline):
    model = ShipmentEvent
    extra = 0
    readonly_fields = ["status", "description", "location", "at", "external_id"]
    can_delete = False


@admin.register(Shipment)
class ShipmentAdmin(admin.ModelAdmin):
    # Read-only: shipments change only through the services (tracking events, idempotency).
    list_display = ["tracking_number", "order", "agent", "status", "fee", "provider", "created_at"]
    list_filter = ["status", "provider"]
    search_fields = ["tracking_number", "order__number"]
    inlines = [ShipmentEventInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
