from django.urls import path

from opop.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read/", views.notification_mark_read, name="mark-read"),
    path("<int:pk>/", views.notification_open, name="open"),
]
