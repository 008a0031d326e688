from django.urls import path

from opop.journey.api import PesantrenJourneyView

urlpatterns = [
    path("journey/pesantren/<int:pk>/", PesantrenJourneyView.as_view(), name="api-journey"),
]
