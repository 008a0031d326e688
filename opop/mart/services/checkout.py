"""Checkout: one payment for one order per seller (DOMAIN.md process 8).

`checkout_place` runs in one transaction: it reserves every line's stock in one call (row locks
in product order, so concurrent buyers wait and can never oversell), copies prices onto the
order lines, quotes shipping per seller, creates the payment and empties the bought cart items.
After it commits, the gateway is asked for the virtual account number or QR code
(`payments.payment_charge`), outside every lock. The (buyer, idempotency_key) unique constraint
makes a retried submission return the first checkout, also when two submissions race.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections import Counter, defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from opop.common.audit import audit_record
from opop.common.models import AuditEvent
from opop.mart.models import (
    BuyerAddress,
    Cart,
    CartItem,
    Checkout,
    MartSettings,
    Order,
    OrderEvent,
    OrderLine,
    Payment,
)
from opop.mart.selectors_buyer import sellable_products
from opop.mart.services.orders import order_move
from opop.mart.stock import stock_commit, stock_release, stock_reserve

logger = logging.getLogger(__name__)

DEFAULT_EXPIRY_MINUTES = 24 * 60
SINGLE_SELLER_METHODS = {Payment.Method.BANK_TRANSFER, Payment.Method.PICKUP}


def checkout_place(
    *, actor, programme, address, deliveries: dict[int, str], method: str, idempotency_key: str
) -> Checkout:
    key = (idempotency_key or "").strip()[:64]
    if not key:
        raise ValidationError(_("The checkout form has expired; please reload the page."))
    first = Checkout.objects.filter(buyer=actor, idempotency_key=key).first()
    if first is not None:
        # A retried submission: also the way to retry a charge the gateway did not answer.
        checkout_payment_charge(first)
        return first
    try:
        with transaction.atomic():
            checkout = _place(actor, programme, address, deliveries, method, key)
    except IntegrityError:
        first = Checkout.objects.filter(buyer=actor, idempotency_key=key).first()
        if first is None:
            raise
        return first
    # The stock is reserved and committed; only now ask the gateway for the account number, so
    # a slow gateway holds no lock. If it cannot be reached, the checkout waits with its stock
    # reserved and the payment page offers to try again (until the payment expires).
    checkout_payment_charge(checkout)
    return checkout


def _place(actor, programme, address, deliveries, method, key) -> Checkout:
    if not isinstance(address, BuyerAddress) or address.user_id != actor.pk:
        raise PermissionDenied(_("This address is not yours."))
    if method not in Payment.Method.values:
        raise ValidationError(_("Choose a payment method."))
    cart = Cart.objects.filter(user=actor).first()
    items = list(
        CartItem.objects.filter(cart=cart, product__programme=programme)
        .select_related("product", "product__enterprise")
        .order_by("product_id")
        if cart
        else []
    )
    if not items:
        raise ValidationError(_("Your cart has nothing to buy in this programme."))
    sellable = set(
        sellable_products()
        .filter(pk__in=[i.product_id for i in items])
        .values_list("pk", flat=True)
    )
    gone = [i.product.name for i in items if i.product_id not in sellable]
    if gone:
        raise ValidationError(
            _("No longer for sale, remove them from your cart: %(items)s.")
            % {"items": ", ".join(gone)}
        )
    by_seller: dict[int, list[CartItem]] = defaultdict(list)
    for item in items:
        by_seller[item.product.enterprise_id].append(item)
    if method in SINGLE_SELLER_METHODS and len(by_seller) > 1:
        raise ValidationError(_("This payment method is only for orders from one seller."))
    shipping = {
        sid: _shipping(programme, group, address, deliveries) for sid, group in by_seller.items()
    }
    if method == Payment.Method.PICKUP and any(
        d != Order.Delivery.PICKUP for d, _f in shipping.values()
    ):
        raise ValidationError(_("Pay on pickup needs pickup at the pesantren."))

    quantities = Counter()
    for item in items:
        quantities[item.product_id] += item.quantity
    stock_reserve(quantities=dict(quantities))  # all sellers at once: locks in product order

    checkout = Checkout.objects.create(
        programme=programme,
        buyer=actor,
        reference=f"TMP-{uuid.uuid4().hex[:20]}",
        idempotency_key=key,
        total=0,
        expires_at=timezone.now() + dt.timedelta(minutes=_expiry_minutes(programme)),
        recipient=address.recipient,
        phone=address.phone,
        regency_id=address.regency_id,
        district_id=address.district_id,
        street=address.street,
        postal_code=address.postal_code,
    )
    checkout.reference = f"OPM-{timezone.localdate().year}-{checkout.pk:06d}"
    total = 0
    for position, seller_id in enumerate(sorted(by_seller), start=1):
        delivery, fee = shipping[seller_id]
        group = by_seller[seller_id]
        subtotal = sum(i.product.price * i.quantity for i in group)
        order = Order.objects.create(
            programme=programme,
            checkout=checkout,
            number=f"{checkout.reference}-{position}",
            buyer=actor,
            seller_id=seller_id,
            delivery=delivery,
            subtotal=subtotal,
            shipping_fee=fee,
            total=subtotal + fee,
        )
        OrderLine.objects.bulk_create(
            OrderLine(
                order=order,
                product=i.product,
                product_name=i.product.name,
                unit=i.product.unit,
                unit_price=i.product.price,
                quantity=i.quantity,
                weight_grams=i.product.weight_grams * i.quantity,
                line_total=i.product.price * i.quantity,
            )
            for i in group
        )
        OrderEvent.objects.create(order=order, status=order.status, actor=actor)
        total += order.total
    checkout.total = total
    checkout.save(update_fields=["reference", "total", "updated_at"])
    CartItem.objects.filter(pk__in=[i.pk for i in items]).delete()
    audit_record(
        actor=actor, action=AuditEvent.Action.CREATE, instance=checkout, note="checkout placed"
    )
    _payment_create(checkout=checkout, method=method)
    return checkout


def _shipping(programme, group, address, deliveries) -> tuple[str, int]:
    seller = group[0].product.enterprise
    delivery = deliveries.get(seller.pk) or deliveries.get(str(seller.pk))
    if delivery == Order.Delivery.PICKUP:
        return delivery, 0
    if delivery != Order.Delivery.POST:
        raise ValidationError(_("Choose how %(seller)s delivers.") % {"seller": seller.name})
    quote = shipping_quote_for(
        programme=programme,
        seller=seller,
        regency_id=address.regency_id,
        weight_grams=sum(i.product.weight_grams * i.quantity for i in group),
    )
    if quote is None:
        raise ValidationError(
            _("%(seller)s cannot ship to your kab/kota by post; choose pickup.")
            % {"seller": seller.name}
        )
    return delivery, int(quote.fee)


def shipping_quote_for(*, programme, seller, regency_id, weight_grams):
    """The post's quote for one seller's parcel, or None (no route, or no logistics module)."""
    try:
        from opop.logistics.services import shipping_quote
    except ImportError:
        return None
    return shipping_quote(
        programme=programme,
        origin_regency_id=seller.regency_id,
        destination_regency_id=regency_id,
        weight_grams=weight_grams,
    )


def _expiry_minutes(programme) -> int:
    settings_row = MartSettings.objects.filter(programme=programme).first()
    return settings_row.payment_expiry_minutes if settings_row else DEFAULT_EXPIRY_MINUTES


def _payment_create(*, checkout, method):
    from opop.mart.services.payments import payment_create

    return payment_create(checkout=checkout, method=method)


def checkout_payment_charge(checkout) -> None:
    """Ask the gateway for the checkout's account number or QR code if it has none yet; when it
    cannot be reached, log it and leave the payment waiting (the buyer may retry)."""
    from opop.mart.services.payments import payment_charge

    payment = Payment.objects.filter(checkout=checkout).first()
    if payment is None:
        return
    try:
        payment_charge(payment=payment)
    except ValidationError:
        logger.warning("payment gateway unreachable for checkout %s", checkout.reference)


def _line_quantities(orders) -> dict[int, int]:
    quantities = Counter()
    for order in orders:
        for line in order.lines.all():
            if line.product_id:
                quantities[line.product_id] += line.quantity
    return dict(quantities)


@transaction.atomic
def checkout_mark_paid(*, checkout, paid_at) -> Checkout:
    """Orders → paid and their reserved units leave the store. A repeat changes nothing."""
    checkout = Checkout.objects.select_for_update().get(pk=checkout.pk)
    if checkout.status == Checkout.Status.PAID:
        return checkout
    if checkout.status != Checkout.Status.AWAITING_PAYMENT:
        raise ValidationError(
            _("Checkout %(reference)s is %(status)s: it can no longer be paid.")
            % {"reference": checkout.reference, "status": checkout.get_status_display()}
        )
    orders = list(
        checkout.orders.select_for_update()
        .filter(status=Order.Status.AWAITING_PAYMENT)
        .order_by("pk")
    )
    quantities = _line_quantities(orders)
    if quantities:
        stock_commit(quantities=quantities)
    checkout.status = Checkout.Status.PAID
    checkout.save(update_fields=["status", "updated_at"])
    for order in orders:
        order.paid_at = paid_at
        order_move(order, Order.Status.PAID, note=gettext_noop("Payment received."))
    return checkout


@transaction.atomic
def checkout_expire(*, checkout) -> Checkout:
    """The payment expired: awaiting orders → cancelled, their stock released. Idempotent."""
    return _close(
        checkout, Checkout.Status.EXPIRED, actor=None, note=gettext_noop("Payment expired.")
    )


@transaction.atomic
def checkout_cancel(*, checkout, actor, note: str = "") -> Checkout:
    """Cancelled before payment (by the buyer, a seller or an admin): all its orders go."""
    return _close(
        checkout,
        Checkout.Status.CANCELLED,
        actor=actor,
        note=note or gettext_noop("Cancelled before payment."),
    )


def _close(checkout, status, *, actor, note) -> Checkout:
    checkout = Checkout.objects.select_for_update().get(pk=checkout.pk)
    if checkout.status != Checkout.Status.AWAITING_PAYMENT:
        return checkout
    orders = list(
        checkout.orders.select_for_update()
        .filter(status=Order.Status.AWAITING_PAYMENT)
        .order_by("pk")
    )
    quantities = _line_quantities(orders)
    if quantities:
        stock_release(quantities=quantities)
    checkout.status = status
    checkout.save(update_fields=["status", "updated_at"])
    for order in orders:
        order_move(order, Order.Status.CANCELLED, actor=actor, note=note)
    return checkout
