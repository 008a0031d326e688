"""`/assessment/`: rounds run by staff, scoresheets of jurors, results and appeals of owners."""

from django.urls import include, path

app_name = "assessment"

urlpatterns = [
    path("", include("opop.assessment.urls_staff")),
    path("", include("opop.assessment.urls_juror")),
]
