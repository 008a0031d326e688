"""`/api/v1/`: every app's API routes, the OpenAPI schema and its docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from opop.accounts.api import ObtainTokenView
from opop.regions.api import RegionListView

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("regions/", RegionListView.as_view(), name="api-regions"),
    path("", include("opop.registry.api_urls")),
    path("", include("opop.dashboard.api_urls")),
    path("", include("opop.catalog.api_urls")),
    path("", include("opop.intake.api_urls")),
    path("", include("opop.assessment.api_urls")),
    path("", include("opop.mart.api_urls")),
    path("", include("opop.milestones.api_urls")),
    path("", include("opop.training.api_urls")),
    path("", include("opop.visits.api_urls")),
    path("", include("opop.certtracker.api_urls")),
    path("", include("opop.grants.api_urls")),
    path("", include("opop.coophealth.api_urls")),
    path("", include("opop.journey.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
