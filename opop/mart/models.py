"""OPOP Mart (issue 4). First step: the stock of each product, reserved at checkout under row
locks so that concurrent buyers can never oversell (the Saleor way: lock in primary-key order)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from opop.common.models import TimeStampedModel
from opop.imports.storage import private_storage


class StockLevel(models.Model):
    """What a seller has of one product: `on_hand` in the store, `reserved` by checkouts that
    wait for their payment. Available to sell: on_hand − reserved, never below zero."""

    product = models.OneToOneField(
        "catalog.Product",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="stock",
        verbose_name=_("product"),
    )
    on_hand = models.PositiveIntegerField(_("in stock"), default=0)
    reserved = models.PositiveIntegerField(_("reserved by checkouts"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("stock level")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reserved__lte=models.F("on_hand")),
                name="stock_reserved_within_on_hand",
            )
        ]

    def __str__(self) -> str:
        return f"{self.product_id}: {self.on_hand} ({self.reserved} reserved)"

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


class MartSettings(models.Model):
    """Per-programme rules of OPOP Mart (set by the programme admin)."""

    programme = models.OneToOneField(
        "programmes.Programme", on_delete=models.CASCADE, primary_key=True, related_name="mart"
    )
    # Share of each delivered order kept by the platform, in basis points (250 = 2.5 %).
    platform_fee_bp = models.PositiveIntegerField(_("platform fee (basis points)"), default=0)
    payment_expiry_minutes = models.PositiveIntegerField(
        _("time to pay (minutes)"), default=24 * 60
    )

    class Meta:
        verbose_name = _("OPOP Mart settings")

    def __str__(self) -> str:
        return str(self.programme_id)


class BuyerAddress(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="addresses"
    )
    label = models.CharField(_("label"), max_length=40, help_text=_("e.g. Home, Office"))
    recipient = models.CharField(_("recipient"), max_length=150)
    phone = models.CharField(_("phone"), max_length=20)
    regency = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("kab/kota")
    )
    district = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("kecamatan")
    )
    street = models.CharField(_("address"), max_length=255)
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)
    is_default = models.BooleanField(_("default"), default=False)

    class Meta:
        ordering = ["-is_default", "label"]
        verbose_name = _("address")

    def __str__(self) -> str:
        return self.label


class Cart(TimeStampedModel):
    """A buyer's basket (one per user; anonymous visitors keep theirs by session key)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="cart",
    )
    session_key = models.CharField(max_length=40, blank=True, db_index=True)

    def __str__(self) -> str:
        return f"cart {self.pk}"


class CartItem(models.Model):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField(_("quantity"))
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "product"], name="cart_item_once"),
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="cart_item_qty"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product_id}"


class Checkout(TimeStampedModel):
    """One checkout of a cart: one payment for one order per seller.

    `idempotency_key` (sent by the checkout form / API client) makes a retried checkout return
    the first one instead of placing the orders twice."""

    class Status(models.TextChoices):
        AWAITING_PAYMENT = "awaiting", _("Awaiting payment")
        PAID = "paid", _("Paid")
        EXPIRED = "expired", _("Payment expired")
        CANCELLED = "cancelled", _("Cancelled")

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="+"
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="checkouts"
    )
    reference = models.CharField(_("reference"), max_length=30, unique=True)
    idempotency_key = models.CharField(max_length=64)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.AWAITING_PAYMENT
    )
    total = models.BigIntegerField(_("total (Rp)"))
    expires_at = models.DateTimeField(_("pay before"))
    # Delivery address copied at checkout (the buyer may change their address book later).
    recipient = models.CharField(max_length=150, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    regency = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    district = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    street = models.CharField(max_length=255, blank=True)
    postal_code = models.CharField(max_length=5, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["buyer", "idempotency_key"], name="checkout_idempotent"
            ),
            models.CheckConstraint(condition=models.Q(total__gte=0), name="checkout_total"),
        ]
        indexes = [models.Index(fields=["status", "expires_at"])]

    def __str__(self) -> str:
        return self.reference


class Order(TimeStampedModel):
    """What one seller (an enterprise) must deliver from one checkout."""

    class Status(models.TextChoices):
        AWAITING_PAYMENT = "awaiting", _("Awaiting payment")
        PAID = "paid", _("Paid")
        PACKED = "packed", _("Packed")
        SHIPPED = "shipped", _("Shipped")
        DELIVERED = "delivered", _("Delivered")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")
        REFUNDED = "refunded", _("Refunded")

    class Delivery(models.TextChoices):
        POST = "post", _("Agen Pos Pesantren")
        PICKUP = "pickup", _("Pick up at the pesantren")

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="+"
    )
    checkout = models.ForeignKey(Checkout, on_delete=models.PROTECT, related_name="orders")
    number = models.CharField(_("order number"), max_length=30, unique=True)
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders"
    )
    seller = models.ForeignKey(
        "registry.Enterprise",
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("seller"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.AWAITING_PAYMENT
    )
    delivery = models.CharField(
        _("delivery"), max_length=10, choices=Delivery.choices, default=Delivery.POST
    )
    subtotal = models.BigIntegerField(_("subtotal (Rp)"))
    shipping_fee = models.BigIntegerField(_("shipping (Rp)"), default=0)
    total = models.BigIntegerField(_("total (Rp)"))
    paid_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["seller", "status", "-created_at"]),
            models.Index(fields=["buyer", "-created_at"]),
            models.Index(fields=["programme", "status", "paid_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(total=models.F("subtotal") + models.F("shipping_fee")),
                name="order_total_adds_up",
            )
        ]

    def __str__(self) -> str:
        return self.number


