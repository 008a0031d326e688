"""A pesantren's journey (issue 5, point 7): every aspect's `journey_events` merged in time order.

The journey owns no data. Each aspect's app decides what it shows and to whom (its
`journey_events(pesantren_id, access)` returns only what `access` may see, counts rather than
names); this module only merges, filters by aspect and year, and counts.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from importlib import import_module

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from opop.common.journey import JourneyEvent


@dataclass(frozen=True)
class Aspect:
    code: str  # the `?aspect=` value
    label: Promise
    tone: str  # a Bootstrap colour, for the badge that marks its steps
    source: str  # the module offering `journey_events`


ASPECTS = (
    Aspect("registry", _("Registration"), "secondary", "opop.registry.journey"),
    Aspect("assessment", _("Assessments"), "info", "opop.assessment.journey"),
    Aspect("milestones", _("Milestones"), "success", "opop.milestones.journey"),
    Aspect("training", _("Trainings"), "primary", "opop.training.journey"),
    Aspect("visits", _("Facilitator visits"), "warning", "opop.visits.journey"),
    Aspect("certifications", _("Certifications"), "dark", "opop.certtracker.journey"),
    Aspect("grants", _("Grants and financing"), "danger", "opop.grants.journey"),
    Aspect("coophealth", _("Cooperative health"), "light border", "opop.coophealth.journey"),
)
ASPECT_CODES = tuple(aspect.code for aspect in ASPECTS)
_BY_CODE = {aspect.code: aspect for aspect in ASPECTS}
_ORDER = {aspect.code: position for position, aspect in enumerate(ASPECTS)}


@dataclass(frozen=True)
class Step:
    """One event with the aspect it belongs to (for its icon and label)."""

    event: JourneyEvent
    aspect: Aspect

    @property
    def year(self) -> int:
        return self.event.on.year


@dataclass(frozen=True)
class Journey:
    steps: list[Step]  # filtered by aspect and year, oldest first
    by_aspect: list[tuple[Aspect, int]]  # every aspect with its number of events (all years)
    by_year: list[tuple[int, int]]  # years with events of the chosen aspect, oldest first
    total: int  # all events of all aspects and years

    @property
    def first(self):
        return self.steps[0].event.on if self.steps else None


def aspect_for(code: str | None) -> Aspect | None:
    return _BY_CODE.get(code or "")


def journey_steps(pesantren_id: int, access) -> list[Step]:
    """Every event the reader may see, in time order (ties: the aspects' order, then as given)."""
    steps = []
    for aspect in ASPECTS:
        events = import_module(aspect.source).journey_events(pesantren_id, access)
        steps += [Step(event, aspect) for event in events]
    steps.sort(key=lambda step: (step.event.on, _ORDER[step.aspect.code]))
    return steps


def pesantren_journey(
    pesantren_id: int, access, *, aspect: str | None = None, year: int | None = None
) -> Journey:
    """The journey narrowed to one aspect and/or year, with the counts for the filters.

    The caller has checked that `access` may see the pesantren at all; each source checks again.
    """
    steps = journey_steps(pesantren_id, access)
    per_aspect = Counter(step.aspect.code for step in steps)
    if aspect:
        steps = [step for step in steps if step.aspect.code == aspect]
    per_year = Counter(step.year for step in steps)
    if year:
        steps = [step for step in steps if step.year == year]
    return Journey(
        steps=steps,
        by_aspect=[(a, per_aspect[a.code]) for a in ASPECTS],
        by_year=sorted(per_year.items()),
        total=sum(per_aspect.values()),
    )
