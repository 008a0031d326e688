"""Visits API routes, included by `config/api_urls.py` under `/api/v1/`."""

from rest_framework.routers import SimpleRouter

from opop.visits import api

router = SimpleRouter()
router.register("visits", api.VisitViewSet, basename="api-visits")

urlpatterns = router.urls
