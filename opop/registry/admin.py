"""Django admin for the registry, for the operators' occasional fix. The NIK's hash and
ciphertext are never shown or editable here; the masked NIK is read-only."""

from django.contrib import admin

from opop.registry.models import Cooperative, Enterprise, Participation, Person, Pesantren


@admin.register(Pesantren)
class PesantrenAdmin(admin.ModelAdmin):
    list_display = ["name", "nspp", "programme", "regency", "status"]
    list_filter = ["programme", "status", "kind"]
    search_fields = ["name", "nspp"]
    raw_id_fields = ["regency", "district"]
    list_select_related = ["programme", "regency"]


@admin.register(Cooperative)
class CooperativeAdmin(admin.ModelAdmin):
    list_display = ["name", "nib", "pesantren", "legal_status", "status"]
    list_filter = ["programme", "legal_status", "status"]
    search_fields = ["name", "nib"]
    raw_id_fields = ["pesantren"]
    list_select_related = ["pesantren"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "nik_masked", "programme", "regency", "pesantren"]
    list_filter = ["programme", "affiliation", "gender"]
    search_fields = ["full_name"]
    raw_id_fields = ["regency", "district", "pesantren"]
    list_select_related = ["programme", "regency", "pesantren"]
    exclude = ["nik_hash", "nik_cipher"]
    readonly_fields = ["nik_masked", "anonymised_at"]
    show_full_result_count = False  # no COUNT(*) over a million people


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ["name", "sector", "owner", "pesantren", "regency", "status"]
    list_filter = ["programme", "sector", "status"]
    search_fields = ["name", "nib"]
    raw_id_fields = ["owner", "pesantren", "cooperative", "regency"]
    list_select_related = ["owner", "pesantren", "regency"]


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ["pillar", "cohort_year", "status", "person", "pesantren", "regency"]
    list_filter = ["programme", "pillar", "cohort_year", "status"]
    raw_id_fields = ["person", "pesantren", "enterprise", "regency"]
    list_select_related = ["person", "pesantren", "regency"]
    show_full_result_count = False
