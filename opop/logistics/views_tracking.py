"""The public tracking page: status and events, never the recipient's name, address or phone."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from opop.logistics import selectors
from opop.logistics.gateways import GATEWAYS, get_gateway
from opop.logistics.gateways.simulator import next_step, simulator_advance


def _shipment(tracking_number: str):
    shipment = selectors.shipment_for_tracking(tracking_number.strip().upper())
    if shipment is None:
        raise Http404(_("No shipment has this tracking number."))
    return shipment


@require_GET
def track_lookup(request):
    number = (request.GET.get("number") or "").strip().upper()
    if number:
        return redirect("logistics:track", tracking_number=number)
    return render(request, "logistics/track_lookup.html")


@require_GET
def track(request, tracking_number: str):
    shipment = _shipment(tracking_number)
    order = shipment.order
    origin = shipment.agent.regency if shipment.agent_id else order.seller.regency
    is_simulator = shipment.provider in GATEWAYS and get_gateway(shipment.provider).is_simulator
    may_advance = (
        is_simulator
        and next_step(shipment) is not None
        and selectors.may_advance(getattr(request, "access", None), shipment)
    )
    context = {
        "shipment": shipment,
        "events": list(shipment.events.all()),
        "origin": origin,
        "destination": order.checkout.regency,
        "is_simulator": is_simulator,
        "may_advance": may_advance,
    }
    return render(request, "logistics/track.html", context)


@login_required
@require_POST
def track_advance(request, tracking_number: str):
    shipment = _shipment(tracking_number)
    if shipment.provider != "simulator" or not selectors.may_advance(
        getattr(request, "access", None), shipment
    ):
        raise PermissionDenied
    if simulator_advance(shipment) is None:
        messages.info(request, _("The simulated parcel has no further step."))
    else:
        messages.success(request, _("The simulator recorded the next tracking event."))
    return redirect("logistics:track", tracking_number=shipment.tracking_number)
