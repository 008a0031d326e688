"""The post's API, simulated: tracking numbers "OPOP" + 10 digits and a fixed script of events.

The simulator's "post" keeps its memory in our own tables: what it has reported for a shipment
is the ShipmentEvents recorded from it. `simulator_advance` plays the next step of the script
through `shipment_event_record`, with an external id made of the tracking number and the step,
so a double click records the step once.
"""

from __future__ import annotations

import secrets

from django.utils import timezone
from django.utils.translation import gettext as _

from opop.logistics.gateways.base import PostGateway, TrackingEvent
from opop.logistics.models import Shipment, ShipmentEvent

PREFIX = "OPOP"
Status = Shipment.Status
# The script: each step's status, in order. RETURNED is never simulated.
SCRIPT = [Status.PICKED_UP, Status.IN_TRANSIT, Status.DELIVERED]


def _descriptions() -> dict[str, str]:
    return {
        Status.PICKED_UP: _("Parcel handed to the post agent"),
        Status.IN_TRANSIT: _("Parcel on its way to the destination kab/kota"),
        Status.DELIVERED: _("Parcel delivered to the recipient"),
    }


class SimulatorPostGateway(PostGateway):
    name = "simulator"
    is_simulator = True

    def book(self, shipment) -> str:
        # Random, not derived from the order: the public tracking page must not be enumerable.
        for _attempt in range(20):
            number = f"{PREFIX}{secrets.randbelow(10**10):010d}"
            if not Shipment.objects.filter(tracking_number=number).exists():
                return number
        raise RuntimeError("no free tracking number")  # pragma: no cover - 1 in 10^9 per try

    def track(self, tracking_number: str) -> list[TrackingEvent]:
        return [
            TrackingEvent(
                status=e.status,
                description=e.description,
                at=e.at,
                external_id=e.external_id,
                location=e.location,
            )
            for e in ShipmentEvent.objects.filter(shipment__tracking_number=tracking_number)
        ]


def next_step(shipment: Shipment) -> str | None:
    """The status the script reaches next, or None once delivered (or returned)."""
    if shipment.status == Status.CREATED:
        return SCRIPT[0]
    if shipment.status in SCRIPT[:-1]:
        return SCRIPT[SCRIPT.index(shipment.status) + 1]
    return None


def _location(shipment: Shipment, status: str) -> str:
    order = shipment.order
    if status == Status.DELIVERED:
        region = order.checkout.regency
    else:
        region = shipment.agent.regency if shipment.agent_id else order.seller.regency
    return region.name if region else ""


def simulator_advance(shipment: Shipment):
    """Record the next scripted event of a simulated shipment; None when nothing is left."""
    from opop.logistics.services import shipment_event_record

    if shipment.provider != SimulatorPostGateway.name:
        raise ValueError("only simulated shipments can be advanced")
    status = next_step(shipment)
    if status is None:
        return None
    return shipment_event_record(
        shipment=shipment,
        status=status,
        description=_descriptions()[status],
        at=timezone.now(),
        external_id=f"SIM-{shipment.tracking_number}-{SCRIPT.index(status) + 1}",
        location=_location(shipment, status),
    )
