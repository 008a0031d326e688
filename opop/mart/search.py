"""Storefront search, filters and sorting.

On PostgreSQL the text search uses the `indonesian` configuration on exactly the expression of
the GIN index made by `catalog/migrations/0004_product_search_index.py`
(`to_tsvector('indonesian', coalesce(name,'') || ' ' || coalesce(description,''))`), matched with
`websearch_to_tsquery` (quotes, `or`, `-word` as people type them), so that 100,000 products are
searched through the index, and ranked with `ts_rank` on the name's vector only (cheap: the short
name of each match is parsed, not the description; products naming the words first). On SQLite
every word must appear in the name or the description; products naming the words rank first.
"""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    F,
    FloatField,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opop.catalog.models import Category, Certification, Product
from opop.mart.selectors_store import seller_regencies
from opop.regions.models import Region

PAGE_SIZE = 24
CONFIG = "indonesian"  # a literal in the SQL below: it must read exactly like the index
DOCUMENT = (
    "to_tsvector('indonesian', coalesce(\"catalog_product\".\"name\", '') || ' ' || "
    'coalesce("catalog_product"."description", \'\'))'
)
# Ranked on the name only: parsing the short name of each match costs a third of parsing name and
# description again (~8,000 matches of a common word), and products naming the words come first.
NAME = "to_tsvector('indonesian', coalesce(\"catalog_product\".\"name\", ''))"
QUERY = "websearch_to_tsquery('indonesian', %s)"

SORT_RELEVANCE, SORT_NEWEST, SORT_PRICE_ASC, SORT_PRICE_DESC, SORT_RATING = (
    "relevance",
    "newest",
    "price_asc",
    "price_desc",
    "rating",
)
SORTS = [
    (SORT_RELEVANCE, _("Relevance")),
    (SORT_NEWEST, _("Newest")),
    (SORT_PRICE_ASC, _("Price: low to high")),
    (SORT_PRICE_DESC, _("Price: high to low")),
    (SORT_RATING, _("Best rated")),
]
ORDERINGS = {
    SORT_NEWEST: ["-created_at", "-id"],
    SORT_PRICE_ASC: ["price", "name", "id"],
    SORT_PRICE_DESC: ["-price", "name", "id"],
    SORT_RATING: [F("rating_avg").desc(nulls_last=True), "-review_count", "name", "id"],
}


def text_search(products: QuerySet[Product], q: str) -> QuerySet[Product]:
    """Products matching `q`, annotated with `rank` (higher is better)."""
    q = " ".join(q.split())
    if not q:
        return products.annotate(rank=Value(0.0, output_field=FloatField()))
    if connection.vendor == "postgresql":
        # Constant SQL; the visitor's words travel only as a parameter.
        matches = RawSQL(f"{DOCUMENT} @@ {QUERY}", (q,), output_field=BooleanField())  # noqa: S611
        rank = RawSQL(f"ts_rank({NAME}, {QUERY})", (q,), output_field=FloatField())  # noqa: S611
        return products.filter(matches).annotate(rank=rank)
    words = q.split()[:8]
    for word in words:
        products = products.filter(Q(name__icontains=word) | Q(description__icontains=word))
    in_name = [
        Case(
            When(name__icontains=word, then=Value(1)), default=Value(0), output_field=IntegerField()
        )
        for word in words
    ]
    return products.annotate(rank=sum(in_name[1:], in_name[0]) * Value(1.0))


def _descendants(categories: list[Category], root: Category) -> list[int]:
    found = {root.pk}
    grew = True
    while grew:
        children = {c.pk for c in categories if c.parent_id in found} - found
        found |= children
        grew = bool(children)
    return sorted(found)


def halal_certified(products: QuerySet[Product]) -> QuerySet[Product]:
    """Products with a halal certification that has not expired."""
    today = timezone.localdate()
    return products.filter(
        pk__in=Certification.objects.filter(kind=Certification.Kind.HALAL)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        .values("product_id")
    )


