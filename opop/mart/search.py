"""Storefront search, filters and sorting.

On PostgreSQL the text search uses the `indonesian` configuration on exactly the expression of
the GIN index made by `catalog/migrations/0004_product_search_index.py`
(`to_tsvector('indonesian', coalesce(name,'') || ' ' || coalesce(description,''))`), matched with
`websearch_to_tsquery` (quotes, `or`, `-word` as people type them), so that 100,000 products are
searched through the index, and ranked with `ts_rank` on the name's stored vector
(`name_vector`, a generated column of `catalog/migrations/0006_product_name_vector.py` that
PostgreSQL keeps up to date on every write): products naming the words come first, and no
match's name is parsed again at query time. On SQLite every word must appear in the name or the
description; products naming the words rank first.

Listings are read in two steps (`Listing`): the primary keys in the listing's order (the first
1,001 give both the capped count and every page within them), then one page of cards by key. A
category with sub-categories, newest first, merges each sub-category's newest products
(`catalog_product_cat_new_idx`) instead of sorting every product of the tree.
"""

from __future__ import annotations

import html
from collections.abc import Callable

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
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from opop.catalog.models import Category, Certification, Product
from opop.mart.selectors_store import seller_regencies, with_ratings
from opop.regions.models import Region

PAGE_SIZE = 24
CONFIG = "indonesian"  # a literal in the SQL below: it must read exactly like the index
DOCUMENT = (
    "to_tsvector('indonesian', coalesce(\"catalog_product\".\"name\", '') || ' ' || "
    'coalesce("catalog_product"."description", \'\'))'
)
# Ranked on the name only, read from its stored vector (catalog/migrations/0006; PostgreSQL only,
# not a model field): products naming the words come first.
NAME = '"catalog_product"."name_vector"'
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


def _attrs(attrs: dict) -> str:
    # As Django's attrs.html: True gives the bare name, False or None leaves it out.
    return "".join(
        f" {key}" if value is True else f' {key}="{html.escape(str(value))}"'
        for key, value in attrs.items()
        if value is not False and value is not None
    )


