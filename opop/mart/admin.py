from django.contrib import admin

from opop.mart.models import StockLevel


@admin.register(StockLevel)
class StockLevelAdmin(admin.ModelAdmin):
    list_display = ["product", "on_hand", "reserved", "updated_at"]
    raw_id_fields = ["product"]
    # Reservations are written only by checkouts and payments, under row locks.
    readonly_fields = ["reserved"]
