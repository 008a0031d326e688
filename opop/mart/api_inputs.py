"""Query parameters and request bodies of the OPOP Mart API."""

from __future__ import annotations

from rest_framework import serializers

from opop.mart.api_common import enum_field, order_status_field
from opop.mart.models import Order, Payment
from opop.mart.search import SORTS


class ProductSort:
    """`SORTS` as the `choices`-like object `enum_field` takes."""

    values = [key for key, _label in SORTS]
    choices = [(key, str(label)) for key, label in SORTS]


class MartProductFilterSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        max_length=200,
        help_text="Words to find in the name or description (Indonesian full-text search).",
    )
    category = serializers.SlugField(
        required=False, help_text="Category slug; includes its subcategories."
    )
    regency = serializers.RegexField(
        r"^\d{2}\.\d{2}$", required=False, help_text="The seller's kab/kota code, e.g. `35.78`."
    )
    halal = serializers.BooleanField(
        required=False, default=False, help_text="Only products with a valid halal certificate."
    )
    min = serializers.IntegerField(required=False, min_value=0, help_text="Min. price (Rp).")
    max = serializers.IntegerField(required=False, min_value=0, help_text="Max. price (Rp).")
    sort = enum_field(
        ProductSort,
        base=serializers.ChoiceField,
        required=False,
        help_text="Default: `relevance` with `q`, else `newest`.",
    )


class MartCartAddSerializer(serializers.Serializer):
    product = serializers.IntegerField(min_value=1, help_text="A product id from the catalogue.")
    quantity = serializers.IntegerField(
        min_value=1, max_value=999, default=1, help_text="Units added to what the cart holds."
    )


class MartCartQuantitySerializer(serializers.Serializer):
    quantity = serializers.IntegerField(
        min_value=0, max_value=999, help_text="The new quantity; 0 removes the item."
    )


class MartCheckoutRequestSerializer(serializers.Serializer):
    programme = serializers.CharField(
        required=False,
        help_text="Programme code (e.g. `jatim`): the cart's items of that programme are "
        "bought. Default: the `programme` parameter or `X-OPOP-Programme` header, else the "
        "only programme in the cart.",
    )
    address = serializers.IntegerField(help_text="Id of one of your addresses.")
    deliveries = serializers.DictField(
        child=enum_field(Order.Delivery, base=serializers.ChoiceField),
        help_text='Per seller (enterprise id): `{"12": "post", "15": "pickup"}`.',
    )
    method = enum_field(
        Payment.Method,
        base=serializers.ChoiceField,
        help_text="`va` and `qris` for any cart; `transfer` and `pickup` for one seller only.",
    )

    def validate_deliveries(self, value: dict) -> dict[int, str]:
        try:
            return {int(seller): how for seller, how in value.items()}
        except (TypeError, ValueError) as exc:
            raise serializers.ValidationError("Keys must be seller (enterprise) ids.") from exc


class MartAddressInputSerializer(serializers.Serializer):
    """A new address; checked by the address form of the pages."""

    label = serializers.CharField(max_length=40, help_text="e.g. Rumah, Kantor.")
    recipient = serializers.CharField(max_length=150)
    phone = serializers.CharField(max_length=20, help_text="Mobile, e.g. `+6281234567890`.")
    regency = serializers.CharField(help_text="Kab/kota code, e.g. `35.78`.")
    district = serializers.CharField(help_text="Kecamatan code inside that kab/kota.")
    street = serializers.CharField(max_length=255)
    postal_code = serializers.CharField(max_length=5, required=False, allow_blank=True)
    is_default = serializers.BooleanField(required=False, default=False)


class MartSellerOrderFilterSerializer(serializers.Serializer):
    status = order_status_field(choice=True, required=False)
