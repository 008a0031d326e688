from django.urls import path

from opop.dashboard.api import CoachingDashboardView, DashboardView

urlpatterns = [
    path("dashboard/", DashboardView.as_view(), name="api-dashboard"),
    path("dashboard/coaching/", CoachingDashboardView.as_view(), name="api-dashboard-coaching"),
]
