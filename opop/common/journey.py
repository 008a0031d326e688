"""One step of a pesantren's journey (issue 5, point 7): what happened, when, and where to read
more. Each coaching app offers `journey_events(pesantren_id, access) -> list[JourneyEvent]`
(already scoped: only what `access` may see); the journey page merges them in time order."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class JourneyEvent:
    on: dt.date  # the day it happened (Asia/Jakarta)
    kind: str  # the app's own code, e.g. "training.attended", "grant.disbursed"
    title: str  # translated, short: "Attended Santri OPOP Camp 2025"
    detail: str = ""  # translated, one line, no personal data (no NIK, phone, address)
    url: str = ""  # a page the reader may open, or ""
