"""The small interface every adapter to the post's systems implements.

Only a simulator exists here (no real post API is reachable); a real adapter would implement the
same two calls and be chosen by `settings.POST_GATEWAY`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class TrackingEvent:
    """One tracking event as the post reports it; `external_id` is the post's own id of it."""

    status: str  # a Shipment.Status value
    description: str
    at: dt.datetime
    external_id: str
    location: str = ""


class PostGateway:
    name: str = ""
    # Shown as a "SIMULATOR" badge on the tracking page and beside shipments.
    is_simulator: bool = False

    def book(self, shipment) -> str:
        """Hand an unsaved Shipment to the post; returns its tracking number."""
        raise NotImplementedError

    def track(self, tracking_number: str) -> list[TrackingEvent]:
        """Every event the post knows of for this tracking number, oldest first."""
        raise NotImplementedError
