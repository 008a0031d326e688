"""`/mart/`: the public storefront, the buyer's cart, checkout and orders, payments (with the
payment simulator and provider callbacks), and the seller's pages. One module per side."""

from django.urls import include, path

app_name = "mart"

urlpatterns = [
    path("", include("opop.mart.urls_store")),
    path("", include("opop.mart.urls_buyer")),
    path("pay/", include("opop.mart.urls_payments")),
    path("seller/", include("opop.mart.urls_seller")),
    path("reviews/", include("opop.mart.urls_reviews")),
    path("figures/", include("opop.mart.urls_figures")),
]
