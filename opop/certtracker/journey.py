"""A pesantren's certification events for its journey page: certificates issued, applications
rejected, certificates expired. One indexed query (track by pesantren and status)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from opop.certtracker.models import CertificationTrack, TrackStatus
from opop.common.journey import JourneyEvent
from opop.registry.selectors import pesantren_visible_to


def journey_events(pesantren_id: int, access) -> list[JourneyEvent]:
    if not access or not access.reads_coaching:
        return []
    if not pesantren_visible_to(access).filter(pk=pesantren_id).exists():
        return []
    today = timezone.localdate()
    tracks = (
        CertificationTrack.objects.filter(
            pesantren_id=pesantren_id,
            programme_id=access.programme_id,
            status__in=(TrackStatus.ISSUED, TrackStatus.REJECTED),
        )
        .select_related("product", "certification")
        .only(
            "id",
            "kind",
            "status",
            "decided_on",
            "status_on",
            "product__name",
            "certification__expires_on",
            "certification__number",
        )
    )
    events = []
    for track in tracks:
        url = reverse("certtracker:detail", args=[track.pk])
        kind, product = track.get_kind_display(), track.product.name
        if track.status == TrackStatus.REJECTED:
            events.append(
                JourneyEvent(
                    on=track.decided_on or track.status_on,
                    kind="certification.rejected",
                    title=_("%(kind)s application rejected: %(product)s")
                    % {"kind": kind, "product": product},
                    url=url,
                )
            )
            continue
        certification = track.certification
        events.append(
            JourneyEvent(
                on=track.decided_on or track.status_on,
                kind="certification.issued",
                title=_("%(kind)s certificate issued: %(product)s")
                % {"kind": kind, "product": product},
                detail=certification.number if certification else "",
                url=url,
            )
        )
        if certification and certification.expires_on and certification.expires_on < today:
            events.append(
                JourneyEvent(
                    on=certification.expires_on,
                    kind="certification.expired",
                    title=_("%(kind)s certificate expired: %(product)s")
                    % {"kind": kind, "product": product},
                    url=url,
                )
            )
    return events
