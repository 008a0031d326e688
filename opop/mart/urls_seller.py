"""`/mart/seller/`: the seller's pages (cooperative managers and participants who sell)."""

from django.urls import path

from opop.mart.views import seller, seller_orders, seller_reports, seller_reviews

urlpatterns = [
    path("", seller.seller_home, name="seller_home"),
    path("stock/", seller.seller_stock, name="seller_stock"),
    path("stock/<int:product_id>/", seller.seller_stock_set, name="seller_stock_set"),
    path("orders/", seller_orders.seller_orders, name="seller_orders"),
    path("orders/<str:number>/", seller_orders.seller_order, name="seller_order"),
    path(
        "orders/<str:number>/step/",
        seller_orders.seller_order_action,
        name="seller_order_action",
    ),
    path("sales/", seller_reports.seller_sales, name="seller_sales"),
    path("settlements/", seller_reports.seller_settlement, name="seller_settlement"),
    path("reviews/", seller_reviews.seller_reviews, name="seller_reviews"),
    path("reviews/<int:pk>/reply/", seller_reviews.seller_review_reply, name="seller_review_reply"),
]
