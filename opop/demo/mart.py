"""Demo data for OPOP Mart, so that `make run` shows a working shop.

`seed_mart(programme, rng=…)` writes, for one programme:
- a StockLevel for every product that has none (on hand 0–200, nine in ten above zero), in bulk
  (`RowWriter`: COPY on PostgreSQL) a batch at a time: 100,000 products at `large`;
- MartSettings (platform fee 2.5 %, 24 hours to pay);
- post agents (Agen Pos Pesantren) at about one in ten pesantren that run a cooperative;
- the post's tariffs between every pair of kab/kota of the programme's province (38 × 38 for
  Jawa Timur), priced by a distance proxy (how far apart the two codes are);
- a handful of orders of `buyer@demo.opop.id`, placed through the real services (cart,
  `checkout_place` with the payment simulator, `simulator_pay`, the seller's moves), preferring
  products of manager.a's pesantren so that both accounts see orders.

Call it after `seed_curations` (only curated products are sold) and after the demo accounts.
Idempotent: every part looks for what it would write and writes only what is missing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from opop.accounts.models import Membership, Role, User
from opop.catalog.curation import add_months, grade_for
from opop.catalog.models import Product
from opop.demo.writer import RowWriter
from opop.logistics.models import PostAgent, Tariff
from opop.mart.models import BuyerAddress, Cart, Checkout, MartSettings, Order, StockLevel
from opop.regions.models import Region
from opop.registry.models import Cooperative, Pesantren

BUYER = "buyer@demo.opop.id"
SELLER_MANAGER = "manager.a@demo.opop.id"
STOCK_BATCH = 5_000
OUT_OF_STOCK_SHARE = 0.10
AGENT_SHARE = 0.10
PLATFORM_FEE_BP = 250
PAYMENT_EXPIRY_MINUTES = 24 * 60
DEMO_KEY = "demo-mart-"
# (idempotency key suffix, how far the order goes): awaiting payment, then paid, then onwards.
ORDER_PLAN = (
    ("1", Order.Status.AWAITING_PAYMENT),
    ("2", Order.Status.PAID),
    ("3", Order.Status.PACKED),
    ("4", Order.Status.SHIPPED),
    ("5", Order.Status.COMPLETED),
    ("6", Order.Status.PAID),
)
SELLER_PATH = (Order.Status.PACKED, Order.Status.SHIPPED, Order.Status.DELIVERED,
               Order.Status.COMPLETED)  # fmt: skip


def seed_mart(programme, *, rng: random.Random, writer: RowWriter | None = None) -> Counter:
    """Everything above for `programme`. Returns the rows written per kind."""
    writer = writer or RowWriter(now=timezone.now())
    counts: Counter = Counter()
    with transaction.atomic():
        counts["stock_levels"] = stock_levels_ensure(programme, rng=rng, writer=writer)
        MartSettings.objects.get_or_create(
            programme=programme,
            defaults={
                "platform_fee_bp": PLATFORM_FEE_BP,
                "payment_expiry_minutes": PAYMENT_EXPIRY_MINUTES,
            },
        )
        counts["post_agents"] = post_agents_ensure(programme, rng=rng)
        counts["tariffs"] = tariffs_ensure(programme, rng=rng)
    counts["demo_orders"] = demo_orders_ensure(programme, rng=rng)
    writer.analyze((StockLevel, Tariff))
    return counts


# --- Stock ------------------------------------------------------------------------------------


def stock_levels_ensure(programme, *, rng: random.Random, writer: RowWriter) -> int:
    """A StockLevel for every product of `programme` without one, STOCK_BATCH at a time."""
    missing = (
        Product.objects.filter(programme=programme, stock__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    written, after = 0, 0
    while ids := list(missing.filter(pk__gt=after)[:STOCK_BATCH]):
        rows = [
            {
                "product_id": pk,
                "on_hand": 0 if rng.random() < OUT_OF_STOCK_SHARE else rng.randint(1, 200),
                "reserved": 0,
            }
            for pk in ids
        ]
        writer.write(StockLevel, rows)
        written += len(rows)
        after = ids[-1]
    return written


# --- Agen Pos Pesantren -----------------------------------------------------------------------


def post_agents_ensure(programme, *, rng: random.Random) -> int:
    """Post agents at ~AGENT_SHARE of the pesantren that run a cooperative (once)."""
    if PostAgent.objects.filter(programme=programme).exists():
        return 0
    with_coop = list(
        Pesantren.objects.filter(
            programme=programme,
            pk__in=Cooperative.objects.filter(programme=programme).values("pesantren_id"),
        )
        .order_by("pk")
        .values_list("pk", "regency_id")
    )
    if not with_coop:
        return 0
    chosen = rng.sample(with_coop, k=max(1, round(len(with_coop) * AGENT_SHARE)))
    agents = [
        PostAgent(
            programme=programme,
            pesantren_id=pk,
            regency_id=regency_id,
            agent_code=f"AGP-{regency_id.replace('.', '')}-{pk:06d}",
            commission_bp=rng.choice((800, 1000, 1000, 1200)),
        )
        for pk, regency_id in sorted(chosen)
    ]
    PostAgent.objects.bulk_create(agents, batch_size=1_000)
    return len(agents)


# --- Tariffs ----------------------------------------------------------------------------------


def _distance(a: str, b: str) -> int:
    """A distance proxy: how far apart the codes' numbers are (kota 71–79 sit after kab 01–29)."""
    return abs(int(a.split(".")[1]) - int(b.split(".")[1]))


