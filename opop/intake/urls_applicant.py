"""The applicant's side of `/intake/` (namespace `intake`): public cohort list and account,
then the applicant's own files, named by their reference (never personal data)."""

from django.urls import path

from opop.intake.views import applicant, applicant_file

urlpatterns = [
    path("", applicant.cohorts_open, name="cohorts_open"),
    path("register/", applicant.register, name="register"),
    path("cohorts/<int:cohort_id>/start/", applicant.start, name="start"),
    path("mine/", applicant.mine, name="mine"),
    path(
        "applications/<str:reference>/",
        applicant_file.application_detail,
        name="application_detail",
    ),
    path(
        "applications/<str:reference>/edit/",
        applicant_file.application_edit,
        name="application_edit",
    ),
    path(
        "applications/<str:reference>/withdraw/",
        applicant_file.application_withdraw,
        name="application_withdraw",
    ),
    path(
        "applications/<str:reference>/documents/",
        applicant_file.document_upload,
        name="document_upload",
    ),
    path(
        "applications/<str:reference>/documents/<slug:kind>/",
        applicant_file.document_download,
        name="document_download",
    ),
    path(
        "applications/<str:reference>/pesantren-options/",
        applicant_file.pesantren_options,
        name="pesantren_options",
    ),
]
