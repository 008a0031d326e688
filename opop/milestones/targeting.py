"""Which pesantren are at a stage or have a need, for fitting training to them (issue 5, point 2:
"invitations targeted by stage and need"). Programme-level reads: the caller (a training
session's targeting) narrows them to whom its organiser may invite.

A *need* is a checklist item the pesantren has not had verified and that is due: at its current
level or the next one (an item two levels up is not a need yet). A need tag names items by their
code's words or their aspect: "halal" matches `halal_flagship`, "bookkeeping" matches
`bookkeeping`, "financing" every item of the financing aspect.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from opop.milestones.models import MilestoneItem, PesantrenMilestone
from opop.registry.models import Pesantren


def pesantren_at_level(programme_id: int, low: int | None, high: int | None) -> QuerySet:
    """Ids of the programme's pesantren whose level lies in [low, high] (either end open).
    A pesantren with no level row is at level 0."""
    pesantren = Pesantren.objects.filter(programme_id=programme_id)
    if low:
        pesantren = pesantren.filter(milestone_level__level__gte=low)
    if high is not None:
        pesantren = pesantren.filter(
            Q(milestone_level__isnull=True) | Q(milestone_level__level__lte=high)
        )
    return pesantren.values("pk")


def checklist_codes(programme_id: int) -> list[str]:
    """The codes of the programme's active checklist items: the need tags organisers may use."""
    return list(
        MilestoneItem.objects.filter(programme_id=programme_id, is_active=True)
        .order_by("level", "order", "code")
        .values_list("code", flat=True)
    )


def item_matches(item: MilestoneItem, tags: list[str]) -> bool:
    words = set(item.code.lower().replace("-", "_").split("_"))
    return any(tag == item.code or tag == item.aspect or tag in words for tag in tags)


def pesantren_needing(programme_id: int, tags: list[str]) -> QuerySet:
    """Ids of the programme's pesantren with at least one due, unverified item matching a tag."""
    items = [
        item
        for item in MilestoneItem.objects.filter(programme_id=programme_id, is_active=True)
        if item_matches(item, tags)
    ]
    pesantren = Pesantren.objects.filter(programme_id=programme_id)
    if not items:
        return pesantren.none().values("pk")
    needs = Q(pk__in=[])
    for item in items:
        verified = PesantrenMilestone.objects.filter(
            item=item, status=PesantrenMilestone.Status.VERIFIED
        ).values("pesantren_id")
        due = Q() if item.level <= 1 else Q(milestone_level__level__gte=item.level - 1)
        needs |= due & ~Q(pk__in=verified)
    return pesantren.filter(needs).values("pk")
