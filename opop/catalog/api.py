"""The product API.

- `/api/v1/products/` and `/api/v1/products/<id>/`: products in the caller's scope, from
  `selectors.products_visible_to(access)` like the pages (a product outside it is a 404).
- `/api/v1/public/curated-products/?programme=jatim`: open to anyone, throttled per address;
  only products that are "Produk Unggulan OPOP" today, without any personal data.
"""

from __future__ import annotations

from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.throttling import AnonRateThrottle

from opop.catalog import selectors
from opop.catalog.forms import ProductFilterForm
from opop.catalog.models import Category, Certification, Product, ProductPhoto
from opop.catalog.serializers import (
    ProductFilterSerializer,
    ProductSerializer,
    PublicCuratedFilterSerializer,
    PublicCuratedProductSerializer,
)
from opop.common.api import (
    ApiErrorSerializer,
    PageNumberPagination,
    ProgrammeScopedViewSet,
    scoped_read_schema,
    validated_query,
)
from opop.programmes.models import Programme

TAG = "catalog"
FORM_FIELDS = {"search": "q"}


@scoped_read_schema(
    serializer=ProductSerializer, filters=ProductFilterSerializer, tag=TAG, noun="products"
)
class ProductViewSet(ProgrammeScopedViewSet):
    """Products of the enterprises in your scope, with certifications, photos and curation."""

    serializer_class = ProductSerializer
    filter_serializer_class = ProductFilterSerializer

    def scoped_queryset(self, access):
        return selectors.with_curation(
            selectors.products_visible_to(access)
            .select_related("enterprise", "category")
            .prefetch_related("certifications", "photos")
            .order_by("name", "id")
        )

    def filtered(self, queryset, params: dict):
        data = {FORM_FIELDS.get(name, name): value for name, value in params.items()}
        data["curated"] = "on" if params.get("curated") else ""
        if "category" in params:
            # The form only accepts categories that exist; an unknown id means an empty list.
            queryset = queryset.filter(category_id=data.pop("category"))
        return ProductFilterForm(data).apply(queryset)


def category_with_descendants(slug: str) -> list[int]:
    """The ids of the category and everything below it (the tree is small: read it once)."""
    parents = dict(Category.objects.values_list("id", "parent_id"))
    root = Category.objects.filter(slug=slug).values_list("id", flat=True).first()
    if root is None:
        return []
    found = {root}
    grew = True
    while grew:
        children = {pk for pk, parent in parents.items() if parent in found} - found
        found |= children
        grew = bool(children)
    return sorted(found)


def public_curated_products(programme, params: dict):
    """Curated products of the programme for the public list: annotations only, no people."""
    halal = Certification.objects.filter(
        product=OuterRef("pk"), kind=Certification.Kind.HALAL
    ).values("number")[:1]
    thumbnail = ProductPhoto.objects.filter(product=OuterRef("pk")).order_by("position", "id")
    rows = (
        selectors.curated_products(programme)
        .exclude(status=Product.Status.INACTIVE)
        .select_related("category", "enterprise", "enterprise__regency")
        .annotate(
            public_pesantren_name=Coalesce(
                F("enterprise__pesantren__name"),
                F("enterprise__cooperative__pesantren__name"),
                F("enterprise__owner__pesantren__name"),
            ),
            public_halal_number=Subquery(halal),
            public_thumbnail=Subquery(thumbnail.values("thumbnail")[:1]),
        )
        .order_by("name", "id")
    )
    if params.get("category"):
        rows = rows.filter(category_id__in=category_with_descendants(params["category"]))
    if params.get("regency"):
        rows = rows.filter(enterprise__regency_id=params["regency"])
    return rows


class PublicCuratedProductList(ListAPIView):
    """Produk Unggulan OPOP of a programme: products that passed curation and are valid today.

    Open to everyone (no login), limited per address. Carries no personal data.
    """

    serializer_class = PublicCuratedProductSerializer
    pagination_class = PageNumberPagination
    permission_classes = [AllowAny]
    # No authentication at all: every caller is anonymous and throttled by address, and a
    # browser session never turns this into a CSRF-checked call.
    authentication_classes: list = []
    throttle_classes = [AnonRateThrottle]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Product.objects.none()
        params = validated_query(PublicCuratedFilterSerializer, self.request)
        programme = Programme.objects.filter(code=params["programme"], is_active=True).first()
        if programme is None:
            raise Http404
        return public_curated_products(programme, params)

    @extend_schema(
        operation_id="public_curated_products_list",
        summary="List the curated products (Produk Unggulan OPOP) of a programme",
        tags=["public"],
        auth=[],
        parameters=[PublicCuratedFilterSerializer],
        responses={
            200: PublicCuratedProductSerializer(many=True),
            400: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="`programme` missing or a filter with a bad value.",
            ),
            404: OpenApiResponse(ApiErrorSerializer, description="No such programme."),
            429: OpenApiResponse(ApiErrorSerializer, description="Too many requests."),
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
