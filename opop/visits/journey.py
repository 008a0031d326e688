"""Visits on a pesantren's journey: each report (date, purpose, number of action items) and each
action item done. No notes, names or places: only what the visit was for.

Two indexed queries (visits by pesantren and day; action items done through their visit), each
limited by the registry scope as a subquery. A link to the report is given only to readers who
may open it (`selectors.visits_visible_to`, decided here per row without another query)."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from opop.accounts.models import Role
from opop.common.journey import JourneyEvent
from opop.registry.selectors import pesantren_visible_to
from opop.visits.models import ActionItem, Purpose, Visit


def _opens(access, *, facilitator_id: int, pesantren_id: int, regency_id: str) -> bool:
    """The same rule as `visits_visible_to`, for a row already in the reader's programme."""
    match access.role:
        case Role.ADMIN | Role.AUDITOR:
            return True
        case Role.OFFICER:
            return regency_id == access.regency_code
        case Role.FACILITATOR:
            return (
                facilitator_id == access.user.pk and pesantren_id in access.assigned_pesantren_ids
            )
    return False


def journey_events(pesantren_id: int, access) -> list[JourneyEvent]:
    if not access or not access.reads_coaching:
        return []
    in_scope = pesantren_visible_to(access).filter(pk=pesantren_id).order_by().values("pk")
    labels = dict(Purpose.choices)
    events = []
    visits = (
        Visit.objects.filter(pesantren_id__in=in_scope, programme_id=access.programme_id)
        .annotate(items=Count("action_items"))
        .values("pk", "visited_on", "purpose", "items", "facilitator_id", "pesantren__regency_id")
        .order_by()
    )
    openable = set()
    for row in visits:
        if _opens(
            access,
            facilitator_id=row["facilitator_id"],
            pesantren_id=pesantren_id,
            regency_id=row["pesantren__regency_id"],
        ):
            openable.add(row["pk"])
        # "Other" is shown as "Other", never the free text the facilitator typed.
        purpose = labels.get(row["purpose"], row["purpose"])
        events.append(
            JourneyEvent(
                on=row["visited_on"],
                kind="visit.made",
                title=_("Facilitator visit: %(purpose)s") % {"purpose": purpose},
                detail=ngettext("%(n)d action item", "%(n)d action items", row["items"])
                % {"n": row["items"]}
                if row["items"]
                else "",
                url=reverse("visits:detail", args=[row["pk"]]) if row["pk"] in openable else "",
            )
        )
    if not events:
        return []
    done = ActionItem.objects.filter(
        visit__pesantren_id__in=in_scope,
        visit__programme_id=access.programme_id,
        done_at__isnull=False,
    ).values("visit_id", "done_at", "visit__visited_on")
    for row in done:
        events.append(
            JourneyEvent(
                on=timezone.localdate(row["done_at"]),
                kind="visit.action_done",
                title=_("Action item done"),
                detail=_("From the visit of %(day)s")
                % {"day": row["visit__visited_on"].isoformat()},
                url=reverse("visits:detail", args=[row["visit_id"]])
                if row["visit_id"] in openable
                else "",
            )
        )
    return events
