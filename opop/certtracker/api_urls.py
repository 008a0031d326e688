"""Certification tracker API routes, included by `config/api_urls.py` under `/api/v1/`."""

from rest_framework.routers import SimpleRouter

from opop.certtracker import api

router = SimpleRouter()
router.register("certifications/tracks", api.TrackViewSet, basename="api-certification-tracks")

urlpatterns = router.urls
