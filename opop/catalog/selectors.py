"""Which products a user may see (registry scope), and which of them are curated today.

A product is "Produk Unggulan OPOP" while it has a Curation that is not revoked and whose
`valid_until` is today or later; every list, badge, filter and count asks `curated_now()`.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone

from opop.accounts.access import Access
from opop.catalog.models import Curation, Product
from opop.registry.selectors import enterprises_editable_by, enterprises_visible_to


def products_visible_to(access: Access) -> QuerySet[Product]:
    return Product.objects.filter(
        programme_id=getattr(access, "programme_id", None),
        enterprise__in=enterprises_visible_to(access),
    )


def products_editable_by(access: Access) -> QuerySet[Product]:
    """Cooperative managers and participants keep their own enterprises' products."""
    return Product.objects.filter(
        programme_id=getattr(access, "programme_id", None),
        enterprise__in=enterprises_editable_by(access),
    )


# --- Curated products ("Produk Unggulan OPOP") ------------------------------------------------


def valid_curations(today: dt.date | None = None) -> QuerySet[Curation]:
    """Curations that make their product "Produk Unggulan OPOP" today."""
    today = today or timezone.localdate()
    return Curation.objects.filter(revoked_at__isnull=True, valid_until__gte=today)


def curated_now(today: dt.date | None = None) -> Exists:
    """A filter for Product querysets: `products.filter(curated_now())`."""
    return Exists(valid_curations(today).filter(product=OuterRef("pk")))


def with_curation(products: QuerySet[Product], today: dt.date | None = None) -> QuerySet[Product]:
    """Annotate `curation_grade` and `curation_until` (None when not curated today).

    Two correlated subqueries on the (product, valid_until) index; no query per row. Of several
    valid curations the one lasting longest counts.
    """
    best = valid_curations(today).filter(product=OuterRef("pk")).order_by("-valid_until", "-id")
    return products.annotate(
        curation_grade=Subquery(best.values("grade")[:1]),
        curation_until=Subquery(best.values("valid_until")[:1]),
    )


def curated_products(programme, today: dt.date | None = None) -> QuerySet[Product]:
    """The programme's products that are "Produk Unggulan OPOP" today, with their grade."""
    return with_curation(
        Product.objects.filter(programme=programme).filter(curated_now(today)), today
    )


def product_curation(product: Product, today: dt.date | None = None) -> Curation | None:
    """The curation that makes this product "Produk Unggulan OPOP" today, if any."""
    return valid_curations(today).filter(product=product).order_by("-valid_until", "-id").first()


def product_is_curated(product: Product, today: dt.date | None = None) -> bool:
    return valid_curations(today).filter(product=product).exists()
