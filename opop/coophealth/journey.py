"""Cooperative health on a pesantren's journey: each yearly report filed, with its key figures
(cooperative figures, not personal data), and each annual members' meeting (RAT) held."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from opop.common.formatting import rupiah, thousands
from opop.common.journey import JourneyEvent
from opop.coophealth.models import CooperativeReport
from opop.coophealth.selectors import cooperatives_readable_by


def journey_events(pesantren_id: int, access) -> list[JourneyEvent]:
    """One query: the reports of the pesantren's cooperatives that `access` may see."""
    coops = cooperatives_readable_by(access).filter(pesantren_id=pesantren_id).values("pk")
    reports = (
        CooperativeReport.objects.filter(cooperative_id__in=coops)
        .select_related("cooperative")
        .only(
            "year",
            "created_at",
            "rat_date",
            "members_total",
            "business_volume",
            "surplus",
            "cooperative__name",
        )
        .order_by("year")
    )
    events = []
    for report in reports:
        url = reverse("coophealth:cooperative", args=[report.cooperative_id])
        name = report.cooperative.name
        events.append(
            JourneyEvent(
                on=timezone.localdate(report.created_at),
                kind="coophealth.report",
                title=_("%(name)s filed its %(year)s yearly report")
                % {"name": name, "year": report.year},
                detail=_("Members %(members)s · business volume %(volume)s · SHU %(shu)s")
                % {
                    "members": thousands(report.members_total),
                    "volume": rupiah(report.business_volume),
                    "shu": rupiah(report.surplus),
                },
                url=url,
            )
        )
        if report.rat_date:
            events.append(
                JourneyEvent(
                    on=report.rat_date,
                    kind="coophealth.rat",
                    title=_("Annual members' meeting (RAT) on the %(year)s books")
                    % {"year": report.year},
                    detail=name,
                    url=url,
                )
            )
    return events
