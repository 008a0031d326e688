"""Two years of OPOP Mart sales for the demo (QUALITY.md: 1,000,000 orders at `large`).

`seed_mart_history(programmes=…, orders=N, seed=…, writer=…)` writes N past orders, split
between the programmes by their share, as rows in bulk (`RowWriter`: COPY on PostgreSQL):

- buyers: User accounts without a usable password or phone, `buyer00001@pembeli.demo.opop.id`
  …, about one per ORDERS_PER_BUYER orders, each with one address (BuyerAddress) in the
  programme's province; a buyer joins shortly before their first order;
- checkouts: one per buyer visit, usually one seller (one order), sometimes two or three; one
  Payment each (virtual account and QRIS through the simulator, transfer or pay-on-pickup for
  a single seller), in the status its orders imply;
- orders of sellers that sell curated products of the programme today (a few sellers sell much
  more than most), with 1–3 lines copying the product's name, unit, price and weight, shipping
  from the post's tariff between the two kab/kota (or pickup, free), and its OrderEvents: how
  it ended, and for the one in ten not completed also how it began (paid, or placed and never
  paid), so that every timeline shows something and a refund shows its reason.

What the services would have done and these rows skip on purpose: stock (the units left the
shelf long ago: StockLevel is not touched), notifications, audit rows, PaymentEvents and
shipments. A completed order keeps only its last step (its payment time is on the order), so
a million orders bring about 1.1 million events.

When: the paid moments spread over the last 24 months in shop hours (08:00–20:59 Asia/Jakarta),
growing month by month, with the weeks before Lebaran, paydays and 11.11/12.12 busier. About
90 % of the orders are completed, 5 % cancelled (never paid: the payment expired), 3 % refunded
and 2 % still on their way (shipped or delivered, in the last days).

Numbers never collide with the real ones: the checkout service numbers `OPM-<year>-<id>` with
digits only, these are `OPM-<year>-<PROGRAMME><serial>` (`OPM-2025-JATIM0012345`, orders
`…-1`, `…-2`), and idempotency keys start with HISTORY_KEY, so `demo_reset` and a second run
can find them. Deterministic: draws come from one `random.Random` per programme, in a fixed
order, against products and regions read in primary-key order; dates count back from `today`.
"""

from __future__ import annotations

import binascii
import bisect
import contextlib
import datetime as dt
import math
import random
import time
from collections import Counter
from collections.abc import Callable
from itertools import accumulate
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.utils import timezone
from django.utils.translation import gettext as _

from opop.accounts.models import Membership, Role, User
from opop.demo import names
from opop.demo.programmes import PROGRAMMES
from opop.demo.writer import RowWriter
from opop.logistics.models import Tariff
from opop.mart.gateways.simulator import NAME as SIMULATOR
from opop.mart.models import BuyerAddress, Checkout, Order, OrderEvent, OrderLine, Payment
from opop.mart.selectors_buyer import sellable_products
from opop.regions.models import Region

WIB = ZoneInfo("Asia/Jakarta")
UTC = dt.UTC
DAY = 86_400
HISTORY_KEY = "demo-history-"
BUYER_DOMAIN = "pembeli.demo.opop.id"
ORDERS_PER_BUYER = 20
NEWCOMER_CURVE = 0.75  # buyers who joined by a share x of the checkouts: x ** 0.75
WINDOW_DAYS = 730
# Settled orders end this many days before today, so that every completion, refund and expiry
# lies in the past; orders still on their way were paid between these two.
SETTLED_UNTIL, IN_FLIGHT_FROM, IN_FLIGHT_UNTIL = 11, 10, 3
MONTHLY_GROWTH = 1.05
# From this many orders on, the mart tables' indexes and foreign keys are rebuilt after the
# load (PostgreSQL), as the registry's are: one sort per index instead of a million inserts.
BIG_LOAD_ORDERS = 100_000
FLUSH_CHECKOUTS = 5_000
PAYMENT_EXPIRY = DAY  # MartSettings of the demo: 24 hours to pay

EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
WIB_OFFSET = 7 * 3600  # Asia/Jakarta has kept UTC+7 since 1964

# Choices as plain strings: enum members are slow to read a million times.
AWAITING, PAID, COMPLETED, CANCELLED, REFUNDED, SHIPPED, DELIVERED = (
    Order.Status.AWAITING_PAYMENT.value,
    Order.Status.PAID.value,
    Order.Status.COMPLETED.value,
    Order.Status.CANCELLED.value,
    Order.Status.REFUNDED.value,
    Order.Status.SHIPPED.value,
    Order.Status.DELIVERED.value,
)
POST, PICKUP = Order.Delivery.POST.value, Order.Delivery.PICKUP.value
VA, QRIS, TRANSFER, PICKUP_PAYMENT = (
    Payment.Method.VIRTUAL_ACCOUNT.value,
    Payment.Method.QRIS.value,
    Payment.Method.BANK_TRANSFER.value,
    Payment.Method.PICKUP.value,
)
MANUAL = "manual"  # provider of transfer and pickup payments (opop.mart.services.payments)
# Outcome of a whole checkout (its orders share the payment): weights in per cent.
OUTCOMES = (COMPLETED, CANCELLED, REFUNDED, SHIPPED, DELIVERED)
OUTCOME_WEIGHTS = tuple(accumulate((90, 5, 3, 1, 1)))
IN_FLIGHT = (SHIPPED, DELIVERED)
SELLERS_PER_CHECKOUT = tuple(accumulate((88, 10, 2)))  # 1, 2 or 3 sellers
LINES_PER_ORDER = tuple(accumulate((55, 30, 15)))  # 1, 2 or 3 products
QUANTITIES = (1, 2, 3, 4, 5, 6)
QUANTITY_WEIGHTS = tuple(accumulate((60, 25, 9, 3, 2, 1)))
HOURS = tuple(range(8, 21))  # 08:00–20:59 WIB
HOUR_WEIGHTS = tuple(accumulate((4, 7, 9, 9, 7, 8, 8, 7, 6, 5, 6, 8, 7)))
# Idul Fitri (Indonesia's government calendar); the month before it is the year's busiest.
LEBARAN = tuple(
    dt.date.fromisoformat(day)
    for day in names.word_list(
        "2023-04-22, 2024-04-10, 2025-03-31, 2026-03-20, 2027-03-10, 2028-02-27, 2029-02-14, "
        "2030-02-05, 2031-01-25"
    )
)
REFUND_NOTES = (
    "Barang rusak saat pengiriman",
    "Stok habis setelah pembayaran",
    "Barang tidak sesuai pesanan",
    "Paket tidak sampai",
)


def seed_mart_history(
    *,
    programmes: dict,
    orders: int,
    seed: int,
    writer: RowWriter,
    today: dt.date | None = None,
    log: Callable[[str], None] | None = None,
) -> Counter:
    """`orders` past orders over `programmes` ({code: Programme}) by their share. A programme
    that has history already, or nothing curated to sell, is skipped. Returns rows per kind."""
    today = today or timezone.localdate()
    log = log or (lambda _message: None)
    counts: Counter = Counter()
    specs = [spec for spec in PROGRAMMES if spec.code in programmes]
    plans, left, first_buyer = [], orders, 1
    for index, spec in enumerate(specs):
        count = left if index == len(specs) - 1 else round(orders * spec.share)
        left -= count
        buyers = math.ceil(count / ORDERS_PER_BUYER)
        # Buyer numbers are handed out by plan, not by what exists, so they never depend on it.
        plans.append((spec, count, first_buyer))
        first_buyer += buyers
    todo = [
        (spec, count, first)
        for spec, count, first in plans
        if count
        and not Checkout.objects.filter(
            programme=programmes[spec.code], idempotency_key__startswith=HISTORY_KEY
        ).exists()
    ]
    if not todo:
        return counts
    tables = (Checkout, Payment, Order, OrderLine, OrderEvent)
    big = writer.postgresql and sum(count for _spec, count, _first in todo) >= BIG_LOAD_ORDERS
    started = time.perf_counter()
    with writer.indexes_deferred(tables, log=log) if big else contextlib.nullcontext():
        for spec, count, first in todo:
            history = _History(
                programme=programmes[spec.code],
                province=spec.province,
                orders=count,
                first_buyer=first,
                rng=random.Random(f"{seed}:{spec.code}:mart-history"),
                writer=writer,
                today=today,
            )
            counts.update(history.run(log))
    log(
        f"OPOP Mart history: {counts['history_orders']:,} orders in "
        f"{time.perf_counter() - started:.1f} s."
    )
    writer.analyze((User, BuyerAddress) + tables)
    return counts


