"""OPOP Mart (issue 4). First step: the stock of each product, reserved at checkout under row
locks so that concurrent buyers can never oversell (the Saleor way: lock in primary-key order)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
