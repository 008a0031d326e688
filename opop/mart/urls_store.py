"""The public storefront (included at `/mart/` under the namespace "mart")."""

from django.urls import path

from opop.mart.views import store, store_product

urlpatterns = [
    path("", store.store_home, name="store_home"),
    path("search/", store.store_search, name="store_search"),
    path("c/<slug:slug>/", store.store_category, name="store_category"),
    path("shop/<int:enterprise_id>/", store_product.shop, name="shop"),
    path("p/<int:product_id>/", store_product.product, name="product"),
]
