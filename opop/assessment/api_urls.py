"""Assessment API routes, included by `config/api_urls.py` under `/api/v1/`."""

from rest_framework.routers import SimpleRouter

from opop.assessment import api

router = SimpleRouter()
router.register(
    "assessment/assignments", api.AssignmentViewSet, basename="api-assessment-assignments"
)
router.register("assessment/results", api.ResultViewSet, basename="api-assessment-results")

urlpatterns = router.urls