def _round(value: float, step: int = 500) -> int:
    return int(round(value / step) * step)


def tariffs_ensure(programme, *, rng: random.Random) -> int:
    """A tariff for every (origin, destination) kab/kota pair of the province that has none."""
    codes = list(
        Region.objects.filter(level=Region.Level.REGENCY, parent_id=programme.province_id)
        .order_by("code")
        .values_list("code", flat=True)
    )
    have = set(
        Tariff.objects.filter(programme=programme).values_list("origin_id", "destination_id")
    )
    tariffs = []
    for origin in codes:
        for destination in codes:
            # Draw for every pair, written or not, so the prices never depend on what exists.
            jitter = rng.uniform(-0.1, 0.1)
            if (origin, destination) in have:
                continue
            far = min(_distance(origin, destination), 70) / 70  # 0 (same) … 1 (farthest)
            tariffs.append(
                Tariff(
                    programme=programme,
                    origin_id=origin,
                    destination_id=destination,
                    first_kg=max(8_000, min(25_000, _round(8_000 + far * 17_000 * (1 + jitter)))),
                    next_kg=max(3_000, min(9_000, _round(3_000 + far * 6_000 * (1 + jitter)))),
                    days=1 if origin == destination else min(5, 2 + round(far * 3)),
                )
            )
    Tariff.objects.bulk_create(tariffs, batch_size=1_000, ignore_conflicts=True)
    return len(tariffs)


# --- Demo orders ------------------------------------------------------------------------------


def _buyer_address(buyer: User, programme) -> BuyerAddress | None:
    address = BuyerAddress.objects.filter(user=buyer).first()
    if address is not None:
        return address
    regency = (
        Region.objects.filter(pk="35.78").first()
        or Region.objects.filter(level=Region.Level.REGENCY, parent_id=programme.province_id)
        .order_by("code")
        .first()
    )
    district = Region.objects.filter(parent=regency).order_by("code").first() if regency else None
    if district is None:
        return None
    return BuyerAddress.objects.create(
        user=buyer,
        label="Rumah",
        recipient=buyer.full_name or "Pembeli OPOP Mart",
        phone="+6281234567890",
        regency=regency,
        district=district,
        street="Jl. Pahlawan No. 10",
        postal_code="60174",
        is_default=True,
    )


def _manager_products(programme):
    pesantren_ids = list(
        Membership.objects.filter(
            user__email=SELLER_MANAGER, programme=programme, role=Role.MANAGER, is_active=True
        ).values_list("pesantren_id", flat=True)
    )
    return Q(enterprise__pesantren_id__in=pesantren_ids) | Q(
        enterprise__owner__pesantren_id__in=pesantren_ids
    )


