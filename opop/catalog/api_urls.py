"""Product API routes, included by `config/api_urls.py` under `/api/v1/`."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from opop.catalog import api

router = SimpleRouter()
router.register("products", api.ProductViewSet, basename="api-products")

urlpatterns = [
    path(
        "public/curated-products/",
        api.PublicCuratedProductList.as_view(),
        name="api-public-curated-products",
    ),
    *router.urls,
]
