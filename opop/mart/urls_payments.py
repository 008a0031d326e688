"""`/mart/pay/`: payment pages, the seller's confirmations and the provider callback."""

from django.urls import path

from opop.mart.views import payments

urlpatterns = [
    path("callback/midtrans/", payments.payment_callback, name="payment_callback"),
    path("<str:reference>/", payments.payment, name="payment"),
    path("<str:reference>/proof/", payments.payment_proof, name="payment_proof"),
    path(
        "<str:reference>/proof/upload/", payments.payment_proof_upload, name="payment_proof_upload"
    ),
    path("<str:reference>/charge/", payments.payment_charge_retry, name="payment_charge_retry"),
    path("<str:reference>/simulate/", payments.payment_simulate, name="payment_simulate"),
    path(
        "<str:reference>/confirm-transfer/",
        payments.payment_transfer_confirm,
        name="payment_transfer_confirm",
    ),
    path(
        "<str:reference>/confirm-pickup/",
        payments.payment_pickup_confirm,
        name="payment_pickup_confirm",
    ),
]