def _manager_curated(programme, *, rng: random.Random, wanted: int = 3) -> None:
    """When none of manager.a's products is curated, pass `wanted` of them in the demo curation
    round (an entry and its curation, as `opop.demo.curation` writes them), so that manager.a
    has something to sell and orders to handle."""
    from opop.assessment.models import Entry, Stage
    from opop.catalog.models import Curation
    from opop.catalog.selectors import curated_now
    from opop.demo.curation import DEMO_ROUND, _score

    mine = Product.objects.filter(_manager_products(programme), programme=programme)
    if mine.filter(curated_now()).exists():
        return
    stage = Stage.objects.filter(
        round__programme=programme, round__name=DEMO_ROUND, position=1
    ).first()
    if stage is None or stage.published_at is None:
        return
    candidates = list(
        mine.filter(status=Product.Status.ACTIVE)
        .exclude(pk__in=Entry.objects.filter(stage=stage).values("product_id"))
        .select_related("enterprise", "enterprise__owner")
        .order_by("pk")[:wanted]
    )
    decided_on = timezone.localtime(stage.published_at).date()
    for product in candidates:
        enterprise = product.enterprise
        owner = enterprise.owner
        entry = Entry.objects.create(
            stage=stage,
            title=product.name[:200],
            product=product,
            pesantren_id=enterprise.pesantren_id or (owner.pesantren_id if owner else None),
            regency_id=enterprise.regency_id,
            submitted_at=stage.published_at - dt.timedelta(days=30),
            final_score=_score(rng, 7.5, 9.5),
            outcome=Entry.Outcome.PASSED,
            decided_at=stage.published_at,
        )
        Curation.objects.create(
            product=product,
            entry=entry,
            grade=grade_for(stage.round, entry.final_score),
            score=entry.final_score,
            valid_from=decided_on,
            valid_until=add_months(decided_on, stage.round.validity_months),
        )
    # Something on the shelf to sell.
    StockLevel.objects.filter(product__in=candidates, on_hand__lt=10).update(on_hand=50)


def _demo_products(programme) -> tuple[list[Product], list[Product]]:
    """Sellable products with stock: manager.a's first, then others."""
    from opop.mart.selectors_buyer import sellable_products

    products = (
        sellable_products()
        .filter(programme=programme, stock__on_hand__gte=10)
        .select_related("enterprise")
        .order_by("pk")
    )
    mine = list(products.filter(_manager_products(programme))[:4])
    others = list(products.exclude(pk__in=[p.pk for p in mine])[:200])
    return mine, others


def demo_orders_ensure(programme, *, rng: random.Random) -> int:
    """A few orders of the demo buyer at various stages, through the services (once)."""
    from opop.mart.gateways.simulator import simulator_pay
    from opop.mart.selectors_buyer import seller_users
    from opop.mart.services.cart import cart_add
    from opop.mart.services.checkout import checkout_place
    from opop.mart.services.orders import order_transition

    # The demo buyer's own programme only (its address there, the post's routes there).
    buyer = User.objects.filter(
        email=BUYER, memberships__programme=programme, memberships__is_active=True
    ).first()
    if (
        buyer is None
        or Checkout.objects.filter(
            buyer=buyer, programme=programme, idempotency_key__startswith=DEMO_KEY
        ).exists()
    ):
        return 0
    address = _buyer_address(buyer, programme)
    with transaction.atomic():
        _manager_curated(programme, rng=rng)
    mine, others = _demo_products(programme)
    if address is None or not (mine or others):
        return 0
    placed = 0
    for index, (suffix, goal) in enumerate(ORDER_PLAN):
        # manager.a's products, so that both demo accounts see orders at every stage.
        product = mine[index % len(mine)] if mine else rng.choice(others)
        with transaction.atomic():
            cart, _ = Cart.objects.get_or_create(user=buyer)
            cart.items.all().delete()
            cart_add(cart=cart, product=product, quantity=rng.randint(1, 3))
            checkout = checkout_place(
                actor=buyer,
                programme=programme,
                address=address,
                deliveries={product.enterprise_id: Order.Delivery.POST},
                method="va",
                idempotency_key=f"{DEMO_KEY}{programme.code}-{suffix}",
            )
        placed += 1
        if goal == Order.Status.AWAITING_PAYMENT:
            continue
        simulator_pay(checkout.payment)
        for order in checkout.orders.all():
            seller = seller_users(order.seller).first()
            for step in SELLER_PATH[: SELLER_PATH.index(goal) + 1] if goal in SELLER_PATH else ():
                if seller is None:
                    break
                order = order_transition(actor=seller, order=order, to_status=step)
    return placed
