"""Which products a user may see: those of the enterprises they may see (registry scope)."""

from django.db.models import QuerySet

from opop.accounts.access import Access
from opop.catalog.models import Product
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
