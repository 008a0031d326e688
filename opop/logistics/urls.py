from django.urls import path

from opop.logistics import views, views_agents, views_tracking

app_name = "logistics"
urlpatterns = [
    path("tariffs/", views.tariff_list, name="tariff_list"),
    path("tariffs/new/", views.tariff_create, name="tariff_create"),
    path("tariffs/<int:pk>/edit/", views.tariff_edit, name="tariff_edit"),
    path("tariffs/import/", views.tariff_import, name="tariff_import"),
    path("tariffs/export.xlsx", views.tariff_export, name="tariff_export"),
    path("agents/", views_agents.agent_list, name="agent_list"),
    path("agents/new/", views_agents.agent_create, name="agent_create"),
    path("agents/<int:pk>/edit/", views_agents.agent_edit, name="agent_edit"),
    path("commissions/", views_agents.commissions, name="commissions"),
    path("track/", views_tracking.track_lookup, name="track_lookup"),
    path("track/<str:tracking_number>/", views_tracking.track, name="track"),
    path(
        "track/<str:tracking_number>/advance/",
        views_tracking.track_advance,
        name="track_advance",
    ),
]
