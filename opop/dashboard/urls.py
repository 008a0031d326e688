from django.urls import path

from opop.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.programme_dashboard, name="programme"),
]
