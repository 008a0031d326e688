"""The OPOP Mart API (issue 4, point 11), for the mobile app. Routes in `api_urls.py`.

- Catalogue (this module; public, no login, throttled per address): products from
  `selectors_store.sellable_products()` only, searched, filtered and sorted by the storefront's
  own `StoreSearchForm`; no personal data (no owner, buyer or phone).
- Cart, checkout, addresses: `api_buyer.py`; orders (buyer and seller): `api_orders.py`.
- Rate limits and shared answers: `api_common.py`; request bodies: `api_inputs.py`.
"""

from __future__ import annotations

from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.permissions import AllowAny

from opop.catalog.models import Category, Certification, Product
from opop.common.api import PageNumberPagination, validated_query
from opop.mart import selectors_store
from opop.mart.api_common import BAD_REQUEST, CATALOGUE, THROTTLED, THROTTLES, error
from opop.mart.api_inputs import MartProductFilterSerializer
from opop.mart.search import PAGE_SIZE, StoreSearchForm
from opop.mart.serializers import (
    MartCategorySerializer,
    MartProductDetailSerializer,
    MartProductSerializer,
)

TAG = "mart"


class CataloguePagination(PageNumberPagination):
    page_size = PAGE_SIZE
    max_page_size = 100


def catalogue_products():
    """Sellable products with the seller's pesantren name and a valid halal number."""
    today = timezone.localdate()
    halal = (
        Certification.objects.filter(product=OuterRef("pk"), kind=Certification.Kind.HALAL)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        .order_by("-id")
        .values("number")[:1]
    )
    return selectors_store.sellable_products(today=today).annotate(
        mart_pesantren_name=Coalesce(
            F("enterprise__pesantren__name"),
            F("enterprise__cooperative__pesantren__name"),
            F("enterprise__owner__pesantren__name"),
        ),
        mart_halal_number=Subquery(halal),
    )


class CatalogueView:
    """Public: no authentication at all (no session, so no CSRF), throttled per address."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = THROTTLES
    throttle_scope = CATALOGUE


class ProductListView(CatalogueView, ListAPIView):
    serializer_class = MartProductSerializer
    pagination_class = CataloguePagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Product.objects.none()
        params = validated_query(MartProductFilterSerializer, self.request)
        data = {name: value for name, value in params.items() if value not in (None, "")}
        data["halal"] = "on" if params.get("halal") else ""
        form = StoreSearchForm(data)
        products = form.apply(catalogue_products())
        # The form drops a category or kab/kota it does not know (the pages then show all);
        # in the API an unknown one means an empty list.
        for name in ("category", "regency"):
            if params.get(name) and not form.value(name):
                return products.none()
        return products

    @extend_schema(
        operation_id="mart_products_list",
        summary="Search the OPOP Mart catalogue",
        description="Curated (Produk Unggulan OPOP), active products of active sellers only. "
        "Public; no personal data.",
        tags=[TAG],
        auth=[],
        parameters=[MartProductFilterSerializer],
        responses={200: MartProductSerializer(many=True), 400: BAD_REQUEST, 429: THROTTLED},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ProductDetailView(CatalogueView, RetrieveAPIView):
    serializer_class = MartProductDetailSerializer

    def get_object(self):
        product = (
            catalogue_products()
            .prefetch_related("photos", "certifications")
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        if product is None:
            raise Http404
        product.mart_photos = list(product.photos.all())
        product.mart_certifications = selectors_store.valid_certifications(product)
        product.mart_reviews = selectors_store.product_reviews(product)
        return product

    @extend_schema(
        operation_id="mart_products_retrieve",
        summary="One product of the catalogue",
        description="With photos, valid certifications and the newest visible reviews "
        "(without who wrote them). A product not for sale today is a 404.",
        tags=[TAG],
        auth=[],
        responses={
            200: MartProductDetailSerializer,
            404: error("Not for sale, or no such product."),
            429: THROTTLED,
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class CategoryListView(CatalogueView, ListAPIView):
    serializer_class = MartCategorySerializer
    pagination_class = None

    def get_queryset(self):
        return Category.objects.order_by("position", "name")

    @extend_schema(
        operation_id="mart_categories_list",
        summary="The product categories (a tree by `parent`)",
        tags=[TAG],
        auth=[],
        responses={
            200: MartCategorySerializer(many=True),
            429: THROTTLED,
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
