from django.urls import path

from opop.journey import views

app_name = "journey"

urlpatterns = [
    path("pesantren/<int:pk>/", views.pesantren_journey, name="pesantren"),
]
