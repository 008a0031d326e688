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


def sellable_rows(programme=None, today: dt.date | None = None) -> QuerySet[Product]:
    """Curated, active products of active sellers in active programmes, without annotations.

    What listings filter, search and order to find a page's keys (`search.Listing`); the cards
    of the page then come from `product_cards()`.
    """
    products = Product.objects.filter(
        curated_now(today),
        status=Product.Status.ACTIVE,
        enterprise__status=RecordStatus.ACTIVE,
        programme__is_active=True,
    )
    if programme is not None:
        products = products.filter(programme=programme)
    return products


def sellable_products(programme=None, today: dt.date | None = None) -> QuerySet[Product]:
    """`sellable_rows()` ready for cards.

    Annotations: `curation_grade`, `curation_until`, `thumbnail_name` (storage name of the first
    photo's thumbnail), `available` (on hand − reserved, 0 without a StockLevel), `rating_avg`
    (None without reviews) and `review_count` of VISIBLE reviews. Correlated subqueries rather
    than joins + GROUP BY, so that search and sorting stay plain filters on one row per product.
    """
    products = sellable_rows(programme, today).select_related(
        "enterprise", "enterprise__pesantren", "enterprise__regency", "category"
    )
    return _card_fields(products, today)


def _card_fields(products: QuerySet[Product], today: dt.date | None) -> QuerySet[Product]:
    first_photo = ProductPhoto.objects.filter(product=OuterRef("pk")).order_by("position", "id")
    stock = StockLevel.objects.filter(product=OuterRef("pk"))
    products = products.annotate(
        thumbnail_name=Subquery(first_photo.values("thumbnail")[:1]),
        available=Coalesce(
            Subquery(
                stock.annotate(free=F("on_hand") - F("reserved")).values("free")[:1],
                output_field=IntegerField(),
            ),
            Value(0),
        ),
    )
    return with_curation(with_ratings(products), today)


def with_ratings(products: QuerySet[Product]) -> QuerySet[Product]:
    """Annotate `rating_avg` (None without reviews) and `review_count` of VISIBLE reviews."""
    if "rating_avg" in products.query.annotations:
        return products
    ratings = _visible_reviews().values("product").order_by()
    return products.annotate(
        rating_avg=Subquery(
            ratings.annotate(avg=Avg("rating")).values("avg")[:1], output_field=FloatField()
        ),
        review_count=Coalesce(
            Subquery(ratings.annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()),
            Value(0),
        ),
    )


# The cards' queryset of the day, before it is narrowed to a page's keys (see `card_rows`).
_cards_of_the_day: dict[dt.date, QuerySet[Product]] = {}


def card_rows(keys: list[int], today: dt.date | None = None) -> QuerySet[Product]:
    """The sellable products of `keys` with the annotations of `sellable_products()`.

    A card shows the seller's kab/kota only: no pesantren, no category (fewer joins and objects).
    Building the annotated queryset costs ~6 ms of Python, a third of a page's cards; it is the
    same all day (only the date is bound into it), so each process builds it once a day and only
    narrows a copy to the keys (`filter()` never changes the queryset it starts from).
    """
    today = today or timezone.localdate()
    cards = _cards_of_the_day.get(today)
    if cards is None:
        rows = sellable_rows(today=today).select_related("enterprise__regency")
        cards = _card_fields(rows, today)
        _cards_of_the_day.clear()
        _cards_of_the_day[today] = cards
    return cards.filter(pk__in=keys)


def product_cards(keys: list[int], today: dt.date | None = None) -> list[Product]:
    """The cards of the sellable products of `keys`, in the order of `keys` (one query).

    Listings find a page's keys first (`search.Listing`), so the card annotations are computed
    for one page of rows only, in a query the planner plans for a handful of primary keys.
    """
    if not keys:
        return []
    found = {p.pk: p for p in card_rows(keys, today)}
    return [found[key] for key in keys if key in found]


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


SELLER_REGENCIES_KEY = "mart:seller_regencies:names"
SELLER_REGENCIES_SECONDS = 300


def seller_regencies() -> list[Region]:
    """Kab/kota where an active enterprise of an active programme sells (for the filter).

    Finding them joins every enterprise with products (~180 ms at 100,000 products, most of a
    search page's time: `bench/mart.py`), so their codes and names are cached for a few minutes
    (a new seller's kab/kota may join the filter that much later): no query when the cache is
    warm. The regions returned are not read from the database (code and name only).
    """
    pairs = cache.get(SELLER_REGENCIES_KEY)
    if pairs is None:
        sellers = Enterprise.objects.filter(
            status=RecordStatus.ACTIVE, programme__is_active=True, products__isnull=False
        ).values("regency_id")
        pairs = list(
            Region.objects.filter(pk__in=sellers).order_by("name").values_list("code", "name")
        )
        cache.set(SELLER_REGENCIES_KEY, pairs, SELLER_REGENCIES_SECONDS)
    return [Region(code=code, name=name) for code, name in pairs]
