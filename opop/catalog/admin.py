from django.contrib import admin

from opop.catalog.models import Category, Certification, Curation, Product


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


class CertificationInline(admin.TabularInline):
    model = Certification
    extra = 0
    # Private files have no URL (the file widget would ask for one); they are uploaded and
    # downloaded on the product page, through its checks.
    exclude = ["document"]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "enterprise", "category", "price", "status", "programme"]
    list_filter = ["programme", "status", "category"]
    search_fields = ["name"]
    raw_id_fields = ["enterprise"]
    inlines = [CertificationInline]


@admin.register(Curation)
class CurationAdmin(admin.ModelAdmin):
    """Read-only: curations are written by the curation service from published results."""

    list_display = ["product", "grade", "valid_from", "valid_until", "revoked_at"]
    list_filter = ["grade", "product__programme"]
    search_fields = ["product__name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
