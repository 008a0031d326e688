from django.contrib import admin

from opop.catalog.models import Category, Certification, Product


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


class CertificationInline(admin.TabularInline):
    model = Certification
    extra = 0


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "enterprise", "category", "price", "status", "programme"]
    list_filter = ["programme", "status", "category"]
    search_fields = ["name"]
    raw_id_fields = ["enterprise"]
    inlines = [CertificationInline]
