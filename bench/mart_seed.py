"""What the OPOP Mart benchmark needs in the bench database, added without deleting demo data.

- `prepare()`: `opop.demo.mart.seed_mart` for every demo programme (stock levels for every
  product, mart settings, post agents, tariffs, the demo buyer's orders; idempotent), then
  ANALYZE of the tables the storefront reads.
- `buyers_ensure(n)`: bench buyers `buyer<n>@bench.opop.id` (no password: the benchmark works
  through the services), each with an address in Kota Surabaya and a cart.
- `checkouts_forget()`: deletes the bench buyers' checkouts with their orders and payments
  (Payment and Order PROTECT their checkout; order lines and events go with their order).
  The products' stock is put back by the benchmark itself (`stock_restore`).
"""

from __future__ import annotations

import random
import sys
import time
from collections import Counter

from django.db import connection, transaction

from opop.accounts.models import User
from opop.catalog.models import Category, Curation, Product
from opop.demo.mart import seed_mart
from opop.demo.programmes import PROGRAMMES
from opop.logistics.models import Tariff
from opop.mart.models import (
    BuyerAddress,
    Cart,
    Checkout,
    Order,
    Payment,
    PaymentEvent,
    StockLevel,
)
from opop.programmes.models import Programme
from opop.regions.models import Region

SEED = 2019
BENCH_DOMAIN = "bench.opop.id"
BUYER_REGENCY = "35.78"  # Kota Surabaya


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def prepare(log=_log) -> dict:
    """Mart demo data for every demo programme, then fresh planner statistics."""
    started = time.perf_counter()
    written = {}
    for spec in PROGRAMMES:
        programme = Programme.objects.filter(code=spec.code).first()
        if programme is None:
            continue
        counts = seed_mart(programme, rng=random.Random(f"{SEED}:{spec.code}:mart"))
        written[spec.code] = dict(counts)
        if sum(counts.values()):
            log(f"Mart demo data for {spec.code}: {dict(counts)}")
    analyze()
    return {"written": written, "seconds": round(time.perf_counter() - started, 1)}


def analyze() -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (Product, StockLevel, Curation, Category, Tariff, Checkout, Order):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def buyers_ensure(n: int) -> list[tuple[User, BuyerAddress]]:
    regency = Region.objects.get(pk=BUYER_REGENCY)
    district = Region.objects.filter(parent=regency).order_by("code").first()
    buyers = []
    with transaction.atomic():
        for number in range(1, n + 1):
            user, created = User.objects.get_or_create(
                email=f"buyer{number}@{BENCH_DOMAIN}",
                defaults={"full_name": f"Bench Buyer {number}"},
            )
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            address = BuyerAddress.objects.filter(user=user).first() or (
                BuyerAddress.objects.create(
                    user=user,
                    label="Bench",
                    recipient=user.full_name,
                    phone="+6281200000000",
                    regency=regency,
                    district=district,
                    street="Jl. Benchmark 1",
                    is_default=True,
                )
            )
            Cart.objects.get_or_create(user=user)
            buyers.append((user, address))
    return buyers


def checkouts_forget() -> int:
    """Delete the bench buyers' checkouts (and their orders, payments, payment events)."""
    with transaction.atomic():
        checkouts = Checkout.objects.filter(buyer__email__endswith=f"@{BENCH_DOMAIN}")
        PaymentEvent.objects.filter(payment__checkout__in=checkouts).delete()
        Payment.objects.filter(checkout__in=checkouts).delete()
        Order.objects.filter(checkout__in=checkouts).delete()
        deleted, _ = checkouts.delete()
    return deleted


def stock_snapshot(product_ids: list[int]) -> dict[int, tuple[int, int]]:
    return {
        row.product_id: (row.on_hand, row.reserved)
        for row in StockLevel.objects.filter(product_id__in=product_ids)
    }


def stock_restore(snapshot: dict[int, tuple[int, int]]) -> None:
    with transaction.atomic():
        for product_id, (on_hand, reserved) in snapshot.items():
            StockLevel.objects.filter(pk=product_id).update(on_hand=on_hand, reserved=reserved)


# --- Checkout under load (`mart.checkout`) ----------------------------------------------------

BUYERS = 50
ATTEMPTS = 4  # checkouts tried by each buyer, one after the other
STOCK_PRODUCTS = 4
STOCK_EACH = 40  # 160 units for 50 × 4 attempts of 1–2 units of 1–2 products: most are refused


def _stock_products(programme) -> list[Product]:
    """Sellable products of `programme` whose seller ships to Surabaya (a tariff), 4 sellers."""
    from opop.mart.selectors_buyer import sellable_products

    routes = Tariff.objects.filter(programme=programme, destination_id=BUYER_REGENCY)
    chosen, sellers = [], set()
    for product in (
        sellable_products()
        .filter(
            programme=programme,
            stock__isnull=False,
            enterprise__regency_id__in=routes.values("origin_id"),
        )
        .select_related("enterprise")
        .order_by("pk")[:500]
    ):
        if product.enterprise_id not in sellers:
            chosen.append(product)
            sellers.add(product.enterprise_id)
        if len(chosen) == STOCK_PRODUCTS:
            break
    return chosen


