"""Grants API routes, included by `config/api_urls.py` under `/api/v1/`."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from opop.grants import api

router = SimpleRouter()
router.register("grants/proposals", api.ProposalViewSet, basename="api-grant-proposals")

urlpatterns = [
    path(
        "grants/transparency/",
        api.TransparencyView.as_view(),
        name="api-grants-transparency",
    ),
    *router.urls,
]
