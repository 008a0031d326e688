"""Intake API routes, included by `config/api_urls.py` under `/api/v1/`."""

from rest_framework.routers import SimpleRouter

from opop.intake import api

router = SimpleRouter()
router.register("intake/cohorts", api.OpenCohortViewSet, basename="api-intake-cohorts")
router.register("intake/applications", api.MyApplicationViewSet, basename="api-intake-applications")

urlpatterns = router.urls
