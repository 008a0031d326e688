"""`/mart/`: the buyer's cart, checkout, orders, invoice, sign-up and address book."""

from django.urls import path

from opop.mart.views import buyer, buyer_account, buyer_orders

urlpatterns = [
    path("cart/", buyer.cart, name="cart"),
    path("cart/add/", buyer.cart_add, name="cart_add"),
    path("cart/update/", buyer.cart_update, name="cart_update"),
    path("checkout/", buyer.checkout, name="checkout"),
    path("orders/", buyer_orders.my_orders, name="my_orders"),
    path("orders/<str:number>/", buyer_orders.my_order, name="my_order"),
    path("orders/<str:number>/received/", buyer_orders.my_order_received, name="my_order_received"),
    path("orders/<str:number>/cancel/", buyer_orders.my_order_cancel, name="my_order_cancel"),
    path("orders/<str:number>/invoice.pdf", buyer_orders.invoice, name="invoice"),
    path("account/register/", buyer_account.account_register, name="account_register"),
    path("addresses/", buyer_account.addresses, name="addresses"),
    path("addresses/add/", buyer_account.address_edit, name="address_add"),
    path("addresses/<int:pk>/", buyer_account.address_edit, name="address_edit"),
    path("addresses/<int:pk>/default/", buyer_account.address_default, name="address_default"),
    path("addresses/<int:pk>/remove/", buyer_account.address_remove, name="address_remove"),
]
