from django.urls import path

from opop.programmes import views

app_name = "programmes"
urlpatterns = [
    path("", views.overview, name="settings"),
    path("edit/", views.programme_edit, name="programme_edit"),
    path("years/new/", views.year_create, name="year_create"),
    path("years/<int:year>/", views.year_edit, name="year_edit"),
    path("targets/", views.targets, name="targets"),
    path("indicators/new/", views.indicator_create, name="indicator_create"),
    path("partners/", views.partner_list, name="partner_list"),
    path("partners/new/", views.partner_create, name="partner_create"),
    path("partners/<int:pk>/", views.partner_detail, name="partner_detail"),
    path("partners/<int:pk>/edit/", views.partner_edit, name="partner_edit"),
    path("partners/<int:pk>/agreements/new/", views.agreement_create, name="agreement_create"),
    path("agreements/<int:pk>/edit/", views.agreement_edit, name="agreement_edit"),
]
