"""`/mart/reviews/`: a buyer's review of an order line, and the admins' moderation queue."""

from django.urls import path

from opop.mart.views import reviews

urlpatterns = [
    path("lines/<int:line_id>/", reviews.review_write_page, name="review_write"),
    path("moderation/", reviews.review_moderation, name="review_moderation"),
    path("moderation/<int:pk>/", reviews.review_moderate_action, name="review_moderate"),
]
