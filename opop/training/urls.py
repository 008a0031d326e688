from django.urls import path

from opop.training import views

app_name = "training"

urlpatterns = [
    path("", views.home, name="home"),
    path("organise/", views.sessions, name="sessions"),
    path("organise/trainings/new/", views.training_new, name="training_new"),
    path("organise/sessions/new/", views.session_edit, name="session_new"),
    path("organise/sessions/<int:pk>/", views.session_detail, name="session"),
    path("organise/sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("organise/sessions/<int:pk>/invite/", views.invite, name="invite"),
    path("organise/sessions/<int:pk>/enrol/", views.enrol, name="enrol"),
    path("organise/sessions/<int:pk>/checkin/", views.checkin, name="checkin"),
    path("organise/sessions/<int:pk>/scores/", views.scores, name="scores"),
    path("organise/sessions/<int:pk>/certificates/", views.certificates_issue, name="certificates"),
    path("organise/enrolments/<int:pk>/cancel/", views.enrolment_cancel, name="enrolment_cancel"),
    path(
        "organise/certificates/<int:pk>/revoke/",
        views.certificate_revoke,
        name="certificate_revoke",
    ),
    path("my/", views.my, name="my"),
    path("my/<int:pk>/", views.my_enrolment, name="my_enrolment"),
    path("my/<int:pk>/survey/", views.survey, name="survey"),
    path("certificates/<int:pk>.pdf", views.certificate_download, name="certificate_pdf"),
    path("verify/<str:code>/", views.verify, name="verify"),
]
