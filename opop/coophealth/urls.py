from django.urls import path

from opop.coophealth import views

app_name = "coophealth"

urlpatterns = [
    path("", views.health_list, name="list"),
    path("export.xlsx", views.export_xlsx, name="export"),
    path("cooperatives/<int:pk>/", views.cooperative_detail, name="cooperative"),
    path("cooperatives/<int:pk>/report/", views.report_edit, name="report"),
    path("import/", views.import_start, name="import"),
    path("import/<int:pk>/", views.import_detail, name="import_detail"),
    path("import/<int:pk>/commit/", views.import_commit, name="import_commit"),
]
