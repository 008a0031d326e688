"""Registration on a pesantren's journey: the pesantren, its cooperatives (registered, became a
legal entity), its pillar participations, and how many of its people and enterprises were
registered each year (counts only, never names).

Five indexed queries, each limited to a pesantren the reader may see."""

from __future__ import annotations

from django.db.models import Count, Max
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from opop.common.journey import JourneyEvent
from opop.programmes.models import Pillar
from opop.registry.models import Participation
from opop.registry.selectors import (
    cooperatives_visible_to,
    enterprises_visible_to,
    people_visible_to,
    pesantren_visible_to,
)


def journey_events(pesantren_id: int, access) -> list[JourneyEvent]:
    if not access or not access.reads_registry:
        return []
    pesantren = pesantren_visible_to(access).filter(pk=pesantren_id).only("created_at").first()
    if pesantren is None:
        return []
    events = [
        JourneyEvent(
            on=timezone.localdate(pesantren.created_at),
            kind="registry.registered",
            title=_("Pesantren registered in the OPOP registry"),
            url=reverse("registry:pesantren_detail", args=[pesantren_id]),
        )
    ]
    events += _cooperative_events(pesantren_id, access)
    events += _participation_events(pesantren_id)
    events += _yearly_counts(
        people_visible_to(access).filter(pesantren_id=pesantren_id),
        kind="registry.people",
        title=lambda n: ngettext(
            "%(n)d santri or alumnus registered", "%(n)d santri and alumni registered", n
        ),
    )
    events += _yearly_counts(
        enterprises_visible_to(access).filter(pesantren_id=pesantren_id),
        kind="registry.enterprises",
        title=lambda n: ngettext("%(n)d enterprise registered", "%(n)d enterprises registered", n),
    )
    return events


def _cooperative_events(pesantren_id: int, access) -> list[JourneyEvent]:
    events = []
    for coop in (
        cooperatives_visible_to(access)
        .filter(pesantren_id=pesantren_id)
        .only("name", "created_at", "legal_status", "legal_date", "legal_number")
    ):
        url = reverse("registry:cooperative_detail", args=[coop.pk])
        events.append(
            JourneyEvent(
                on=timezone.localdate(coop.created_at),
                kind="registry.cooperative",
                title=_("Cooperative registered: %(name)s") % {"name": coop.name},
                url=url,
            )
        )
        if coop.legal_date:
            events.append(
                JourneyEvent(
                    on=coop.legal_date,
                    kind="registry.legal_entity",
                    title=_("Cooperative became a legal entity: %(name)s") % {"name": coop.name},
                    detail=coop.legal_number,
                    url=url,
                )
            )
    return events


def _participation_events(pesantren_id: int) -> list[JourneyEvent]:
    """The pesantren's own pillar (pesantrenpreneur) by cohort; the caller checked visibility."""
    rows = Participation.objects.filter(
        pesantren_id=pesantren_id, pillar=Pillar.PESANTRENPRENEUR
    ).only("pillar", "cohort_year", "status", "created_at")
    return [
        JourneyEvent(
            on=timezone.localdate(row.created_at),
            kind="registry.participation",
            title=_("Joined %(pillar)s, cohort %(year)d")
            % {"pillar": row.get_pillar_display(), "year": row.cohort_year},
            detail=str(row.get_status_display()),
        )
        for row in rows
    ]


def _yearly_counts(queryset, *, kind: str, title) -> list[JourneyEvent]:
    """One event per year: how many were registered, dated the year's last registration."""
    rows = (
        queryset.annotate(year=ExtractYear("created_at"))
        .values("year")
        .annotate(n=Count("pk"), last=Max("created_at"))
        .order_by("year")
    )
    return [
        JourneyEvent(
            on=timezone.localdate(row["last"]), kind=kind, title=title(row["n"]) % {"n": row["n"]}
        )
        for row in rows
    ]
