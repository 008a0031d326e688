"""The buyer's cart, checkouts and addresses (any logged-in user; token or session).

Everything is scoped by the caller: another buyer's checkout or address is a 404 (or, for an
address named in a checkout, a 400 that does not say whether it exists). Writes go through the
services (`services.cart`, `services.checkout.checkout_place`, `services.buyers.address_save`).
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from opop.common.api import requested_programme
from opop.mart import selectors_buyer
from opop.mart.api_common import (
    BAD_REQUEST,
    BUYER,
    CHECKOUT,
    NOT_FOUND,
    THROTTLED,
    THROTTLES,
    UNAUTHENTICATED,
    WRITE,
    error,
    service_call,
)
from opop.mart.api_inputs import (
    MartAddressInputSerializer,
    MartCartAddSerializer,
    MartCartQuantitySerializer,
    MartCheckoutRequestSerializer,
)
from opop.mart.forms_buyer import AddressForm
from opop.mart.models import CartItem, Checkout
from opop.mart.serializers import MartAddressSerializer, MartCartSerializer, MartCheckoutSerializer
from opop.mart.services import buyers as buyer_service
from opop.mart.services import cart as cart_service
from opop.mart.services.checkout import checkout_payment_charge, checkout_place
from opop.programmes.models import Programme

TAG = "mart-buyer"
IDEMPOTENCY_HEADER = "Idempotency-Key"


class BuyerView(APIView):
    permission_classes = [IsAuthenticated]
    throttle_classes = THROTTLES
    throttle_scope = BUYER
    write_throttle_scope = WRITE


def cart_answer(request, *, code=status.HTTP_200_OK) -> Response:
    cart = cart_service.cart_for(request, create=False)
    groups = selectors_buyer.cart_groups(cart)
    data = {
        "groups": groups,
        "count": selectors_buyer.cart_count(cart),
        "total": sum(group["subtotal"] for group in groups),
    }
    return Response(MartCartSerializer(data).data, status=code)


class CartView(BuyerView):
    @extend_schema(
        operation_id="mart_cart_retrieve",
        summary="Your cart, grouped by seller",
        tags=[TAG],
        responses={200: MartCartSerializer, 401: UNAUTHENTICATED, 429: THROTTLED},
    )
    def get(self, request):
        return cart_answer(request)


class CartItemsView(BuyerView):
    @extend_schema(
        operation_id="mart_cart_items_create",
        summary="Put a product in your cart (adds to what it holds)",
        tags=[TAG],
        request=MartCartAddSerializer,
        responses={201: MartCartSerializer, 400: BAD_REQUEST, 401: UNAUTHENTICATED},
    )
    def post(self, request):
        body = MartCartAddSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        product = (
            selectors_buyer.sellable_products().filter(pk=body.validated_data["product"]).first()
        )
        if product is None:
            raise ValidationError({"product": [_("This product is not for sale.")]})
        cart = cart_service.cart_for(request)
        service_call(
            cart_service.cart_add,
            cart=cart,
            product=product,
            quantity=body.validated_data["quantity"],
        )
        return cart_answer(request, code=status.HTTP_201_CREATED)


class CartItemView(BuyerView):
    def _item(self, request, product_id: int) -> CartItem:
        cart = cart_service.cart_for(request, create=False)
        items = cart.items.select_related("product") if cart else CartItem.objects.none()
        return get_object_or_404(items, product_id=product_id)

    @extend_schema(
        operation_id="mart_cart_items_partial_update",
        summary="Change the quantity of a product in your cart (0 removes it)",
        tags=[TAG],
        request=MartCartQuantitySerializer,
        responses={
            200: MartCartSerializer,
            400: BAD_REQUEST,
            401: UNAUTHENTICATED,
            404: error("This product is not in your cart."),
        },
    )
    def patch(self, request, product_id: int):
        item = self._item(request, product_id)
        body = MartCartQuantitySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        service_call(
            cart_service.cart_update,
            cart=item.cart,
            product=item.product,
            quantity=body.validated_data["quantity"],
        )
        return cart_answer(request)

    @extend_schema(
        operation_id="mart_cart_items_destroy",
        summary="Remove a product from your cart",
        tags=[TAG],
        responses={204: None, 401: UNAUTHENTICATED, 404: NOT_FOUND},
    )
    def delete(self, request, product_id: int):
        item = self._item(request, product_id)
        service_call(cart_service.cart_remove, cart=item.cart, product=item.product)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _programme(request, code: str | None, user) -> Programme:
    code = (code or "").strip() or requested_programme(request)
    if code:
        found = Programme.objects.filter(code=code, is_active=True).first()
        if found is None:
            raise ValidationError({"programme": [_("No such programme.")]})
        return found
    in_cart = set(
        CartItem.objects.filter(cart__user=user).values_list("product__programme", flat=True)
    )
    if len(in_cart) != 1:
        raise ValidationError({"programme": [_("Name the programme to check out.")]})
    return Programme.objects.get(pk=in_cart.pop())


def checkout_answer(checkout: Checkout, code: int) -> Response:
    checkout = (
        Checkout.objects.select_related("programme")
        .prefetch_related("orders__seller")
        .get(pk=checkout.pk)
    )
    return Response(MartCheckoutSerializer(checkout).data, status=code)


class CheckoutCreateView(BuyerView):
    write_throttle_scope = CHECKOUT

    @extend_schema(
        operation_id="mart_checkouts_create",
        summary="Check out your cart: one order per seller, one payment",
        description="Send a fresh `Idempotency-Key` per checkout and the same key again when "
        "retrying: a retry answers 200 with the first checkout instead of placing the orders "
        "twice. The answer carries the payment instructions.",
        tags=[TAG],
        parameters=[
            OpenApiParameter(
                IDEMPOTENCY_HEADER,
                str,
                OpenApiParameter.HEADER,
                required=True,
                description="A unique string per checkout (e.g. a UUID), at most 64 characters.",
            )
        ],
        request=MartCheckoutRequestSerializer,
        responses={
            201: MartCheckoutSerializer,
            200: OpenApiResponse(MartCheckoutSerializer, description="A retry: the first one."),
            400: BAD_REQUEST,
            401: UNAUTHENTICATED,
            429: THROTTLED,
        },
    )
    def post(self, request):
        key = request.headers.get(IDEMPOTENCY_HEADER, "").strip()
        if not key or len(key) > 64:
            raise ValidationError(
                {"detail": _("Send an Idempotency-Key header of at most 64 characters.")}
            )
        user = request.user
        first = Checkout.objects.filter(buyer=user, idempotency_key=key).first()
        if first is not None:
            checkout_payment_charge(first)  # a retry also retries an unanswered charge
            return checkout_answer(first, status.HTTP_200_OK)
        body = MartCheckoutRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        programme = _programme(request, data.get("programme"), user)
        address = selectors_buyer.addresses_of(user).filter(pk=data["address"]).first()
        if address is None:
            raise ValidationError({"address": [_("No such address of yours.")]})
        placed = service_call(
            checkout_place,
            actor=user,
            programme=programme,
            address=address,
            deliveries=data["deliveries"],
            method=data["method"],
            idempotency_key=key,
        )
        return checkout_answer(placed, status.HTTP_201_CREATED)


class CheckoutDetailView(BuyerView):
    @extend_schema(
        operation_id="mart_checkouts_retrieve",
        summary="One of your checkouts, with its orders and payment instructions",
        tags=[TAG],
        responses={200: MartCheckoutSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
    )
    def get(self, request, reference: str):
        checkout = get_object_or_404(
            Checkout.objects.filter(buyer=request.user), reference=reference
        )
        return checkout_answer(checkout, status.HTTP_200_OK)


class AddressesView(BuyerView):
    @extend_schema(
        operation_id="mart_addresses_list",
        summary="Your delivery addresses",
        tags=[TAG],
        responses={200: MartAddressSerializer(many=True), 401: UNAUTHENTICATED},
    )
    def get(self, request):
        rows = selectors_buyer.addresses_of(request.user)
        return Response(MartAddressSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="mart_addresses_create",
        summary="Add a delivery address (the first becomes the default)",
        tags=[TAG],
        request=MartAddressInputSerializer,
        responses={
            201: MartAddressSerializer,
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="`{field: [message]}`."),
            401: UNAUTHENTICATED,
        },
    )
    def post(self, request):
        body = MartAddressInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        form = AddressForm(data=dict(body.validated_data))
        if not form.is_valid():
            raise ValidationError({name: list(errors) for name, errors in form.errors.items()})
        address = service_call(
            buyer_service.address_save,
            actor=request.user,
            address=form.save(commit=False),
            make_default=body.validated_data["is_default"],
        )
        address = selectors_buyer.addresses_of(request.user).get(pk=address.pk)
        return Response(MartAddressSerializer(address).data, status=status.HTTP_201_CREATED)
