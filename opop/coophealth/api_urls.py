"""Cooperative-health API routes, included by `config/api_urls.py` under `/api/v1/`."""

from rest_framework.routers import SimpleRouter

from opop.coophealth import api

router = SimpleRouter()
router.register(
    "cooperative-health/reports", api.ReportViewSet, basename="api-cooperative-health-reports"
)

urlpatterns = router.urls
