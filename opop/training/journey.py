"""Trainings in a pesantren's journey: per session, how many of its people attended and how many
certificates they received. Counts only, never names."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from opop.common.journey import JourneyEvent
from opop.registry.selectors import pesantren_visible_to
from opop.training.models import Enrolment


def journey_events(pesantren_id: int, access) -> list[JourneyEvent]:
    if not pesantren_visible_to(access).filter(pk=pesantren_id).exists():
        return []
    rows = (
        Enrolment.objects.filter(
            person__pesantren_id=pesantren_id,
            checked_in_at__isnull=False,
            session__programme_id=access.programme_id,
        )
        .values("session_id", "session__title", "session__starts_at", "session__training__name")
        .annotate(
            attended=Count("id"),
            certified=Count(
                "certificate", filter=Q(certificate__revoked_at__isnull=True), distinct=True
            ),
        )
        .order_by("session__starts_at")
    )
    events = []
    for row in rows:
        on = timezone.localtime(row["session__starts_at"]).date()
        detail = ngettext("%(n)d person attended", "%(n)d people attended", row["attended"]) % {
            "n": row["attended"]
        }
        events.append(
            JourneyEvent(
                on=on,
                kind="training.attended",
                title=_("Training: %(title)s") % {"title": row["session__title"]},
                detail=f"{row['session__training__name']} · {detail}",
            )
        )
        if row["certified"]:
            events.append(
                JourneyEvent(
                    on=on,
                    kind="training.certified",
                    title=ngettext(
                        "%(n)d training certificate issued",
                        "%(n)d training certificates issued",
                        row["certified"],
                    )
                    % {"n": row["certified"]},
                    detail=row["session__title"],
                )
            )
    return events
