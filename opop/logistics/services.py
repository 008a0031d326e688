"""Every Agen Pos Pesantren write: quotes, shipments and their tracking events, tariffs, agents.

Services validate in full, run in one transaction and leave an audit row (opop.common.audit).
The post is reached only through `logistics/gateways/` (the simulator in development and tests).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from opop.common.audit import audit_saved, snapshot
from opop.logistics.gateways import get_gateway
from opop.logistics.models import PostAgent, Shipment, ShipmentEvent, Tariff
from opop.logistics.tariff_import import ImportReport, tariffs_import  # noqa: F401 (contract)
from opop.regions.models import Region

Status = Shipment.Status
# How far along a status is: an event that arrives late never moves a shipment backwards.
PROGRESS = {
    Status.CREATED: 0,
    Status.PICKED_UP: 1,
    Status.IN_TRANSIT: 2,
    Status.DELIVERED: 3,
    Status.RETURNED: 3,
}


@dataclass(frozen=True)
class Quote:
    fee: int  # whole Rupiah
    days: int


def quote_fee(tariff: Tariff, weight_grams: int) -> int:
    """First kg + each further started kg; anything up to 1 kg (even 0 g) costs the first kg."""
    kilograms = max(1, math.ceil(max(weight_grams, 0) / 1000))
    return tariff.first_kg + tariff.next_kg * (kilograms - 1)


def shipping_quote(
    *, programme, origin_regency_id: str, destination_regency_id: str, weight_grams: int
) -> Quote | None:
    """The post's price between two kab/kota (the same one too, if it has a tariff)."""
    tariff = Tariff.objects.filter(
        programme=programme, origin_id=origin_regency_id, destination_id=destination_regency_id
    ).first()
    if tariff is None:
        return None
    return Quote(fee=quote_fee(tariff, weight_grams), days=tariff.days)


# --- Shipments --------------------------------------------------------------------------------


def seller_pesantren_id(enterprise) -> int | None:
    """The pesantren behind a seller: its own, its cooperative's, or its owner's."""
    if enterprise.pesantren_id:
        return enterprise.pesantren_id
    if enterprise.cooperative_id and enterprise.cooperative.pesantren_id:
        return enterprise.cooperative.pesantren_id
    if enterprise.owner_id:
        return enterprise.owner.pesantren_id
    return None


def agent_for(order) -> PostAgent | None:
    """The seller's own pesantren's agency, else any active agent in the seller's kab/kota."""
    agents = PostAgent.objects.filter(programme_id=order.programme_id, is_active=True)
    pesantren_id = seller_pesantren_id(order.seller)
    own = agents.filter(pesantren_id=pesantren_id).first() if pesantren_id else None
    return own or agents.filter(regency_id=order.seller.regency_id).first()


def order_weight_grams(order) -> int:
    # OrderLine.weight_grams is the whole line's weight (unit weight × quantity, at checkout).
    return int(order.lines.aggregate(w=Sum("weight_grams"))["w"] or 0)


