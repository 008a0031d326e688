from django.urls import path

from opop.dashboard import views, views_coaching

app_name = "dashboard"
urlpatterns = [
    path("", views.programme_dashboard, name="programme"),
    path("coaching/", views_coaching.coaching_dashboard, name="coaching"),
]