class OrderLine(models.Model):
    """A product in an order, with its name and price copied at checkout."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        "catalog.Product", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    product_name = models.CharField(max_length=200)
    unit = models.CharField(max_length=30)
    unit_price = models.BigIntegerField()
    quantity = models.PositiveIntegerField()
    weight_grams = models.PositiveIntegerField()
    line_total = models.BigIntegerField()

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(line_total=models.F("unit_price") * models.F("quantity")),
                name="order_line_total_adds_up",
            )
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product_name}"


class OrderEvent(models.Model):
    """The order's timeline, shown to buyer and seller."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=10, choices=Order.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(max_length=255, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.order_id} {self.status}"


class Payment(TimeStampedModel):
    """The one payment of a checkout, through a provider (see `mart/gateways/`)."""

    class Method(models.TextChoices):
        VIRTUAL_ACCOUNT = "va", _("Virtual account (Bank Jatim)")
        QRIS = "qris", _("QRIS")
        BANK_TRANSFER = "transfer", _("Bank transfer with proof")
        PICKUP = "pickup", _("Pay on pickup at the pesantren")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for payment")
        PAID = "paid", _("Paid")
        EXPIRED = "expired", _("Expired")
        FAILED = "failed", _("Failed")
        REFUNDED = "refunded", _("Refunded")

    checkout = models.OneToOneField(Checkout, on_delete=models.PROTECT, related_name="payment")
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    # Which adapter handled it: "simulator" in development and tests, "midtrans" in production.
    provider = models.CharField(max_length=20)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    amount = models.BigIntegerField(_("amount (Rp)"))
    # The provider's own id of the transaction (Midtrans: order_id / transaction_id).
    external_id = models.CharField(max_length=64, unique=True)
    va_number = models.CharField(_("virtual account number"), max_length=32, blank=True)
    qris_payload = models.TextField(blank=True)
    expires_at = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True)
    proof = models.FileField(
        _("transfer proof"),
        storage=private_storage,
        upload_to="payments/%Y/%m/",
        blank=True,
        max_length=200,
    )

    class Meta:
        indexes = [models.Index(fields=["status", "expires_at"])]

    def __str__(self) -> str:
        return self.external_id


class PaymentEvent(models.Model):
    """Every notification or status answer from a provider, kept as received.

    `dedupe_key` (provider + transaction id + status + its time) is unique, so a replayed
    callback is recorded once and changes nothing the second time."""

    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    provider = models.CharField(max_length=20)
    dedupe_key = models.CharField(max_length=200, unique=True)
    signature_valid = models.BooleanField()
    payload = models.JSONField()
    outcome = models.CharField(max_length=30, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_at", "id"]

    def __str__(self) -> str:
        return self.dedupe_key


class Review(TimeStampedModel):
    """A verified buyer's review of a product they received; the seller may reply once."""

    class Status(models.TextChoices):
        VISIBLE = "visible", _("Visible")
        HIDDEN = "hidden", _("Hidden by a moderator")

    line = models.OneToOneField(OrderLine, on_delete=models.PROTECT, related_name="review")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="reviews")
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    text = models.TextField(_("review"), blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.VISIBLE)
    reply = models.TextField(_("seller's reply"), blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    moderation_note = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["product", "status", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="review_rating_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.product_id}: {self.rating}"


class SalesCount(models.Model):
    """OPOP Mart sales of one programme in one month, by kab/kota, pesantren and pillar.

    The dashboard's sales card and `/mart/figures/` read these rows instead of summing a million
    orders per page view (`opop.mart.sales`). A row changes in the same transaction as the
    order that moves it: an order adds itself when it becomes paid and takes itself out when it
    is cancelled or refunded after payment. `sales_recount` rebuilds a programme's rows from the
    orders (nightly, and after bulk loads), which also mends any drift.

    The dimensions are plain values, never null, so that one unique key names each cell on
    every database (SQLite and PostgreSQL treat NULLs in a unique key as all different).
    """

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()  # 1–12, of the payment's date in Asia/Jakarta
    regency_code = models.CharField(max_length=13, blank=True)  # "" when the seller has none
    pesantren_key = models.PositiveBigIntegerField(default=0)  # the pesantren's id; 0: none
    pillar = models.CharField(max_length=20)
    orders = models.IntegerField(default=0)
    value = models.BigIntegerField(default=0)  # goods only (the orders' subtotal), rupiah

    class Meta:
        verbose_name = _("sales count")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "year", "month", "regency_code", "pesantren_key", "pillar"],
                name="mart_sales_count_cell",
            )
        ]
        indexes = [models.Index(fields=["programme", "year", "regency_code"])]

    def __str__(self) -> str:
        return (
            f"{self.year}-{self.month:02d} {self.regency_code} {self.pesantren_key}: {self.value}"
        )