@transaction.atomic
def shipment_create(*, actor, order) -> Shipment:
    """Book the order's parcel with the post; a second call returns the same shipment."""
    from opop.mart.models import Order

    order = (
        Order.objects.select_for_update(of=("self",))
        .select_related("seller", "seller__cooperative", "seller__owner")
        .get(pk=order.pk)
    )
    existing = Shipment.objects.filter(order=order).first()
    if existing is not None:
        return existing
    if order.delivery != Order.Delivery.POST:
        raise ValidationError(_("This order is picked up at the pesantren, not sent by post."))
    if order.status not in (Order.Status.PAID, Order.Status.PACKED):
        raise ValidationError(_("Only a paid or packed order can be handed to the post."))
    gateway = get_gateway()
    shipment = Shipment(
        order=order,
        agent=agent_for(order),
        weight_grams=order_weight_grams(order),
        fee=order.shipping_fee,
        provider=gateway.name,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    shipment.tracking_number = gateway.book(shipment)
    # created_by may be empty (a job books it) although the model field is not blank=True.
    shipment.full_clean(exclude=["order", "created_by"])
    shipment.save()
    audit_saved(shipment, actor=actor, before=None, programme_id=order.programme_id)
    return shipment


@transaction.atomic
def shipment_event_record(
    *, shipment, status, description, at: dt.datetime, external_id: str, location: str = ""
) -> ShipmentEvent:
    """Record a tracking event once (by `external_id`); DELIVERED delivers the order."""
    shipment = Shipment.objects.select_for_update().get(pk=shipment.pk)
    existing = ShipmentEvent.objects.filter(external_id=external_id).first()
    if existing is not None:
        if existing.shipment_id != shipment.pk:
            raise ValidationError(_("This tracking event belongs to another shipment."))
        return existing
    if status not in Status.values:
        raise ValidationError(_("Unknown tracking status: %(status)s") % {"status": status})
    event = ShipmentEvent(
        shipment=shipment,
        status=status,
        description=description[:255],
        location=location[:120],
        at=at,
        external_id=external_id,
    )
    event.full_clean()
    event.save()
    if PROGRESS[status] > PROGRESS[shipment.status]:
        shipment.status = status
        shipment.save(update_fields=["status", "updated_at"])
        if status != Status.RETURNED:
            _follow_order(shipment, status)
    return event


def _follow_order(shipment: Shipment, status: str) -> None:
    """The post's events move the order: a packed parcel the post has is shipped; DELIVERED
    delivers it. An order the seller or buyer has already moved on is left alone."""
    from opop.mart.models import Order
    from opop.mart.services.orders import order_transition

    order = Order.objects.get(pk=shipment.order_id)
    number = shipment.tracking_number
    if order.status == Order.Status.PACKED:
        order = order_transition(
            actor=None,
            order=order,
            to_status=Order.Status.SHIPPED,
            note=_("Handed to the post (%(number)s)") % {"number": number},
        )
    if status == Status.DELIVERED and order.status == Order.Status.SHIPPED:
        order_transition(
            actor=None,
            order=order,
            to_status=Order.Status.DELIVERED,
            note=_("Delivered by the post (%(number)s)") % {"number": number},
        )


def shipment_sync(*, shipment) -> int:
    """Pull the post's events for a shipment and record the new ones; returns how many."""
    recorded = 0
    for item in get_gateway(shipment.provider).track(shipment.tracking_number):
        before = ShipmentEvent.objects.filter(external_id=item.external_id).exists()
        shipment_event_record(
            shipment=shipment,
            status=item.status,
            description=item.description,
            at=item.at,
            external_id=item.external_id,
            location=item.location,
        )
        recorded += 0 if before else 1
    return recorded


# --- Tariffs and agents -----------------------------------------------------------------------


def _regency(value, field: str) -> Region:
    region = value if isinstance(value, Region) else Region.objects.filter(pk=value).first()
    if region is None or region.level != Region.Level.REGENCY:
        raise ValidationError({field: _("Choose a kabupaten/kota.")})
    return region


@transaction.atomic
def tariff_save(*, actor, programme, data: dict[str, Any], instance: Tariff | None = None):
    if instance is not None and instance.programme_id != programme.pk:
        raise ValidationError(_("This record is not in this programme."))
    before = snapshot(instance) if instance else None
    tariff = instance or Tariff(programme=programme)
    for name, value in data.items():
        setattr(tariff, name, value)
    origin = _regency(tariff.origin_id and tariff.origin, "origin")
    _regency(tariff.destination_id and tariff.destination, "destination")
    if origin.province_code != programme.province_id:
        raise ValidationError({"origin": _("The origin must be a kab/kota of this programme.")})
    if tariff.first_kg is not None and tariff.first_kg < 1:
        raise ValidationError({"first_kg": _("The first kilogram costs at least Rp1.")})
    tariff.full_clean()
    tariff.save()
    audit_saved(tariff, actor=actor, before=before, programme_id=programme.pk)
    return tariff


@transaction.atomic
def post_agent_save(
    *, actor, programme, data: dict[str, Any], instance: PostAgent | None = None
) -> PostAgent:
    """Register a pesantren as a post agent (or change one); its kab/kota is the pesantren's."""
    if instance is not None and instance.programme_id != programme.pk:
        raise ValidationError(_("This record is not in this programme."))
    before = snapshot(instance) if instance else None
    agent = instance or PostAgent(programme=programme)
    for name, value in data.items():
        setattr(agent, name, value)
    pesantren = agent.pesantren if agent.pesantren_id else None
    if pesantren is None or pesantren.programme_id != programme.pk:
        raise ValidationError({"pesantren": _("Choose a pesantren of this programme.")})
    if agent.commission_bp > 10_000:
        raise ValidationError({"commission_bp": _("A commission cannot exceed 100 %.")})
    agent.regency_id = pesantren.regency_id
    agent.full_clean()
    agent.save()
    audit_saved(agent, actor=actor, before=before, programme_id=programme.pk)
    return agent
