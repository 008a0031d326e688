from django.urls import path

from opop.visits import views

app_name = "visits"

urlpatterns = [
    path("", views.visit_list, name="list"),
    path("new/", views.visit_new, name="new"),
    path("overdue/", views.overdue, name="overdue"),
    path("<int:pk>/", views.visit_detail, name="detail"),
    path("<int:pk>/review/", views.visit_review_view, name="review"),
    path("<int:pk>/edit/", views.visit_edit, name="edit"),
    path("<int:pk>/photos/<int:photo_pk>/", views.visit_photo, name="photo"),
    path("items/<int:pk>/done/", views.item_done, name="item_done"),
]
