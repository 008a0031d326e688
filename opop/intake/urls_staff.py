"""`/intake/staff/`: verification queue, files, cohorts (namespace `intake`, names `staff_*`)."""

from django.urls import path

from opop.intake.views import staff, staff_cohorts

urlpatterns = [
    path("", staff.queue, name="staff_queue"),
    path("applications/<str:reference>/", staff.application_detail, name="staff_application"),
    path(
        "applications/<str:reference>/decide/",
        staff.application_decide_view,
        name="staff_decide",
    ),
    path(
        "applications/<str:reference>/documents/<int:pk>/",
        staff.document_download,
        name="staff_document",
    ),
    path("cohorts/", staff_cohorts.cohort_list, name="staff_cohort_list"),
    path("cohorts/new/", staff_cohorts.cohort_create, name="staff_cohort_create"),
    path("cohorts/<int:pk>/", staff_cohorts.cohort_detail, name="staff_cohort_detail"),
    path("cohorts/<int:pk>/edit/", staff_cohorts.cohort_edit, name="staff_cohort_edit"),
    path("cohorts/<int:pk>/quotas/", staff_cohorts.cohort_quotas, name="staff_cohort_quotas"),
    path("cohorts/<int:pk>/accept/", staff_cohorts.cohort_accept, name="staff_cohort_accept"),
]
