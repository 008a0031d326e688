"""Training API routes, included by `config/api_urls.py` under `/api/v1/`."""

from rest_framework.routers import SimpleRouter

from opop.training import api

router = SimpleRouter()
router.register("trainings/sessions", api.SessionViewSet, basename="api-training-sessions")
router.register("trainings/enrolments", api.EnrolmentViewSet, basename="api-training-enrolments")

urlpatterns = router.urls