def _buyer_loop(user, address, programme, products, seed, barrier, out: dict) -> None:
    from django.core.exceptions import ValidationError

    from opop.mart.models import CartItem
    from opop.mart.services.checkout import checkout_place

    rng = random.Random(seed)
    try:
        barrier.wait()
        for attempt in range(ATTEMPTS):
            picked = rng.sample(products, k=rng.randint(1, 2))
            wanted = {p.pk: rng.randint(1, 2) for p in picked}
            started = time.perf_counter()
            cart = Cart.objects.get(user=user)
            CartItem.objects.filter(cart=cart).delete()
            CartItem.objects.bulk_create(
                CartItem(cart=cart, product_id=pk, quantity=q) for pk, q in wanted.items()
            )
            try:
                checkout = checkout_place(
                    actor=user,
                    programme=programme,
                    address=address,
                    deliveries={p.enterprise_id: Order.Delivery.POST for p in picked},
                    method=Payment.Method.VIRTUAL_ACCOUNT,
                    idempotency_key=f"bench-{seed}-{attempt}-{time.time_ns()}",
                )
                out["placed"].append((time.perf_counter() - started) * 1000)
                sold = _lines(checkout)
                with out["lock"]:
                    out["sold"].update(sold)
            except ValidationError:
                out["refused"].append((time.perf_counter() - started) * 1000)
    except Exception as error:  # noqa: BLE001 - reported in the result line
        out["errors"].append(repr(error)[:200])
    finally:
        connection.close()  # this thread's own connection


def _lines(checkout) -> Counter:
    from opop.mart.models import OrderLine

    sold = Counter()
    for product_id, quantity in OrderLine.objects.filter(order__checkout=checkout).values_list(
        "product_id", "quantity"
    ):
        sold[product_id] += quantity
    return sold


def checkout_under_load(scale: str, programme_code: str, log=_log) -> dict:
    """BUYERS threads × ATTEMPTS checkouts on STOCK_PRODUCTS products of STOCK_EACH units."""
    import statistics
    import threading

    name = "mart.checkout"
    base = {"name": name, "scale": scale, "db": connection.vendor}
    programme = Programme.objects.get(code=programme_code)
    products = _stock_products(programme)
    if len(products) < 2:
        return {**base, "skipped": "fewer than 2 sellable products with a post route"}
    checkouts_forget()
    buyers = buyers_ensure(BUYERS)
    ids = [p.pk for p in products]
    snapshot = stock_snapshot(ids)
    out = {"placed": [], "refused": [], "errors": [], "sold": Counter()}
    out["lock"] = threading.Lock()
    try:
        StockLevel.objects.filter(pk__in=ids).update(on_hand=STOCK_EACH, reserved=0)
        barrier = threading.Barrier(BUYERS)
        threads = [
            threading.Thread(
                target=_buyer_loop,
                args=(user, address, programme, products, SEED + i, barrier, out),
            )
            for i, (user, address) in enumerate(buyers)
        ]
        log(f"{BUYERS} buyers × {ATTEMPTS} checkouts on {len(ids)} products of {STOCK_EACH}.")
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - started
        after = stock_snapshot(ids)
    finally:
        checkouts_forget()
        stock_restore(snapshot)
    attempts = sorted(out["placed"] + out["refused"])
    reserved = sum(reserved for _on_hand, reserved in after.values())
    oversold = sum(max(0, reserved_ - on_hand) for on_hand, reserved_ in after.values())
    return {
        **base,
        "buyers": BUYERS,
        "attempts": len(attempts),
        "placed": len(out["placed"]),
        "refused_no_stock": len(out["refused"]),
        "errors": out["errors"][:5],
        "n_errors": len(out["errors"]),
        "seconds": round(seconds, 2),
        "checkouts_per_s": round(len(out["placed"]) / seconds, 1),
        "attempts_per_s": round(len(attempts) / seconds, 1),
        "p50_ms": round(statistics.median(attempts), 1) if attempts else None,
        "p95_ms": round(statistics.quantiles(attempts, n=20, method="inclusive")[18], 1)
        if len(attempts) > 1
        else None,
        "placed_p95_ms": round(statistics.quantiles(out["placed"], n=20, method="inclusive")[18], 1)
        if len(out["placed"]) > 1
        else None,
        "initial_stock": STOCK_EACH * len(ids),
        "reserved": reserved,
        "sold_in_orders": sum(out["sold"].values()),
        "oversold": oversold + max(0, reserved - STOCK_EACH * len(ids)),
        "pass": oversold == 0
        and reserved == sum(out["sold"].values())
        and reserved <= STOCK_EACH * len(ids)
        and not out["errors"],
    }
