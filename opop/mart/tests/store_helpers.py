"""Factories for the storefront tests: reviews (through a delivered order line), halal numbers,
sub-categories. Sellable products come from `opop.mart.tests.helpers.sellable_product`."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from opop.catalog.models import Category, Certification, Product
from opop.mart.models import Checkout, Order, OrderLine, Review

HALAL_NUMBER = "ID35110000123450124"
_serial = itertools.count(1)


def category(slug: str, parent: Category | None = None) -> Category:
    found, _ = Category.objects.get_or_create(
        slug=slug, defaults={"name": slug.replace("-", " ").title(), "parent": parent}
    )
    return found


def halal(product: Product, number: str = HALAL_NUMBER, expires_on=None) -> Certification:
    return Certification.objects.create(
        product=product, kind=Certification.Kind.HALAL, number=number, expires_on=expires_on
    )


def review(product: Product, buyer, rating: int, text: str = "", **fields) -> Review:
    """A review on a completed order line of `buyer` (rows written directly)."""
    n = next(_serial)
    checkout = Checkout.objects.create(
        programme=product.programme,
        buyer=buyer,
        reference=f"TST-{n}",
        idempotency_key=f"k{n}",
        status=Checkout.Status.PAID,
        total=product.price,
        expires_at=timezone.now() + dt.timedelta(days=1),
    )
    order = Order.objects.create(
        programme=product.programme,
        checkout=checkout,
        number=f"TST-{n}-1",
        buyer=buyer,
        seller=product.enterprise,
        status=Order.Status.COMPLETED,
        subtotal=product.price,
        total=product.price,
    )
    line = OrderLine.objects.create(
        order=order,
        product=product,
        product_name=product.name,
        unit=product.unit,
        unit_price=product.price,
        quantity=1,
        weight_grams=product.weight_grams,
        line_total=product.price,
    )
    return Review.objects.create(
        line=line, product=product, buyer=buyer, rating=rating, text=text, **fields
    )
