"""Agen Pos Pesantren (issue 4): pesantren that run post agencies, the post's tariffs between
kab/kota, and the shipments of OPOP Mart orders with their tracking events.

The post's systems are reached through `logistics/gateways/` (a simulator in development and
tests)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from opop.common.models import TimeStampedModel


class PostAgent(TimeStampedModel):
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="post_agents"
    )
    pesantren = models.OneToOneField(
        "registry.Pesantren", on_delete=models.PROTECT, related_name="post_agent"
    )
    regency = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("kab/kota")
    )
    # The agent's number given by the post (Pos Indonesia's "kode agen").
    agent_code = models.CharField(_("agent code"), max_length=30, unique=True)
    # Share of each shipping fee the agent earns, in basis points (1000 = 10 %).
    commission_bp = models.PositiveIntegerField(_("commission (basis points)"), default=1000)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["regency_id", "agent_code"]
        verbose_name = _("post agent")

    def __str__(self) -> str:
        return self.agent_code


class Tariff(models.Model):
    """The post's price from one kab/kota to another: the first kilogram and each one after."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="tariffs"
    )
    origin = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("from")
    )
    destination = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("to")
    )
    first_kg = models.PositiveIntegerField(_("first kg (Rp)"))
    next_kg = models.PositiveIntegerField(_("each further kg (Rp)"))
    days = models.PositiveSmallIntegerField(_("delivery days"), default=3)

    class Meta:
        ordering = ["origin_id", "destination_id"]
        verbose_name = _("tariff")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "origin", "destination"], name="tariff_once_per_route"
            )
        ]

    def __str__(self) -> str:
        return f"{self.origin_id} → {self.destination_id}"


class Shipment(TimeStampedModel):
    class Status(models.TextChoices):
        CREATED = "created", _("Label created")
        PICKED_UP = "picked_up", _("Handed to the post")
        IN_TRANSIT = "in_transit", _("On the way")
        DELIVERED = "delivered", _("Delivered")
        RETURNED = "returned", _("Returned to sender")

    order = models.OneToOneField("mart.Order", on_delete=models.PROTECT, related_name="shipment")
    agent = models.ForeignKey(
        PostAgent, null=True, blank=True, on_delete=models.PROTECT, related_name="shipments"
    )
    tracking_number = models.CharField(_("tracking number"), max_length=40, unique=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.CREATED
    )
    weight_grams = models.PositiveIntegerField()
    fee = models.BigIntegerField(_("shipping fee (Rp)"))
    # Which adapter created it: "simulator" in development and tests.
    provider = models.CharField(max_length=20)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["agent", "created_at"])]

    def __str__(self) -> str:
        return self.tracking_number


class ShipmentEvent(models.Model):
    """A tracking event from the post; `external_id` makes a repeated event count once."""

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=12, choices=Shipment.Status.choices)
    description = models.CharField(max_length=255)
    location = models.CharField(max_length=120, blank=True)
    at = models.DateTimeField()
    external_id = models.CharField(max_length=80, unique=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.shipment_id} {self.status}"
