"""`/intake/`: the applicant's pages (public registration, own files) and the staff's (queue,
verification, cohorts). Two modules so each side stays small."""

from django.urls import include, path

app_name = "intake"

urlpatterns = [
    path("", include("opop.intake.urls_applicant")),
    path("staff/", include("opop.intake.urls_staff")),
]
