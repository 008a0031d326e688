"""Milestone figures for the dashboard: pesantren per level (overall and by kab/kota), claims
waiting for verification, items verified and level rises in the year.

Scope as the registry's: programme-wide roles (admin, auditor, partner) count the whole
programme, an officer their kab/kota, a facilitator or manager their pesantren. Five grouped
queries whatever the number of pesantren: levels come from the stored `PesantrenLevel` rows.
"""

from __future__ import annotations

from django.db.models import Count, F, Q

from opop.milestones.models import Level, LevelChange, PesantrenMilestone
from opop.milestones.selectors import pesantren_in_scope, progress_by_regency


def dashboard_figures(access, *, year: int) -> dict:
    if not access or not access.reads_dashboard:
        return {}
    by_regency = progress_by_regency(access)
    per_level = {lvl: sum(row["levels"][lvl] for row in by_regency) for lvl in Level.values}
    scope = pesantren_in_scope(access).order_by().values("pk")
    statuses = PesantrenMilestone.objects.filter(
        programme_id=access.programme_id, pesantren__in=scope
    ).aggregate(
        waiting=Count("pk", filter=Q(status=PesantrenMilestone.Status.CLAIMED)),
        verified_in_year=Count(
            "pk",
            filter=Q(status=PesantrenMilestone.Status.VERIFIED, decided_at__year=year),
        ),
    )
    level_ups = LevelChange.objects.filter(
        programme_id=access.programme_id,
        pesantren__in=scope,
        on__year=year,
    ).filter(to_level__gt=F("from_level"))
    return {
        "levels": [
            {"level": lvl, "name": str(label), "pesantren": per_level[lvl]}
            for lvl, label in Level.choices
        ],
        "by_regency": [
            {
                "regency_code": row["code"],
                "regency_name": row["name"],
                "total": row["total"],
                "levels": {str(lvl): n for lvl, n in sorted(row["levels"].items())},
            }
            for row in by_regency
        ],
        "pesantren": sum(per_level.values()),
        "claims_waiting": statuses["waiting"],
        "verified_in_year": statuses["verified_in_year"],
        "level_ups_in_year": level_ups.count(),
    }
