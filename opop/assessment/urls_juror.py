"""`/assessment/my/` (a juror's assignments and scoresheets) and `/assessment/results/` (an
entry owner's published results and appeals)."""

from django.urls import path

from opop.assessment.views import juror, owner

urlpatterns = [
    path("my/", juror.my_assignments, name="juror_queue"),
    path("my/<int:pk>/", juror.scoresheet, name="scoresheet"),
    path("results/", owner.my_results, name="my_results"),
    path("results/<int:pk>/", owner.my_result, name="my_result"),
    path("results/<int:pk>/appeal/", owner.appeal, name="my_result_appeal"),
]
