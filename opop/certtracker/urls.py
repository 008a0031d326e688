from django.urls import path

from opop.certtracker import views

app_name = "certtracker"

urlpatterns = [
    path("", views.board, name="board"),
    path("list/", views.track_list, name="list"),
    path("new/", views.track_start, name="start"),
    path("eligibility/halal/", views.eligibility, name="eligibility"),
    path("<int:pk>/", views.track_detail, name="detail"),
    path("<int:pk>/move/", views.track_move, name="move"),
    path("<int:pk>/renew/", views.track_renew, name="renew"),
]
