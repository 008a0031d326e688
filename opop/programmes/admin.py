from django.contrib import admin

from opop.programmes.models import (
    Indicator,
    Partner,
    PartnerAgreement,
    Programme,
    ProgrammeYear,
    YearlyTarget,
)


class ProgrammeYearInline(admin.TabularInline):
    model = ProgrammeYear
    extra = 0


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ["code", "name", "pillar", "unit", "overall_target", "position"]
    show_change_link = True


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "province", "started_year", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]
    raw_id_fields = ["province"]
    inlines = [ProgrammeYearInline, IndicatorInline]


class YearlyTargetInline(admin.TabularInline):
    model = YearlyTarget
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "code", "pillar", "overall_target", "position"]
    list_filter = ["programme", "pillar"]
    search_fields = ["code", "name"]
    inlines = [YearlyTargetInline]


class PartnerAgreementInline(admin.StackedInline):
    model = PartnerAgreement
    extra = 0


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "kind", "contact_name"]
    list_filter = ["programme", "kind"]
    search_fields = ["name", "contact_name"]
    inlines = [PartnerAgreementInline]


@admin.register(PartnerAgreement)
class PartnerAgreementAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "partner", "starts_on", "ends_on"]
    list_filter = ["partner__programme"]
    search_fields = ["number", "title", "partner__name"]
    list_select_related = ["partner"]
    date_hierarchy = "starts_on"
