from django.urls import path

from opop.registry.views import (
    cooperatives,
    enterprises,
    exports,
    participations,
    people,
    personal_data,
    pesantren,
    pickers,
)

app_name = "registry"
urlpatterns = [
    path("pick/<slug:register>/", pickers.record_pick, name="record_pick"),
    path("exports/<int:pk>/", exports.export_detail, name="export_detail"),
    path("exports/<int:pk>/file/", exports.export_file, name="export_file"),
    # Pesantren
    path("pesantren/", pesantren.pesantren_list, name="pesantren_list"),
    path("pesantren/export.xlsx", exports.pesantren_export, name="pesantren_export"),
    path("pesantren/new/", pesantren.pesantren_create, name="pesantren_create"),
    path("pesantren/<int:pk>/", pesantren.pesantren_detail, name="pesantren_detail"),
    path("pesantren/<int:pk>/edit/", pesantren.pesantren_edit, name="pesantren_edit"),
    path(
        "pesantren/<int:pk>/participations/new/",
        participations.pesantren_participation_add,
        name="pesantren_participation_add",
    ),
    # Cooperatives (koppontren)
    path("cooperatives/", cooperatives.cooperative_list, name="cooperative_list"),
    path("cooperatives/export.xlsx", exports.cooperative_export, name="cooperative_export"),
    path("cooperatives/new/", cooperatives.cooperative_create, name="cooperative_create"),
    path("cooperatives/<int:pk>/", cooperatives.cooperative_detail, name="cooperative_detail"),
    path("cooperatives/<int:pk>/edit/", cooperatives.cooperative_edit, name="cooperative_edit"),
    # People
    path("people/", people.person_list, name="person_list"),
    path("people/export.xlsx", exports.person_export, name="person_export"),
    path("people/find-by-nik/", people.person_find_by_nik, name="person_find_by_nik"),
    path("people/new/", people.person_create, name="person_create"),
    path("people/<int:pk>/", people.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", people.person_edit, name="person_edit"),
    path("people/<int:pk>/nik/", personal_data.person_reveal_nik, name="person_reveal_nik"),
    path("people/<int:pk>/data.json", personal_data.person_data_export, name="person_data_export"),
    path("people/<int:pk>/anonymise/", personal_data.person_anonymise, name="person_anonymise"),
    path(
        "people/<int:pk>/participations/new/",
        participations.person_participation_add,
        name="person_participation_add",
    ),
    path(
        "participations/<int:pk>/edit/",
        participations.participation_edit,
        name="participation_edit",
    ),
    # Enterprises
    path("enterprises/", enterprises.enterprise_list, name="enterprise_list"),
    path("enterprises/export.xlsx", exports.enterprise_export, name="enterprise_export"),
    path("enterprises/new/", enterprises.enterprise_create, name="enterprise_create"),
    path("enterprises/<int:pk>/", enterprises.enterprise_detail, name="enterprise_detail"),
    path("enterprises/<int:pk>/edit/", enterprises.enterprise_edit, name="enterprise_edit"),
]
