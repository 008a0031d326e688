"""Shared factories for the OPOP Mart tests (other mart test modules import these).

`sellable_product` makes what the storefront may sell: an ACTIVE product of an ACTIVE
enterprise, with a StockLevel and a Curation valid today ("Produk Unggulan OPOP").
"""

from __future__ import annotations

from opop.catalog.models import Category, Product
from opop.catalog.tests import helpers as catalog_helpers
from opop.mart.models import BuyerAddress, StockLevel


def _category() -> Category:
    found, _ = Category.objects.get_or_create(slug="keripik", defaults={"name": "Keripik"})
    return found


def curate(product: Product, **kwargs):
    """A Curation valid today for `product` (one small published round per call)."""
    round_ = catalog_helpers.curation_round(product.programme)
    stage = catalog_helpers.publish(catalog_helpers.first_stage(round_))
    return catalog_helpers.curation(product, stage, **kwargs)


def sellable_product(
    world,
    name: str = "Keripik Singkong",
    price: int = 15_000,
    stock: int = 10,
    enterprise=None,
    *,
    weight_grams: int = 250,
    unit: str = "bungkus",
    category: Category | None = None,
) -> Product:
    """An active, curated product with `stock` units on hand (enterprise_a's by default)."""
    enterprise = enterprise or world.enterprise_a
    product = Product.objects.create(
        programme=enterprise.programme,
        enterprise=enterprise,
        category=category or _category(),
        name=name,
        description=catalog_helpers.DESCRIPTION,
        price=price,
        unit=unit,
        weight_grams=weight_grams,
        status=Product.Status.ACTIVE,
    )
    StockLevel.objects.create(product=product, on_hand=stock)
    curate(product)
    return product


def buyer_address(user, *, regency_code: str = "35.78", district=None, **fields) -> BuyerAddress:
    """An address in a kab/kota (Kota Surabaya by default) with one of its kecamatan."""
    from opop.regions.models import Region

    regency = Region.objects.get(code=regency_code)
    district = district or Region.objects.filter(parent=regency).order_by("code").first()
    return BuyerAddress.objects.create(
        user=user,
        label=fields.pop("label", "Rumah"),
        recipient=fields.pop("recipient", user.full_name or "Pembeli"),
        phone=fields.pop("phone", "+6281234567890"),
        regency=regency,
        district=district,
        street=fields.pop("street", "Jl. Pesantren 1"),
        is_default=fields.pop("is_default", True),
        **fields,
    )


# --- Checkout plumbing for tests: a fixed post quote, and a stand-in payment when the payments
# service does not exist yet (`stub_checkout_outside(monkeypatch)` in an autouse fixture).

POST_FEE = 12_000


def stub_checkout_outside(monkeypatch, *, fee: int | None = POST_FEE, payment: bool | None = None):
    from types import SimpleNamespace

    from opop.mart.services import checkout as checkout_service

    quote = None if fee is None else SimpleNamespace(fee=fee, days=2)
    monkeypatch.setattr(checkout_service, "shipping_quote_for", lambda **kwargs: quote)
    if payment is None:
        try:
            from opop.mart.services.payments import payment_start  # noqa: F401

            payment = False
        except ImportError:
            payment = True
    if payment:
        monkeypatch.setattr(checkout_service, "_payment_create", lambda **kwargs: None)


def fill_cart(user, *items):
    """Put (product, quantity) pairs in `user`'s cart (ORM, no checks)."""
    from opop.mart.models import Cart, CartItem

    cart, _ = Cart.objects.get_or_create(user=user)
    for product, quantity in items:
        CartItem.objects.update_or_create(
            cart=cart, product=product, defaults={"quantity": quantity}
        )
    return cart
