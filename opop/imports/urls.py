from django.urls import path

from opop.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("upload/", views.job_upload, name="upload"),
    path("templates/<slug:register>.xlsx", views.template_download, name="template"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/progress/", views.job_progress, name="progress"),
    path("<int:pk>/commit/", views.job_commit, name="commit"),
    path("<int:pk>/file/", views.job_file, name="file"),
]
