"""The certification tracker read API: `/api/v1/certifications/tracks/` and `…/<id>/`.

Tracks are scoped like the tracker's pages (`selectors.tracks_visible_to`): admin and auditor
the programme, an officer their kab/kota, everyone else who reads coaching the tracks of the
enterprises they see. The list holds current tracks (a renewed or retried track's predecessor
is reached by its id, as `renews`); `?status=` takes the shown status, so `expiring` and
`expired` mean the same as on the board.
"""

from __future__ import annotations

from django.utils import timezone

from opop.certtracker import selectors
from opop.certtracker.serializers import CertificationTrackSerializer, TrackFilterSerializer
from opop.common.api import ProgrammeScopedViewSet, scoped_read_schema

TAG = "certifications"


@scoped_read_schema(
    serializer=CertificationTrackSerializer,
    filters=TrackFilterSerializer,
    tag=TAG,
    noun="certification tracks",
)
class TrackViewSet(ProgrammeScopedViewSet):
    """Product certification tracks (halal, P-IRT, BPOM, SNI, trademark) in your scope."""

    required_access = "reads_coaching"
    serializer_class = CertificationTrackSerializer
    filter_serializer_class = TrackFilterSerializer

    def scoped_queryset(self, access):
        return (
            selectors.with_shown_status(selectors.tracks_visible_to(access))
            .select_related(
                "product", "product__enterprise", "pesantren", "regency", "certification"
            )
            .prefetch_related("steps")
            .order_by("-status_on", "-id")
        )

    def filtered(self, queryset, params: dict):
        return selectors.filtered(
            selectors.current(queryset),
            kind=params.get("kind", ""),
            shown=params.get("status", ""),
            regency=params.get("regency", ""),
            pesantren_id=params.get("pesantren"),
            today=timezone.localdate(),
        )
