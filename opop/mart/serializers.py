"""What the OPOP Mart API shows (see `opop/mart/api.py`).

Catalogue serializers read only product, seller (enterprise, pesantren, kab/kota) and review
text: never a person, a buyer or a phone. Buyer serializers show the caller's own cart,
checkouts, orders and addresses. Status fields are inline enums (`api_common.enum_field`).
Request bodies and query parameters are in `api_inputs.py`.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from opop.catalog.models import Category, ProductPhoto
from opop.catalog.serializers import CertificationSerializer, PhotoSerializer, absolute
from opop.common.api import RegionRefSerializer
from opop.mart.api_common import enum_field, order_status_field
from opop.mart.models import Checkout, Order, Payment
from opop.mart.services.buyer_contact import seller_sees_contact
from opop.mart.services.payments import payment_needs_charge

MONEY = "Whole Rupiah."


class MartCategorySerializer(serializers.ModelSerializer):
    parent = serializers.IntegerField(source="parent_id", allow_null=True, read_only=True)

    class Meta:
        model = Category
        fields = ["id", "slug", "name", "parent"]
        read_only_fields = fields


class MartCategoryRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()


class MartSellerSerializer(serializers.Serializer):
    """The selling enterprise, its pesantren and kab/kota: no owner, no contact data."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    pesantren_name = serializers.CharField(source="mart_pesantren_name", allow_null=True)
    regency = RegionRefSerializer(allow_null=True, help_text="Kabupaten/kota.")


