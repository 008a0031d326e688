"""Milestones API routes, included by `config/api_urls.py` under `/api/v1/`."""

from rest_framework.routers import SimpleRouter

from opop.milestones import api

router = SimpleRouter()
router.register("milestones/levels", api.PesantrenLevelViewSet, basename="api-milestone-levels")

urlpatterns = router.urls
