"""Assessments on a pesantren's journey: each entry about the pesantren or its products and
people (auditions, curation, awards) when it was submitted, and its outcome once the stage's
results are published (never before: unpublished scores are the jury's).

One query over `Entry.pesantren`, limited to a pesantren the reader may see."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from opop.assessment.models import Entry, Stage
from opop.common.journey import JourneyEvent
from opop.registry.selectors import pesantren_visible_to

OUTCOME_KINDS = {
    Entry.Outcome.PASSED: "assessment.passed",
    Entry.Outcome.NOT_PASSED: "assessment.not_passed",
}


def journey_events(pesantren_id: int, access) -> list[JourneyEvent]:
    if not access or not access.reads_registry:
        return []
    visible = pesantren_visible_to(access).filter(pk=pesantren_id).order_by().values("pk")
    entries = (
        Entry.objects.filter(pesantren_id=pesantren_id, pesantren__in=visible)
        .select_related("stage__round")
        .only(
            "title",
            "submitted_at",
            "outcome",
            "rank",
            "decided_at",
            "stage__name",
            "stage__status",
            "stage__published_at",
            "stage__round__name",
        )
        .order_by("submitted_at")
    )
    events = []
    for entry in entries:
        stage = entry.stage
        where = f"{stage.round.name} · {stage.name}"
        events.append(
            JourneyEvent(
                on=timezone.localdate(entry.submitted_at),
                kind="assessment.entered",
                title=_("Entered for assessment: %(title)s") % {"title": entry.title},
                detail=where,
            )
        )
        kind = OUTCOME_KINDS.get(entry.outcome)
        if kind and stage.status == Stage.Status.PUBLISHED:
            decided = entry.decided_at or stage.published_at or entry.submitted_at
            passed = kind == "assessment.passed"
            title = (_("Passed: %(title)s") if passed else _("Did not pass: %(title)s")) % {
                "title": entry.title
            }
            detail = where
            if entry.rank and passed:
                detail = _("%(where)s · rank %(rank)d") % {"where": where, "rank": entry.rank}
            events.append(
                JourneyEvent(on=timezone.localdate(decided), kind=kind, title=title, detail=detail)
            )
    return events