def buyer_email(number: int) -> str:
    return f"buyer{number:05d}@{BUYER_DOMAIN}"


def history_buyers():
    """The seeded buyers (for `demo_reset`)."""
    return User.objects.filter(email__endswith=f"@{BUYER_DOMAIN}")


class _History:
    """One programme's past orders. Every draw happens in a fixed order; keys come from the
    writer, so writing never changes what is drawn."""

    def __init__(self, *, programme, province, orders, first_buyer, rng, writer, today):
        self.programme = programme
        self.province = province
        self.n_orders = orders
        self.n_buyers = math.ceil(orders / ORDERS_PER_BUYER)
        self.first_buyer = first_buyer
        self.rng = rng
        self.writer = writer
        self.today = today
        self.tag = programme.code.upper().replace("-", "")[:10]  # JATIM, KALSEL
        self.counts: Counter = Counter()
        self.programme_id = programme.pk
        # COPY reads text: hand it text on PostgreSQL; elsewhere the writer wants datetimes.
        self.when = _TextMoments() if writer.postgresql else _when
        self.key_prefix = f"{HISTORY_KEY}{programme.code}-"
        self.buyers: list[tuple] = []  # (id, kab/kota, address columns copied at checkout)
        # The notes checkout_mark_paid and checkout_expire write.
        self.received, self.expired = _("Payment received."), _("Payment expired.")

    # Reading what exists ----------------------------------------------------------------------

    def _load(self) -> bool:
        products = (
            sellable_products()
            .filter(programme=self.programme)
            .order_by("enterprise_id", "pk")
            .values_list(
                "pk",
                "enterprise_id",
                "enterprise__regency_id",
                "name",
                "unit",
                "price",
                "weight_grams",
            )
        )
        sellers: dict[int, tuple[str, list[tuple]]] = {}
        for pk, seller_id, regency_id, name, unit, price, grams in products:
            sellers.setdefault(seller_id, (regency_id, []))[1].append(
                (pk, name, unit, price, grams)
            )
        if not sellers:
            return False
        self.sellers = [(seller_id, *sellers[seller_id]) for seller_id in sorted(sellers)]
        # A few sellers sell far more than most (log-normal popularity).
        self.seller_weights = list(
            accumulate(self.rng.lognormvariate(0, 1.2) for _seller in self.sellers)
        )
        self.districts = list(
            Region.objects.filter(
                level=Region.Level.DISTRICT, parent__parent_id=self.programme.province_id
            )
            .order_by("code")
            .values_list("code", "name", "parent_id")
        )
        self.tariffs = {
            (origin, destination): (first_kg, next_kg)
            for origin, destination, first_kg, next_kg in Tariff.objects.filter(
                programme=self.programme
            ).values_list("origin_id", "destination_id", "first_kg", "next_kg")
        }
        self.admin_id = (
            Membership.objects.filter(programme=self.programme, role=Role.ADMIN, is_active=True)
            .order_by("user_id")
            .values_list("user_id", flat=True)
            .first()
        )
        return bool(self.districts)

    # The plan: when each checkout happens, how it ends, how many sellers ----------------------

    def _day_weights(self) -> tuple[list[int], list[float]]:
        """Midnights (WIB, epoch seconds) of the settled window and their cumulative weights."""
        first = self.today - dt.timedelta(days=WINDOW_DAYS)
        last = self.today - dt.timedelta(days=SETTLED_UNTIL)
        midnight = int(dt.datetime(first.year, first.month, first.day, tzinfo=WIB).timestamp())
        days, weights = [], []
        for index in range((last - first).days + 1):
            day = first + dt.timedelta(days=index)
            weight = MONTHLY_GROWTH ** (index / 30.4)
            to_lebaran = min((abs((eid - day).days), eid > day) for eid in LEBARAN)
            days_left, before = to_lebaran
            if before and days_left <= 14:
                weight *= 2.2  # hampers, kue, busana for Lebaran
            elif before and days_left <= 30:
                weight *= 1.5  # Ramadan
            elif not before and days_left <= 6:
                weight *= 0.6  # the Lebaran holiday itself
            if day.day >= 25 or day.day <= 2:
                weight *= 1.15  # payday
            if (day.month, day.day) in ((11, 11), (12, 12)):
                weight *= 2.5  # Harbolnas
            days.append(midnight + index * DAY)
            weights.append(weight)
        return days, list(accumulate(weights))

    def _plan(self) -> list[int]:
        """Checkouts as sortable ints: (moment · 8 + outcome) · 4 + sellers, in time order."""
        rng = self.rng
        days, cum = self._day_weights()
        total = cum[-1]
        in_flight_first = int(
            dt.datetime.combine(
                self.today - dt.timedelta(days=IN_FLIGHT_FROM), dt.time(), tzinfo=WIB
            ).timestamp()
        )
        in_flight_days = IN_FLIGHT_FROM - IN_FLIGHT_UNTIL + 1
        max_sellers = min(3, len(self.sellers))
        plan, made = [], 0
        while made < self.n_orders:
            outcome = bisect.bisect(OUTCOME_WEIGHTS, rng.random() * OUTCOME_WEIGHTS[-1])
            sellers = bisect.bisect(SELLERS_PER_CHECKOUT, rng.random() * 100) + 1
            sellers = min(sellers, max_sellers, self.n_orders - made)
            if OUTCOMES[outcome] in IN_FLIGHT:
                midnight = in_flight_first + rng.randrange(in_flight_days) * DAY
            else:
                midnight = days[bisect.bisect(cum, rng.random() * total)]
            hour = HOURS[bisect.bisect(HOUR_WEIGHTS, rng.random() * HOUR_WEIGHTS[-1])]
            moment = midnight + hour * 3600 + rng.randrange(3600)
            plan.append((moment * 8 + outcome) * 4 + sellers)
            made += sellers
        plan.sort()
        return plan

    # Writing -----------------------------------------------------------------------------------

    def run(self, log: Callable[[str], None]) -> Counter:
        if not self._load():
            return self.counts
        plan = self._plan()
        n_checkouts = len(plan)
        started = time.perf_counter()
        orders = 0
        self._empty_buffers()
        for index, key in enumerate(plan):
            # Each buyer joins just before their first checkout. Newcomers make most of the
            # early checkouts and fewer later on, as returning buyers take over.
            reached = ((index + 1) / n_checkouts) ** NEWCOMER_CURVE
            new = len(self.buyers) < math.ceil(self.n_buyers * reached)
            if new:
                self._new_buyer(key >> 5)
            orders += self._checkout(index + 1, key, new_buyer=new)
            if (index + 1) % FLUSH_CHECKOUTS == 0:
                self._flush()
                rate = orders / (time.perf_counter() - started)
                log(
                    f"{self.programme.code}: {orders:,} / {self.n_orders:,} past orders "
                    f"({rate:,.0f}/s)"
                )
        self._flush()
        return self.counts

    def _empty_buffers(self) -> None:
        self.users, self.addresses, self.checkouts, self.payments = [], [], [], []
        self.orders, self.lines, self.events = [], [], []

    def _flush(self) -> None:
        """Parents before children, so every foreign key points at a written row."""
        for model, rows, counter in (
            (User, self.users, "history_buyers"),
            (BuyerAddress, self.addresses, "history_addresses"),
            (Checkout, self.checkouts, "history_checkouts"),
            (Payment, self.payments, "history_payments"),
            (Order, self.orders, "history_orders"),
            (OrderLine, self.lines, "history_order_lines"),
            (OrderEvent, self.events, "history_order_events"),
        ):
            self.writer.write(model, rows)
            self.counts[counter] += len(rows)
        self._empty_buffers()

    def _below(self, n: int) -> int:
        """A whole number in [0, n): `randrange` without its argument checks (millions of
        draws)."""
        return int(self.rng.random() * n)

    def _new_buyer(self, first_order: int) -> None:
        rng = self.rng
        number = self.first_buyer + len(self.buyers)
        gender = "L" if rng.random() < 0.45 else "P"
        full_name = names.person_name(rng, gender=gender, province=self.province)
        district, district_name, regency = self.districts[self._below(len(self.districts))]
        user_id = self.writer.new_id(User)
        self.users.append(
            {
                "id": user_id,
                "email": buyer_email(number),
                "password": f"{UNUSABLE_PASSWORD_PREFIX}{rng.getrandbits(160):040x}",
                "last_login": None,
                "is_superuser": False,
                "phone": None,
                "full_name": full_name,
                "is_active": True,
                "is_staff": False,
                # Before the first checkout is placed (up to three hours before its payment).
                "date_joined": self.when(first_order - 4 * 3600 - self._below(3 * DAY)),
                "language": "id",
            }
        )
        # Jawa Timur 60xxx–69xxx, Kalimantan Selatan 70xxx–72xxx.
        low, high = (70_111, 72_999) if self.province == "63" else (60_111, 69_999)
        address = {
            "recipient": full_name,
            "phone": _mobile(rng),
            "regency_id": regency,
            "district_id": district,
            "street": names.address(rng, district_name=district_name),
            "postal_code": str(low + self._below(high - low + 1)),
        }
        self.addresses.append(
            {
                "id": self.writer.new_id(BuyerAddress),
                "user_id": user_id,
                "label": "Rumah",
                "is_default": True,
                **address,
            }
        )
        self.buyers.append((user_id, regency, address))

    def _checkout(self, serial: int, key: int, *, new_buyer: bool) -> int:
        random = self.rng.random
        n_sellers = key & 3
        outcome = OUTCOMES[(key >> 2) & 7]
        moment = key >> 5  # paid (or, when never paid, placed)
        # A new buyer's first checkout; otherwise anyone who joined before (early buyers end
        # up with the most orders, as loyal customers do).
        buyer_id, buyer_regency, address = self.buyers[
            -1 if new_buyer else int(random() * len(self.buyers))
        ]
        weights, top = self.seller_weights, self.seller_weights[-1]
        if n_sellers == 1:
            picked = (bisect.bisect(weights, random() * top),)
        else:
            distinct: set[int] = set()
            while len(distinct) < n_sellers:
                distinct.add(bisect.bisect(weights, random() * top))
            picked = sorted(distinct)  # orders numbered in seller order, as checkout_place does
        paid = outcome != CANCELLED
        placed = moment - (120 + int(random() * 3 * 3600)) if paid else moment
        year = time.gmtime(placed + WIB_OFFSET).tm_year
        reference = f"OPM-{year}-{self.tag}{serial:07d}"
        checkout_id = self.writer.new_id(Checkout)
        when = self.when
        placed_at = when(placed)
        paid_at = when(moment) if paid else None
        expires_at = when(placed + PAYMENT_EXPIRY)
        times = (placed, placed_at, moment, paid_at)
        total, deliveries, last_event = 0, [], moment
        for position, index in enumerate(picked, start=1):
            order_total, delivery, ended = self._order(
                checkout_id,
                f"{reference}-{position}",
                buyer_id,
                self.sellers[index],
                buyer_regency,
                outcome,
                times,
            )
            total += order_total
            deliveries.append(delivery)
            last_event = max(last_event, ended)
        draw = random()
        if n_sellers > 1:
            method = VA if draw < 0.6 else QRIS
        elif deliveries[0] == PICKUP and draw < 0.5:
            method = PICKUP_PAYMENT
        else:
            method = VA if draw < 0.55 else QRIS if draw < 0.9 else TRANSFER
        closed_at = paid_at or expires_at
        self.checkouts.append(
            {
                "id": checkout_id,
                "created_at": placed_at,
                "updated_at": closed_at,
                "programme_id": self.programme_id,
                "buyer_id": buyer_id,
                "reference": reference,
                "idempotency_key": f"{self.key_prefix}{serial:07d}",
                "status": "paid" if paid else "expired",
                "total": total,
                "expires_at": expires_at,
                **address,
            }
        )
        self.payments.append(
            {
                "id": self.writer.new_id(Payment),
                "created_at": placed_at,
                "updated_at": when(last_event) if outcome == REFUNDED else closed_at,
                "checkout_id": checkout_id,
                "method": method,
                "provider": SIMULATOR if method in (VA, QRIS) else MANUAL,
                # The orders' money went back to the buyer with the refund.
                "status": "expired" if not paid else "refunded" if outcome == REFUNDED else "paid",
                "amount": total,
                "external_id": reference,
                # As the simulator issues them (opop.mart.gateways.simulator).
                "va_number": "8808" + str(checkout_id).zfill(12) if method == VA else "",
                "qris_payload": (
                    qris_payload(reference=reference, amount=total) if method == QRIS else ""
                ),
                "expires_at": expires_at,
                "paid_at": paid_at,
                "proof": "",
            }
        )
        return n_sellers

    def _order(
        self, checkout_id, number, buyer_id, seller, buyer_regency, outcome, times
    ) -> tuple[int, str, int]:
        """One seller's order with its lines and events: (total, delivery, last moment).
        Positional arguments and `int(random() * n)` for draws: this runs a million times."""
        random, new_id = self.rng.random, self.writer.new_id
        placed, placed_at, moment, paid_at = times
        seller_id, seller_regency, products = seller
        order_id = new_id(Order)
        count = bisect.bisect(LINES_PER_ORDER, random() * 100) + 1
        n_products = len(products)
        if count >= n_products:
            chosen = range(n_products)
        elif count == 1:
            chosen = (int(random() * n_products),)
        else:
            picked: set[int] = set()
            while len(picked) < count:
                picked.add(int(random() * n_products))
            chosen = sorted(picked)  # in product order, as checkout_place writes them
        subtotal = grams = 0
        for index in chosen:
            product_id, name, unit, price, unit_grams = products[index]
            quantity = QUANTITIES[bisect.bisect(QUANTITY_WEIGHTS, random() * 100)]
            line_total = price * quantity
            subtotal += line_total
            grams += unit_grams * quantity
            self.lines.append(
                {
                    "id": new_id(OrderLine),
                    "order_id": order_id,
                    "product_id": product_id,
                    "product_name": name,
                    "unit": unit,
                    "unit_price": price,
                    "quantity": quantity,
                    "weight_grams": unit_grams * quantity,
                    "line_total": line_total,
                }
            )
        tariff = self.tariffs.get((seller_regency, buyer_regency))
        near = seller_regency == buyer_regency
        if tariff is None or random() < (0.35 if near else 0.03):
            delivery, fee = PICKUP, 0
        else:
            first_kg, next_kg = tariff
            # The post's quote (logistics.services.quote_fee): first kg, then each started kg.
            delivery, fee = POST, first_kg + next_kg * (max(1, -(-grams // 1000)) - 1)
        # The order's end: (status, moment, actor, note).
        if outcome == COMPLETED:
            days = int(random() * 4) if delivery == PICKUP else 2 + int(random() * 8)
            # By the buyer mostly, else by the seller or the automatic completion.
            actor = buyer_id if random() < 0.7 else None
            ended = moment + days * DAY + 3600 + int(random() * 9 * 3600)
            status, note = COMPLETED, ""
        elif outcome == CANCELLED:
            status, ended, actor, note = CANCELLED, placed + PAYMENT_EXPIRY, None, self.expired
        elif outcome == REFUNDED:
            ended = moment + (2 + int(random() * 9)) * DAY + 3600 + int(random() * 7 * 3600)
            status, actor = REFUNDED, self.admin_id
            note = REFUND_NOTES[int(random() * len(REFUND_NOTES))]
        else:
            # Still on its way; a pickup skips the post (packed → delivered at the pesantren).
            status = DELIVERED if delivery == PICKUP else outcome
            actor, note = None, ""
            ended = moment + (20 if status == SHIPPED else 30) * 3600
        ended_at = self.when(ended)
        self.orders.append(
            {
                "id": order_id,
                "created_at": placed_at,
                "updated_at": ended_at,
                "programme_id": self.programme_id,
                "checkout_id": checkout_id,
                "number": number,
                "buyer_id": buyer_id,
                "seller_id": seller_id,
                "status": status,
                "delivery": delivery,
                "subtotal": subtotal,
                "shipping_fee": fee,
                "total": subtotal + fee,
                "paid_at": paid_at,
                "completed_at": ended_at if status == COMPLETED else None,
            }
        )
        events = self.events
        if status != COMPLETED:
            # How it began: paid, or placed and never paid. A completed order keeps only its
            # end (nine in ten orders: a million rows fewer at `large`); its payment time is
            # on the order.
            events.append(
                {
                    "id": new_id(OrderEvent),
                    "order_id": order_id,
                    "status": AWAITING if status == CANCELLED else PAID,
                    "actor_id": buyer_id if status == CANCELLED else None,
                    "note": "" if status == CANCELLED else self.received,
                    "at": placed_at if status == CANCELLED else paid_at,
                }
            )
        events.append(
            {
                "id": new_id(OrderEvent),
                "order_id": order_id,
                "status": status,
                "actor_id": actor,
                "note": note,
                "at": ended_at,
            }
        )
        return subtotal + fee, delivery, ended


def _when(epoch: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch, UTC)


class _TextMoments:
    """Moments as the text COPY reads (`2025-03-01 01:02:03+00`), for PostgreSQL.

    psycopg spends about 3 µs turning one aware datetime into that text, and an order brings
    a dozen of them (its checkout, payment and events): half a minute at `large`. Days and
    times of day are formatted once and reused."""

    def __init__(self):
        self.days: dict[int, str] = {}
        self.clock = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}+00" for s in range(DAY)]

    def __call__(self, epoch: int) -> str:
        day, second = divmod(epoch, DAY)
        text = self.days.get(day)
        if text is None:
            text = self.days[day] = f"{dt.date.fromordinal(EPOCH_ORDINAL + day)} "
        return text + self.clock[second]


def _mobile(rng: random.Random) -> str:
    from opop.demo.seed import MOBILE_PREFIXES  # seed imports this module

    return f"+62{rng.choice(MOBILE_PREFIXES)}{rng.randint(10_000_000, 99_999_999)}"


def _tlv(tag: str, value: str) -> str:
    return f"{tag}{len(value):02d}{value}"


# The parts of the simulator's QRIS payload that never change.
QRIS_HEAD = (
    _tlv("00", "01")
    + _tlv("01", "12")
    + _tlv("26", _tlv("00", "ID.OPOP.SIMULATOR") + _tlv("01", "936000000000000000"))
    + _tlv("52", "5499")
    + _tlv("53", "360")
)
QRIS_MIDDLE = _tlv("58", "ID") + _tlv("59", "OPOP MART SIMULATOR") + _tlv("60", "SURABAYA")


def qris_payload(*, reference: str, amount: int) -> str:
    """The simulator's QRIS payload (opop.mart.gateways.simulator.qris_payload) with the same
    CRC-16/CCITT-FALSE computed in C (`binascii.crc_hqx`): the pure-Python loop there would cost
    tens of seconds over the QRIS payments of `large`."""
    body = (
        f"{QRIS_HEAD}{_tlv('54', str(int(amount)))}{QRIS_MIDDLE}"
        f"{_tlv('62', _tlv('01', reference[:25]))}6304"
    )
    return f"{body}{binascii.crc_hqx(body.encode(), 0xFFFF):04X}"
