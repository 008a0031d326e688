"""`/grants/`: schemes, proposals, tranches, accountability reports, loans and the public
transparency page (namespace `grants`)."""

from django.urls import path

from opop.grants import views

app_name = "grants"

urlpatterns = [
    path("", views.home, name="home"),
    path("transparency/", views.transparency, name="transparency"),
    path("schemes/new/", views.scheme_edit, name="scheme_create"),
    path("schemes/<int:pk>/", views.scheme_detail, name="scheme_detail"),
    path("schemes/<int:pk>/edit/", views.scheme_edit, name="scheme_edit"),
    path("schemes/<int:scheme_pk>/propose/", views.proposal_create, name="proposal_create"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("proposals/<int:pk>/edit/", views.proposal_edit, name="proposal_edit"),
    path("proposals/<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path(
        "proposals/<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path("proposals/<int:pk>/submit/", views.proposal_submit, name="proposal_submit"),
    path("proposals/<int:pk>/verify/", views.proposal_verify, name="proposal_verify"),
    path("proposals/<int:pk>/agreement/", views.agreement_record, name="agreement_record"),
    path(
        "proposals/<int:pk>/agreement/document/",
        views.agreement_document,
        name="agreement_document",
    ),
    path("proposals/<int:pk>/disburse/", views.tranche_disburse, name="tranche_disburse"),
    path("proposals/<int:pk>/close/", views.proposal_close, name="proposal_close"),
    path("proposals/<int:pk>/tranches/<int:number>/report/", views.report, name="report"),
    path(
        "proposals/<int:pk>/tranches/<int:number>/receipts/",
        views.receipt_add,
        name="receipt_add",
    ),
    path(
        "proposals/<int:pk>/tranches/<int:number>/receipts/<int:receipt_pk>/",
        views.receipt_file,
        name="receipt_file",
    ),
    path(
        "proposals/<int:pk>/tranches/<int:number>/receipts/<int:receipt_pk>/delete/",
        views.receipt_delete,
        name="receipt_delete",
    ),
    path(
        "proposals/<int:pk>/tranches/<int:number>/decide/",
        views.report_decide,
        name="report_decide",
    ),
    path("loans/", views.loan_list, name="loan_list"),
    path("loans/<int:pk>/status/", views.loan_move, name="loan_move"),
]
