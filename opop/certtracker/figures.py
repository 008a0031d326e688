"""Certification counts for the dashboard (issue 5, point 8): current tracks by kind and shown
status (issued, expiring within 90 days, expired, …) and by kab/kota, plus certificates issued
in the year. Scoped like the registry; two grouped queries and one count."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, QuerySet
from django.utils import timezone

from opop.accounts.models import Role
from opop.catalog.models import Certification
from opop.certtracker import rules
from opop.certtracker.models import CertificationTrack, TrackStatus
from opop.regions.models import Region
from opop.registry.selectors import enterprises_visible_to


def tracks_in_scope(access) -> QuerySet[CertificationTrack]:
    if not access or not access.reads_dashboard:
        return CertificationTrack.objects.none()
    tracks = CertificationTrack.objects.filter(programme_id=access.programme_id, superseded=False)
    if access.is_programme_wide:
        return tracks
    if access.role == Role.OFFICER:
        return tracks.filter(regency_id=access.regency_code)
    return tracks.filter(product__enterprise__in=enterprises_visible_to(access).values("pk"))


def dashboard_figures(access, *, year: int, today=None) -> dict:
    today = today or timezone.localdate()
    tracks = tracks_in_scope(access).annotate(shown=rules.shown_status_expression(today))
    statuses = [code for code, _label in rules.SHOWN_STATUSES]
    kinds = list(Certification.Kind.values)
    by_kind = {kind: dict.fromkeys(statuses, 0) for kind in kinds}
    by_status = dict.fromkeys(statuses, 0)
    by_regency: dict[str, dict] = defaultdict(lambda: dict.fromkeys(statuses, 0))
    # One scan grouped by kind, kab/kota and status (at most a few hundred groups), folded here:
    # the shown status is computed per track, so each extra grouping would be another scan.
    cells = tracks.values("kind", "regency_id", "shown").annotate(n=Count("id")).order_by()
    for row in cells:
        by_kind.setdefault(row["kind"], dict.fromkeys(statuses, 0))[row["shown"]] += row["n"]
        by_status[row["shown"]] += row["n"]
        by_regency[row["regency_id"]][row["shown"]] += row["n"]
    names = dict(Region.objects.filter(code__in=list(by_regency)).values_list("code", "name"))
    issued_in_year = (
        tracks_in_scope(access).filter(status=TrackStatus.ISSUED, decided_on__year=year).count()
    )
    return {
        "year": year,
        "statuses": [{"code": code, "label": str(label)} for code, label in rules.SHOWN_STATUSES],
        "by_status": by_status,
        "by_kind": by_kind,
        "by_regency": [
            {"code": code, "name": names.get(code, code), **counts}
            for code, counts in sorted(by_regency.items())
        ],
        "expiring_90_days": by_status[rules.EXPIRING],
        "issued_in_year": issued_in_year,
        "total": sum(by_status.values()),
    }
