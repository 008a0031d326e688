"""OPOP Mart API routes, included by `config/api_urls.py` under `/api/v1/`."""

from django.urls import path

from opop.mart import api, api_buyer, api_orders

urlpatterns = [
    path("mart/products/", api.ProductListView.as_view(), name="api-mart-products"),
    path("mart/products/<int:pk>/", api.ProductDetailView.as_view(), name="api-mart-product"),
    path("mart/categories/", api.CategoryListView.as_view(), name="api-mart-categories"),
    path("mart/cart/", api_buyer.CartView.as_view(), name="api-mart-cart"),
    path("mart/cart/items/", api_buyer.CartItemsView.as_view(), name="api-mart-cart-items"),
    path(
        "mart/cart/items/<int:product_id>/",
        api_buyer.CartItemView.as_view(),
        name="api-mart-cart-item",
    ),
    path("mart/checkouts/", api_buyer.CheckoutCreateView.as_view(), name="api-mart-checkouts"),
    path(
        "mart/checkouts/<str:reference>/",
        api_buyer.CheckoutDetailView.as_view(),
        name="api-mart-checkout",
    ),
    path("mart/orders/", api_orders.BuyerOrderListView.as_view(), name="api-mart-orders"),
    path(
        "mart/orders/<str:number>/",
        api_orders.BuyerOrderDetailView.as_view(),
        name="api-mart-order",
    ),
    path(
        "mart/orders/<str:number>/received/",
        api_orders.BuyerOrderReceivedView.as_view(),
        name="api-mart-order-received",
    ),
    path(
        "mart/seller/orders/",
        api_orders.SellerOrderListView.as_view(),
        name="api-mart-seller-orders",
    ),
    path("mart/addresses/", api_buyer.AddressesView.as_view(), name="api-mart-addresses"),
]
