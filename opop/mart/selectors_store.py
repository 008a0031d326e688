"""What the public storefront may show and sell.

A product is sellable while it is "Produk Unggulan OPOP" today (`curated_now()`), ACTIVE, and
its enterprise and programme are active. Every list and page of the storefront starts from
`sellable_products()`, which carries what a product card needs as annotations (price, thumbnail,
grade, available stock, rating) so that a page of cards costs one query, not one per row.
Nothing here reads people: the seller's WhatsApp number is looked up on its own, phone only.
"""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.db.models import (
    Avg,
    Count,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from opop.catalog.models import Category, Certification, Product, ProductPhoto
from opop.catalog.selectors import curated_now, with_curation
from opop.mart.models import Review, StockLevel
from opop.regions.models import Region
from opop.registry.models import Enterprise, Person, Pesantren, RecordStatus

# A product page shows at most this many reviews (the newest).
REVIEWS_SHOWN = 20


def _visible_reviews():
    return Review.objects.filter(product=OuterRef("pk"), status=Review.Status.VISIBLE)


def sellable_products(programme=None, today: dt.date | None = None) -> QuerySet[Product]:
    """Curated, active products of active sellers in active programmes, ready for cards.

    Annotations: `curation_grade`, `curation_until`, `thumbnail_name` (storage name of the first
    photo's thumbnail), `available` (on hand − reserved, 0 without a StockLevel), `rating_avg`
    (None without reviews) and `review_count` of VISIBLE reviews. Correlated subqueries rather
    than joins + GROUP BY, so that search and sorting stay plain filters on one row per product.
    """
    products = Product.objects.filter(
        curated_now(today),
        status=Product.Status.ACTIVE,
        enterprise__status=RecordStatus.ACTIVE,
        programme__is_active=True,
    )
    if programme is not None:
        products = products.filter(programme=programme)
    first_photo = ProductPhoto.objects.filter(product=OuterRef("pk")).order_by("position", "id")
    stock = StockLevel.objects.filter(product=OuterRef("pk"))
    ratings = _visible_reviews().values("product").order_by()
    products = products.select_related(
        "enterprise", "enterprise__pesantren", "enterprise__regency", "category"
    ).annotate(
        thumbnail_name=Subquery(first_photo.values("thumbnail")[:1]),
        available=Coalesce(
            Subquery(
                stock.annotate(free=F("on_hand") - F("reserved")).values("free")[:1],
                output_field=IntegerField(),
            ),
            Value(0),
        ),
        rating_avg=Subquery(
            ratings.annotate(avg=Avg("rating")).values("avg")[:1], output_field=FloatField()
        ),
        review_count=Coalesce(
            Subquery(ratings.annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()),
            Value(0),
        ),
    )
    return with_curation(products, today)


def featured_products(limit: int = 12) -> QuerySet[Product]:
    """Flagship products for the home page: best curation grade, then best rated, newest."""
    return sellable_products().order_by(
        "curation_grade",
        F("rating_avg").desc(nulls_last=True),
        "-review_count",
        "-created_at",
        "id",
    )[:limit]


def sellable_product(product_id: int) -> Product | None:
    """One sellable product for its page, with its photos and certifications, or None."""
    return (
        sellable_products()
        .prefetch_related("photos", "certifications")
        .select_related("enterprise__cooperative")
        .filter(pk=product_id)
        .first()
    )


def valid_certifications(product: Product, today: dt.date | None = None) -> list[Certification]:
    """The product's certifications that have not expired (uses the prefetched list)."""
    today = today or timezone.localdate()
    return [c for c in product.certifications.all() if not c.expires_on or c.expires_on >= today]


def product_reviews(product: Product) -> list[Review]:
    """The newest visible reviews of a product (text, rating, reply; never who wrote them)."""
    return list(
        Review.objects.filter(product=product, status=Review.Status.VISIBLE)
        .only("rating", "text", "reply", "replied_at", "created_at", "product_id")
        .order_by("-created_at", "-id")[:REVIEWS_SHOWN]
    )


def seller_shop(enterprise_id: int) -> Enterprise | None:
    """An active enterprise of an active programme that has at least one sellable product."""
    return (
        Enterprise.objects.filter(
            pk=enterprise_id, status=RecordStatus.ACTIVE, programme__is_active=True
        )
        .filter(pk__in=sellable_products().values("enterprise_id"))
        .select_related("pesantren", "cooperative", "cooperative__pesantren", "regency")
        .only(
            "id",
            "name",
            "description",
            "programme_id",
            "owner",
            "regency__code",
            "regency__name",
            "pesantren__id",
            "pesantren__name",
            "cooperative__id",
            "cooperative__name",
            "cooperative__pesantren__id",
            "cooperative__pesantren__name",
        )
        .first()
    )


def _mobile(phone: str | None) -> str | None:
    phone = (phone or "").strip()
    return phone if phone.startswith("+628") and phone[1:].isdigit() else None


def seller_whatsapp(enterprise: Enterprise) -> str | None:
    """The seller's WhatsApp number: the owner's mobile phone, else the pesantren's; or None.

    Reads the phone columns only, never the rest of the owner's record.
    """
    if enterprise.owner_id:
        found = _mobile(
            Person.objects.filter(pk=enterprise.owner_id).values_list("phone", flat=True).first()
        )
        if found:
            return found
    pesantren_id = enterprise.pesantren_id
    if pesantren_id is None and enterprise.cooperative_id:
        pesantren_id = getattr(enterprise.cooperative, "pesantren_id", None)
    if pesantren_id:
        return _mobile(
            Pesantren.objects.filter(pk=pesantren_id).values_list("phone", flat=True).first()
        )
    return None


def store_categories() -> list[Category]:
    """The top of the category tree, for the home page and the filter."""
    return list(Category.objects.filter(parent__isnull=True).order_by("position", "name"))


SELLER_REGENCIES_KEY = "mart:seller_regencies"
SELLER_REGENCIES_SECONDS = 300


def seller_regencies() -> list[Region]:
    """Kab/kota where an active enterprise of an active programme sells (for the filter).

    Finding them joins every enterprise with products (~180 ms at 100,000 products, most of a
    search page's time: `bench/mart.py`), so their codes are cached for a few minutes (a new
    seller's kab/kota may join the filter that much later). One query either way: the search
    when the cache is cold, the regions by primary key when it is warm.
    """
    codes = cache.get(SELLER_REGENCIES_KEY)
    if codes is not None:
        return list(Region.objects.filter(pk__in=codes).order_by("name"))
    sellers = Enterprise.objects.filter(
        status=RecordStatus.ACTIVE, programme__is_active=True, products__isnull=False
    ).values("regency_id")
    regencies = list(Region.objects.filter(pk__in=sellers).order_by("name"))
    cache.set(SELLER_REGENCIES_KEY, [r.pk for r in regencies], SELLER_REGENCIES_SECONDS)
    return regencies
