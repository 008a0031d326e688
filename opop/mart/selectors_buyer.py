"""Buyer-side reads: what may be sold, a buyer's cart, checkouts and orders (always scoped by
the buyer), and who sells an order (the users told about it and allowed its invoice)."""

from __future__ import annotations

from collections import OrderedDict

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from opop.accounts.models import Membership, Role, User
from opop.catalog.models import Product
from opop.catalog.selectors import curated_now
from opop.mart.models import BuyerAddress, Cart, Order
from opop.registry.models import Enterprise, RecordStatus


def sellable_products() -> QuerySet[Product]:
    """Curated today, ACTIVE products of ACTIVE enterprises: the only things OPOP Mart sells."""
    return Product.objects.filter(
        curated_now(),
        status=Product.Status.ACTIVE,
        enterprise__status=RecordStatus.ACTIVE,
    )


def product_is_sellable(product: Product) -> bool:
    return sellable_products().filter(pk=product.pk).exists()


def cart_items(cart: Cart | None):
    if cart is None or not cart.pk:
        return []
    return list(
        cart.items.select_related(
            "product", "product__stock", "product__enterprise", "product__programme"
        ).order_by("product__enterprise__name", "product__enterprise_id", "added_at", "id")
    )


def cart_groups(cart: Cart | None) -> list[dict]:
    """Items grouped by seller enterprise: [{"seller", "programme", "items", "subtotal"}]."""
    sellable = set()
    items = cart_items(cart)
    if items:
        sellable = set(
            sellable_products()
            .filter(pk__in=[item.product_id for item in items])
            .values_list("pk", flat=True)
        )
    groups: OrderedDict[int, dict] = OrderedDict()
    for item in items:
        seller = item.product.enterprise
        group = groups.setdefault(
            seller.pk,
            {"seller": seller, "programme": item.product.programme, "items": [], "subtotal": 0},
        )
        item.sellable = item.product_id in sellable
        stock = getattr(item.product, "stock", None)
        item.available = stock.available if stock else 0
        item.line_total = item.product.price * item.quantity
        group["items"].append(item)
        if item.sellable:
            group["subtotal"] += item.line_total
    return list(groups.values())


def cart_count(cart: Cart | None) -> int:
    if cart is None or not cart.pk:
        return 0
    return sum(cart.items.values_list("quantity", flat=True))


def addresses_of(user) -> QuerySet[BuyerAddress]:
    return BuyerAddress.objects.filter(user=user).select_related("regency", "district")


def orders_of_buyer(user) -> QuerySet[Order]:
    return (
        Order.objects.filter(buyer=user)
        .select_related("seller", "checkout", "seller__regency")
        .order_by("-created_at", "-id")
    )


def buyer_order_or_404(user, number: str) -> Order:
    return get_object_or_404(orders_of_buyer(user), number=number)


def seller_users(enterprise: Enterprise) -> QuerySet[User]:
    """Users who sell for `enterprise`: managers of its pesantren (its own or its owner's) and
    the participant who owns it."""
    pesantren_ids = {enterprise.pesantren_id}
    if enterprise.owner_id:
        pesantren_ids.add(enterprise.owner.pesantren_id)
    pesantren_ids.discard(None)
    memberships = Membership.objects.filter(
        programme_id=enterprise.programme_id, is_active=True
    ).filter(
        Q(role=Role.MANAGER, pesantren_id__in=pesantren_ids)
        | Q(role=Role.PARTICIPANT, person_id=enterprise.owner_id, person__isnull=False)
    )
    return User.objects.filter(is_active=True, pk__in=memberships.values("user_id")).order_by("pk")


def is_seller_of(user, order: Order) -> bool:
    return bool(user and user.is_authenticated) and (
        seller_users(order.seller).filter(pk=user.pk).exists()
    )


def is_programme_admin(user, programme_id: int) -> bool:
    return (
        bool(user and user.is_authenticated)
        and Membership.objects.filter(
            user=user, programme_id=programme_id, role=Role.ADMIN, is_active=True
        ).exists()
    )