class StoreSearchForm(forms.Form):
    """The storefront's query string; a bad value is ignored (the rest still applies)."""

    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    # Any kab/kota code is accepted (the offered list is cached and may lag a new seller).
    regency = forms.CharField(
        label=_("Kab/kota"),
        required=False,
        widget=forms.Select,
        validators=[RegexValidator(r"^\d{2}\.\d{2}$")],
    )
    halal = forms.BooleanField(label=_("Halal certified"), required=False)
    min = forms.IntegerField(label=_("Min. price (Rp)"), min_value=0, required=False)
    max = forms.IntegerField(label=_("Max. price (Rp)"), min_value=0, required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORTS, required=False)

    def __init__(self, data=None, *, fixed_category: Category | None = None):
        super().__init__(data)
        self.categories = list(Category.objects.order_by("position", "name"))
        self.fixed_category = fixed_category
        names = {c.pk: c.name for c in self.categories}
        self.fields["category"].choices = [("", _("All categories"))] + [
            (c.slug, f"{names[c.parent_id]} › {c.name}" if c.parent_id else c.name)
            for c in self.categories
        ]
        self.fields["regency"].widget.choices = [("", _("All kab/kota"))] + [
            (r.pk, r.name) for r in seller_regencies()
        ]
        for name in ("q", "min", "max"):
            self.fields[name].widget.attrs["class"] = "form-control form-control-sm"
        for name in ("category", "regency", "sort"):
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"
        self.fields["halal"].widget.attrs["class"] = "form-check-input"
        self.fields["q"].widget.attrs.update(
            {"type": "search", "placeholder": _("Keripik, batik, kopi…")}
        )
        self.fields["min"].widget.attrs["inputmode"] = "numeric"
        self.fields["max"].widget.attrs["inputmode"] = "numeric"
        self.is_valid()  # fills cleaned_data with the good fields only

    def clean_regency(self):
        code = self.cleaned_data.get("regency") or ""
        if code and not Region.objects.filter(pk=code, level=Region.Level.REGENCY).exists():
            raise forms.ValidationError(_("Unknown kab/kota."))
        return code

    def value(self, name: str):
        return getattr(self, "cleaned_data", {}).get(name)

    @property
    def query(self) -> str:
        return (self.value("q") or "").strip()

    @property
    def sort_key(self) -> str:
        chosen = self.value("sort")
        if chosen == SORT_RELEVANCE and not self.query:
            chosen = ""
        return chosen or (SORT_RELEVANCE if self.query else SORT_NEWEST)

    @property
    def sort_choices(self):
        return [(k, label) for k, label in SORTS if k != SORT_RELEVANCE or self.query]

    def category_ids(self) -> list[int] | None:
        root = self.fixed_category
        if root is None and self.value("category"):
            root = next((c for c in self.categories if c.slug == self.value("category")), None)
        return _descendants(self.categories, root) if root else None

    def apply(self, products: QuerySet[Product]) -> QuerySet[Product]:
        """Filter, search and order `products` (from `sellable_products()`)."""
        ids = self.category_ids()
        if ids is not None:
            products = products.filter(category_id__in=ids)
        if self.value("regency"):
            products = products.filter(enterprise__regency_id=self.value("regency"))
        if self.value("halal"):
            products = halal_certified(products)
        if self.value("min") is not None:
            products = products.filter(price__gte=self.value("min"))
        if self.value("max") is not None:
            products = products.filter(price__lte=self.value("max"))
        if self.query:
            products = text_search(products, self.query)
        if self.sort_key == SORT_RELEVANCE:
            return products.order_by("-rank", "name", "id")
        return products.order_by(*ORDERINGS[self.sort_key])

    @property
    def is_filtered(self) -> bool:
        return any(
            self.value(n) not in (None, "", False)
            for n in ("q", "category", "regency", "halal", "min", "max")
        )
