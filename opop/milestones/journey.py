"""Milestones on a pesantren's journey: level changes ("naik kelas") and verified items.

Two indexed queries (`milestone_change_idx`, `milestone_journey_idx`), each scoped in SQL by the
registry's visibility, so a pesantren outside the reader's scope yields nothing."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from opop.common.journey import JourneyEvent
from opop.milestones import selectors
from opop.milestones.models import Level, LevelChange, PesantrenMilestone
from opop.registry.selectors import pesantren_visible_to


def journey_events(pesantren_id: int, access) -> list[JourneyEvent]:
    if not access or not access.reads_coaching:
        return []
    visible = pesantren_visible_to(access).filter(pk=pesantren_id).order_by().values("pk")
    url = (
        reverse("milestones:checklist", args=[pesantren_id])
        if selectors.reads_milestones(access)
        else ""
    )
    events = []
    for change in LevelChange.objects.filter(pesantren_id=pesantren_id, pesantren__in=visible).only(
        "on", "from_level", "to_level"
    ):
        label = Level(change.to_level).label
        if change.is_up:
            title = _("Moved up to level %(number)d: %(level)s") % {
                "number": change.to_level,
                "level": label,
            }
        else:
            title = _("Level back to %(number)d: %(level)s") % {
                "number": change.to_level,
                "level": label,
            }
        events.append(
            JourneyEvent(
                on=change.on,
                kind="milestones.level_up" if change.is_up else "milestones.level_down",
                title=title,
                url=url,
            )
        )
    verified = (
        PesantrenMilestone.objects.filter(
            pesantren_id=pesantren_id,
            status=PesantrenMilestone.Status.VERIFIED,
            decided_at__isnull=False,
            pesantren__in=visible,
        )
        .select_related("item")
        .only("decided_at", "item__name", "item__level")
    )
    for row in verified:
        events.append(
            JourneyEvent(
                on=timezone.localdate(row.decided_at),
                kind="milestones.verified",
                title=_("Milestone verified: %(item)s") % {"item": row.item.name},
                detail=_("Level %(number)d: %(level)s")
                % {"number": row.item.level, "level": Level(row.item.level).label},
                url=url,
            )
        )
    events.sort(key=lambda event: event.on)
    return events