class MartProductSerializer(serializers.Serializer):
    """A product card: built from `sellable_products()` annotations."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    price = serializers.IntegerField(help_text=MONEY)
    unit = serializers.CharField()
    weight_grams = serializers.IntegerField()
    category = MartCategoryRefSerializer()
    seller = serializers.SerializerMethodField()
    grade = serializers.CharField(source="curation_grade", help_text="Curation grade.")
    valid_until = serializers.DateField(
        source="curation_until", help_text="Produk Unggulan OPOP until this day."
    )
    halal_number = serializers.CharField(
        source="mart_halal_number", allow_null=True, help_text="BPJPH halal certificate."
    )
    thumbnail_url = serializers.SerializerMethodField()
    available = serializers.IntegerField(help_text="Units that can be bought now.")
    rating = serializers.FloatField(
        source="rating_avg", allow_null=True, help_text="Average of visible reviews (1–5)."
    )
    review_count = serializers.IntegerField()

    def get_seller(self, product) -> MartSellerSerializer:
        enterprise = product.enterprise
        enterprise.mart_pesantren_name = getattr(product, "mart_pesantren_name", None)
        return MartSellerSerializer(enterprise).data

    def get_thumbnail_url(self, product) -> str | None:
        name = getattr(product, "thumbnail_name", None)
        if not name:
            return None
        url = ProductPhoto._meta.get_field("thumbnail").storage.url(name)
        return absolute(self.context.get("request"), url)


class MartReviewSerializer(serializers.Serializer):
    """A visible review: what was said, never who said it."""

    rating = serializers.IntegerField()
    text = serializers.CharField()
    reply = serializers.CharField(help_text="The seller's reply, or empty.")
    replied_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()


class MartProductDetailSerializer(MartProductSerializer):
    description = serializers.CharField()
    photos = PhotoSerializer(many=True, source="mart_photos")
    certifications = CertificationSerializer(
        many=True, source="mart_certifications", help_text="Certifications still valid."
    )
    reviews = MartReviewSerializer(many=True, source="mart_reviews", help_text="The newest.")


# --- Cart -----------------------------------------------------------------------------------


class MartCartProductSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    price = serializers.IntegerField(help_text=MONEY)
    unit = serializers.CharField()


class MartCartItemSerializer(serializers.Serializer):
    product = MartCartProductSerializer()
    quantity = serializers.IntegerField()
    available = serializers.IntegerField(help_text="Units in stock now.")
    sellable = serializers.BooleanField(help_text="False: no longer for sale; remove it.")
    line_total = serializers.IntegerField(help_text=MONEY)


class MartCartGroupSerializer(serializers.Serializer):
    """The items of one seller: one order at checkout."""

    seller = serializers.SerializerMethodField()
    programme = serializers.CharField(source="programme.code", help_text="Checkout per programme.")
    items = MartCartItemSerializer(many=True)
    subtotal = serializers.IntegerField(help_text=MONEY + " Sellable items only.")

    def get_seller(self, group) -> MartCategoryRefSerializer:
        return {"id": group["seller"].pk, "name": group["seller"].name}


class MartCartSerializer(serializers.Serializer):
    groups = MartCartGroupSerializer(many=True)
    count = serializers.IntegerField(help_text="Units in the cart.")
    total = serializers.IntegerField(help_text=MONEY + " Sellable items, before shipping.")


# --- Checkouts and orders -------------------------------------------------------------------


class MartPaymentSerializer(serializers.Serializer):
    """How to pay: the VA number or QRIS payload, the amount and the deadline."""

    method = enum_field(Payment.Method)
    provider = serializers.CharField(help_text="`simulator` in development and tests.")
    status = enum_field(Payment.Status)
    amount = serializers.IntegerField(help_text=MONEY)
    va_number = serializers.CharField(help_text="Virtual account number (method `va`).")
    qris_payload = serializers.CharField(help_text="QRIS string to render as a QR code.")
    expires_at = serializers.DateTimeField()
    paid_at = serializers.DateTimeField(allow_null=True)
    simulator = serializers.SerializerMethodField(help_text="True: no real money moves.")
    awaiting_gateway = serializers.SerializerMethodField(
        help_text="True: the payment service could not be reached yet, so there is no VA number "
        "or QRIS payload. POST the checkout again with the same Idempotency-Key to retry."
    )

    def get_simulator(self, payment) -> bool:
        return payment.provider == "simulator"

    def get_awaiting_gateway(self, payment) -> bool:
        return payment_needs_charge(payment)


class MartEnterpriseRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class MartOrderSerializer(serializers.Serializer):
    number = serializers.CharField()
    checkout = serializers.CharField(source="checkout.reference")
    seller = MartEnterpriseRefSerializer()
    status = order_status_field()
    delivery = enum_field(Order.Delivery)
    subtotal = serializers.IntegerField(help_text=MONEY)
    shipping_fee = serializers.IntegerField(help_text=MONEY)
    total = serializers.IntegerField(help_text=MONEY)
    created_at = serializers.DateTimeField()
    paid_at = serializers.DateTimeField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)


class MartCheckoutSerializer(serializers.Serializer):
    reference = serializers.CharField()
    programme = serializers.CharField(source="programme.code")
    status = enum_field(Checkout.Status)
    total = serializers.IntegerField(help_text=MONEY + " Items and shipping, all sellers.")
    expires_at = serializers.DateTimeField(help_text="Pay before this moment.")
    created_at = serializers.DateTimeField()
    orders = MartOrderSerializer(many=True, source="orders.all")
    payment = serializers.SerializerMethodField()

    def get_payment(self, checkout) -> MartPaymentSerializer(allow_null=True):
        payment = Payment.objects.filter(checkout=checkout).first()
        return MartPaymentSerializer(payment).data if payment else None


class MartOrderLineSerializer(serializers.Serializer):
    product = serializers.IntegerField(source="product_id", allow_null=True)
    product_name = serializers.CharField()
    unit = serializers.CharField()
    unit_price = serializers.IntegerField(help_text=MONEY + " Copied at checkout.")
    quantity = serializers.IntegerField()
    line_total = serializers.IntegerField(help_text=MONEY)


class MartOrderEventSerializer(serializers.Serializer):
    status = order_status_field()
    note = serializers.CharField()
    at = serializers.DateTimeField()


class MartTrackingEventSerializer(serializers.Serializer):
    status = serializers.CharField(
        help_text="`created`, `picked_up`, `in_transit`, `delivered`, `returned`."
    )
    description = serializers.CharField()
    location = serializers.CharField()
    at = serializers.DateTimeField()


class MartShipmentSerializer(serializers.Serializer):
    tracking_number = serializers.CharField()
    status = serializers.CharField(
        help_text="`created`, `picked_up`, `in_transit`, `delivered`, `returned`."
    )
    provider = serializers.CharField(help_text="`simulator` in development and tests.")
    events = MartTrackingEventSerializer(many=True, source="events.all")


class MartOrderDetailSerializer(MartOrderSerializer):
    lines = MartOrderLineSerializer(many=True, source="lines.all")
    timeline = MartOrderEventSerializer(many=True, source="events.all")
    shipment = serializers.SerializerMethodField()
    may_confirm_received = serializers.SerializerMethodField(
        help_text="True: `POST …/received/` is possible now."
    )

    def get_shipment(self, order) -> MartShipmentSerializer(allow_null=True):
        shipment = getattr(order, "mart_shipment", None)
        return MartShipmentSerializer(shipment).data if shipment else None

    def get_may_confirm_received(self, order) -> bool:
        return bool(getattr(order, "mart_receivable", False))


class MartShipToSerializer(serializers.Serializer):
    """Where the seller ships: copied from the buyer's address at checkout."""

    recipient = serializers.CharField()
    phone = serializers.CharField()
    regency = RegionRefSerializer(allow_null=True)
    district = RegionRefSerializer(allow_null=True)
    street = serializers.CharField()
    postal_code = serializers.CharField()


class MartSellerOrderSerializer(MartOrderSerializer):
    lines = MartOrderLineSerializer(many=True, source="lines.all")
    ship_to = serializers.SerializerMethodField(
        help_text="Null once the order has been closed for 30 days (personal data protection)."
    )

    @extend_schema_field(MartShipToSerializer(allow_null=True))
    def get_ship_to(self, order) -> dict | None:
        if not seller_sees_contact(order):
            return None
        return MartShipToSerializer(order.checkout).data


class MartAddressSerializer(serializers.Serializer):
    """One of the caller's own delivery addresses."""

    id = serializers.IntegerField()
    label = serializers.CharField()
    recipient = serializers.CharField()
    phone = serializers.CharField()
    regency = RegionRefSerializer(help_text="Kabupaten/kota.")
    district = RegionRefSerializer(help_text="Kecamatan.")
    street = serializers.CharField()
    postal_code = serializers.CharField()
    is_default = serializers.BooleanField()