class PlainSelect(forms.Select):
    """A `<select>` written in Python, the same markup as Django's template.

    Django's widget templates render one included template per option, and `format_html` costs
    about as much again: for the ~50 kab/kota and ~20 categories of the filter that was a fifth
    of a listing page's time (`bench/mart.py`). Options and groups come from Django's own
    `get_context()`, so values, labels and the selected option are Django's.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = "\n  ".join(
            f'<option value="{html.escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
            f"{html.escape(str(option['label']))}</option>"
            for _group, choices, _index in widget["optgroups"]
            for option in choices
        )
        return mark_safe(  # noqa: S308 - every value above is escaped
            f'<select name="{html.escape(widget["name"])}"{_attrs(widget["attrs"])}>'
            f"\n  {options}\n</select>"
        )


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
    category = forms.ChoiceField(label=_("Category"), required=False, widget=PlainSelect)
    # Any kab/kota code is accepted (the offered list is cached and may lag a new seller).
    regency = forms.CharField(
        label=_("Kab/kota"),
        required=False,
        widget=PlainSelect,
        validators=[RegexValidator(r"^\d{2}\.\d{2}$")],
    )
    halal = forms.BooleanField(label=_("Halal certified"), required=False)
    min = forms.IntegerField(label=_("Min. price (Rp)"), min_value=0, required=False)
    max = forms.IntegerField(label=_("Max. price (Rp)"), min_value=0, required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORTS, required=False, widget=PlainSelect)

    def __init__(
        self,
        data=None,
        *,
        fixed_category: Category | None = None,
        categories: list[Category] | None = None,
    ):
        """`categories`: every category by position and name, when the caller has them."""
        super().__init__(data)
        if categories is None:
            categories = list(Category.objects.order_by("position", "name"))
        self.categories = categories
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

    def apply(self, products: QuerySet[Product], *, category_id: int | None = None):
        """Filter, search and order `products` (`sellable_rows()` or `sellable_products()`).

        `category_id` narrows the listing to one category of the chosen tree (see `listing`).
        """
        ids = self.category_ids()
        if category_id is not None:
            products = products.filter(category_id=category_id)
        elif ids is not None:
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
        if self.sort_key == SORT_RATING:
            products = with_ratings(products)
        return products.order_by(*ORDERINGS[self.sort_key])

    def listing(self, products: QuerySet[Product]) -> Listing:
        """`apply` read as a `Listing`; a category tree newest first is read per category.

        Not with a text query: its matches are found through the GIN index, once, and are few
        enough to sort (one index search per sub-category would cost more).
        """
        if self.sort_key != SORT_NEWEST or self.query:
            return Listing(self.apply(products))
        return Listing(
            self.apply(products),
            branch=lambda pk: self.apply(products, category_id=pk),
            category_ids=self.category_ids(),
        )

    @property
    def is_filtered(self) -> bool:
        return any(
            self.value(n) not in (None, "", False)
            for n in ("q", "category", "regency", "halal", "min", "max")
        )


# A category key no row has: marks the category's parameter in the one branch compiled.
_ANY_CATEGORY = -7_654_321


class Listing:
    """An ordered listing of products, read as primary keys first (cards come by key later).

    With `branch` (PostgreSQL, newest first, a category with sub-categories), the listing is read
    as the merge of `branch(category_id)` for each of `category_ids`: each reads its category's
    newest rows in index order (`catalog_product_cat_new_idx`) and the merge stops after `stop`
    rows, where the single query sorts every product of the tree (~12,000 rows at `large`)
    before taking a page. Same rows, same order.
    """

    def __init__(
        self,
        products: QuerySet[Product],
        *,
        branch: Callable[[int], QuerySet[Product]] | None = None,
        category_ids: list[int] | None = None,
    ):
        self.products = products
        merged = (
            branch is not None
            and category_ids is not None
            and len(category_ids) > 1
            and connection.vendor == "postgresql"
        )
        self.branch = branch if merged else None
        self.category_ids = category_ids if merged else None
        self._templates: dict[int, tuple[str, list]] = {}

    def keys_sql(self, stop: int) -> tuple[str, list]:
        """The SQL of `keys(stop)` and its parameters."""
        if self.branch is None:
            sql, params = self.products.values_list("pk", flat=True)[:stop].query.sql_with_params()
            return sql, list(params)
        parts = [self._branch_sql(stop, pk) for pk in self.category_ids]
        union = " UNION ALL ".join(f"({sql})" for sql, _params in parts)
        sql = (
            f"SELECT listing.key FROM ({union}) AS listing (key, created_at) "  # noqa: S608
            "ORDER BY listing.created_at DESC, listing.key DESC LIMIT %s"
        )
        return sql, [value for _sql, params in parts for value in params] + [stop]

    def _branch_sql(self, stop: int, category_id: int) -> tuple[str, list]:
        # The branches differ by the category's key only: compile one (~2 ms each) and reuse it.
        if stop not in self._templates:
            self._templates[stop] = self._compile(stop, _ANY_CATEGORY)
        sql, params = self._templates[stop]
        slots = [i for i, value in enumerate(params) if value == _ANY_CATEGORY]
        if len(slots) != 1:  # the category's parameter cannot be told apart: compile this one
            return self._compile(stop, category_id)
        params = list(params)
        params[slots[0]] = category_id
        return sql, params

    def _compile(self, stop: int, category_id: int) -> tuple[str, list]:
        part = self.branch(category_id).order_by(*ORDERINGS[SORT_NEWEST])
        sql, params = part.values_list("pk", "created_at")[:stop].query.sql_with_params()
        return sql, list(params)

    def keys(self, stop: int) -> list[int]:
        """The primary keys of the first `stop` products, in the listing's order."""
        if self.branch is None:
            return list(self.products.values_list("pk", flat=True)[:stop])
        sql, params = self.keys_sql(stop)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]
