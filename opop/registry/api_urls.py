"""Registry read API routes, included by `config/api_urls.py` under `/api/v1/`."""

from rest_framework.routers import SimpleRouter

from opop.registry import api

router = SimpleRouter()
router.register("pesantren", api.PesantrenViewSet, basename="api-pesantren")
router.register("cooperatives", api.CooperativeViewSet, basename="api-cooperatives")
router.register("people", api.PersonViewSet, basename="api-people")
router.register("enterprises", api.EnterpriseViewSet, basename="api-enterprises")

urlpatterns = router.urls
