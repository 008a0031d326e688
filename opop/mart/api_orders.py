"""Orders in the OPOP Mart API: the buyer's own (list, detail with timeline and tracking, "I
received it") and the seller's (orders of `enterprises_editable_by(access)` in the chosen
programme). Another buyer's or seller's order is a 404."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from opop.common.api import (
    PROGRAMME_PARAMETERS,
    PageNumberPagination,
    ProgrammeRole,
    validated_query,
)
from opop.logistics.models import Shipment, ShipmentEvent
from opop.mart import selectors_buyer, selectors_seller
from opop.mart.api_common import (
    BAD_REQUEST,
    BUYER,
    NOT_FOUND,
    THROTTLED,
    THROTTLES,
    UNAUTHENTICATED,
    WRITE,
    error,
)
from opop.mart.api_inputs import MartSellerOrderFilterSerializer
from opop.mart.models import Order
from opop.mart.serializers import (
    MartOrderDetailSerializer,
    MartOrderSerializer,
    MartSellerOrderSerializer,
)
from opop.mart.services.buyer_contact import buyer_contact_viewed, seller_sees_contact
from opop.mart.services.orders import allowed_moves, order_transition

TAG = "mart-buyer"
SELLER_TAG = "mart-seller"
S = Order.Status
RECEIVED_STEPS = (S.DELIVERED, S.COMPLETED)


class _Throttled:
    throttle_classes = THROTTLES
    throttle_scope = BUYER
    write_throttle_scope = WRITE


class BuyerOrderListView(_Throttled, ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = MartOrderSerializer
    pagination_class = PageNumberPagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Order.objects.none()
        return selectors_buyer.orders_of_buyer(self.request.user)

    @extend_schema(
        operation_id="mart_orders_list",
        summary="Your orders, newest first",
        tags=[TAG],
        responses={200: MartOrderSerializer(many=True), 401: UNAUTHENTICATED, 429: THROTTLED},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


def order_detail(user, number: str) -> Order:
    order = selectors_buyer.buyer_order_or_404(user, number)
    order.mart_shipment = (
        Shipment.objects.filter(order=order)
        .prefetch_related(Prefetch("events", ShipmentEvent.objects.order_by("at", "id")))
        .first()
    )
    order.mart_receivable = any(step in allowed_moves(user, order) for step in RECEIVED_STEPS)
    return order


def _detail(order: Order) -> Response:
    return Response(MartOrderDetailSerializer(order).data)


class BuyerOrderDetailView(_Throttled, APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="mart_orders_retrieve",
        summary="One of your orders: lines, timeline, shipment tracking",
        tags=[TAG],
        responses={200: MartOrderDetailSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
    )
    def get(self, request, number: str):
        return _detail(order_detail(request.user, number))


class BuyerOrderReceivedView(_Throttled, APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="mart_orders_received",
        summary="Confirm you received the order",
        description="As the page's button: the order becomes delivered and then completed. "
        "Repeating it changes nothing.",
        tags=[TAG],
        request=None,
        responses={
            200: MartOrderDetailSerializer,
            400: error("The order cannot be confirmed as received now (e.g. not shipped)."),
            401: UNAUTHENTICATED,
            404: NOT_FOUND,
        },
    )
    def post(self, request, number: str):
        order = selectors_buyer.buyer_order_or_404(request.user, number)
        if order.status != S.COMPLETED:
            moved = False
            try:
                for step in RECEIVED_STEPS:
                    if step in allowed_moves(request.user, order):
                        order = order_transition(
                            actor=request.user,
                            order=order,
                            to_status=step,
                            note=_("Received by the buyer."),
                        )
                        moved = True
            except (ValidationError, PermissionDenied) as exc:
                raise exceptions.ValidationError(
                    {"detail": " ".join(getattr(exc, "messages", [str(exc)]))}
                ) from exc
            if not moved:
                raise exceptions.ValidationError(
                    {"detail": _("This order cannot be confirmed as received now.")}
                )
        return _detail(order_detail(request.user, number))


class SellerOrderListView(_Throttled, ListAPIView):
    """Orders of the enterprises you sell for, in the chosen programme."""

    permission_classes = [IsAuthenticated, ProgrammeRole]
    required_access = "sells"
    serializer_class = MartSellerOrderSerializer
    pagination_class = PageNumberPagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Order.objects.none()
        params = validated_query(MartSellerOrderFilterSerializer, self.request)
        rows = (
            selectors_seller.orders_of_seller(self.request.access)
            .select_related("seller", "checkout__regency", "checkout__district")
            .prefetch_related("lines")
            .order_by("-created_at", "-pk")
        )
        if params.get("status"):
            rows = rows.filter(status=params["status"])
        return rows

    @extend_schema(
        operation_id="mart_seller_orders_list",
        summary="Orders to fulfil for the enterprises you sell for",
        description="Cooperative managers and participants (role `sells`). The ship-to "
        "address is the buyer's, copied at checkout, for delivery only.",
        tags=[SELLER_TAG],
        parameters=[*PROGRAMME_PARAMETERS, MartSellerOrderFilterSerializer],
        responses={
            200: MartSellerOrderSerializer(many=True),
            400: BAD_REQUEST,
            401: UNAUTHENTICATED,
            403: error("No selling role in the chosen programme."),
            429: THROTTLED,
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        # Each order whose ship-to contact this answer carries is recorded as seen.
        buyer_contact_viewed(
            actor=self.request.user,
            orders=[order for order in page if seller_sees_contact(order)],
            via="api",
        )
        return page
