"""Every milestone read that depends on who is asking.

Who may do what (deny by default; another programme's rows are simply not in the querysets):
- read a pesantren's checklist and its evidence: staff who coach (admin, officer in their
  kab/kota, facilitator of their assigned pesantren), the auditor, and the pesantren's own
  cooperative manager; participants, jurors, partners and buyers do not;
- claim an item (send evidence): the cooperative manager of their own pesantren and the
  facilitator of an assigned pesantren;
- verify or reject a claim: programme admins, and regional officers in their kab/kota. The
  facilitator who helped prepare a claim does not verify it;
- edit the checklist: programme admins.
"""

from __future__ import annotations

from django.db.models import Count, QuerySet

from opop.accounts.access import Access
from opop.accounts.models import Role
from opop.milestones.models import Level, MilestoneItem, PesantrenLevel, PesantrenMilestone
from opop.registry.models import Pesantren
from opop.registry.selectors import pesantren_visible_to

VERIFIER_ROLES = {Role.ADMIN, Role.OFFICER}
CLAIMER_ROLES = {Role.MANAGER, Role.FACILITATOR}


def reads_milestones(access: Access | None) -> bool:
    return bool(
        access and (access.coaches or access.manages_cooperative or access.role == Role.AUDITOR)
    )


def reads_queue(access: Access | None) -> bool:
    """The queue and the progress pages are for staff and the auditor, not for managers."""
    return bool(access and (access.coaches or access.role == Role.AUDITOR))


def verifies_milestones(access: Access | None) -> bool:
    return bool(access and access.coaches and access.role in VERIFIER_ROLES)


def claims_milestones(access: Access | None) -> bool:
    return bool(access and access.role in CLAIMER_ROLES)


def edits_checklist(access: Access | None) -> bool:
    return bool(access and access.administers_programme)


def pesantren_readable_by(access: Access) -> QuerySet[Pesantren]:
    if not reads_milestones(access):
        return Pesantren.objects.none()
    return pesantren_visible_to(access)


def pesantren_claimable_by(access: Access) -> QuerySet[Pesantren]:
    if not claims_milestones(access):
        return Pesantren.objects.none()
    return pesantren_visible_to(access)


def pesantren_verifiable_by(access: Access) -> QuerySet[Pesantren]:
    if not verifies_milestones(access):
        return Pesantren.objects.none()
    return pesantren_visible_to(access)


def items_of(programme_id: int, *, active_only: bool = True) -> QuerySet[MilestoneItem]:
    items = MilestoneItem.objects.filter(programme_id=programme_id)
    return items.filter(is_active=True) if active_only else items


def checklist_items(access: Access) -> QuerySet[MilestoneItem]:
    """The programme's checklist for its editors (retired items too)."""
    if not edits_checklist(access):
        return MilestoneItem.objects.none()
    return items_of(access.programme_id, active_only=False).order_by("level", "order", "id")


def checklist_rows(pesantren: Pesantren) -> list[dict]:
    """The active items with this pesantren's status on each, grouped by level, in two queries."""
    items = list(items_of(pesantren.programme_id).order_by("level", "order", "id"))
    statuses = {
        row.item_id: row
        for row in PesantrenMilestone.objects.filter(pesantren=pesantren).select_related(
            "decided_by", "claimed_by"
        )
    }
    levels: dict[int, dict] = {}
    for item in items:
        group = levels.setdefault(
            item.level,
            {"level": item.level, "name": Level(item.level).label, "rows": [], "verified": 0},
        )
        status = statuses.get(item.pk)
        group["rows"].append({"item": item, "status": status})
        if status and status.status == PesantrenMilestone.Status.VERIFIED:
            group["verified"] += 1
    for group in levels.values():
        group["total"] = len(group["rows"])
        group["percent"] = round(100 * group["verified"] / group["total"]) if group["total"] else 0
    return [levels[key] for key in sorted(levels)]


def level_of(pesantren: Pesantren) -> PesantrenLevel | None:
    return PesantrenLevel.objects.filter(pesantren=pesantren).first()


def claims_visible_to(access: Access) -> QuerySet[PesantrenMilestone]:
    """Claims in scope of the queue's readers (each pesantren's rows, any status)."""
    if not reads_queue(access):
        return PesantrenMilestone.objects.none()
    return PesantrenMilestone.objects.filter(
        programme_id=access.programme_id,
        pesantren__in=pesantren_visible_to(access).order_by().values("pk"),
    )


def queue_rows(access: Access, *, regency: str = "") -> QuerySet[PesantrenMilestone]:
    rows = claims_visible_to(access).filter(status=PesantrenMilestone.Status.CLAIMED)
    if regency:
        rows = rows.filter(pesantren__regency_id=regency)
    return rows.select_related("pesantren", "pesantren__regency", "item").order_by(
        "claimed_at", "id"
    )


def pesantren_in_scope(access: Access) -> QuerySet[Pesantren]:
    """What the progress page and the figures count: the whole programme for programme-wide
    roles (partners included, who do not read the registry), otherwise the registry's scope."""
    if access.is_programme_wide:
        return Pesantren.objects.filter(programme_id=access.programme_id)
    return pesantren_visible_to(access)


def progress_by_regency(access: Access) -> list[dict]:
    """Pesantren per level in each kab/kota of the scope: two grouped queries."""
    scope = pesantren_in_scope(access)
    totals = {
        row["regency_id"]: (row["regency__name"], row["n"])
        for row in scope.order_by().values("regency_id", "regency__name").annotate(n=Count("pk"))
    }
    levelled = (
        PesantrenLevel.objects.filter(
            programme_id=access.programme_id,
            level__gt=0,
            pesantren__in=scope.order_by().values("pk"),
        )
        .order_by()
        .values("pesantren__regency_id", "level")
        .annotate(n=Count("pk"))
    )
    counts: dict[str, dict[int, int]] = {}
    for row in levelled:
        counts.setdefault(row["pesantren__regency_id"], {})[row["level"]] = row["n"]
    rows = []
    for code, (name, total) in sorted(totals.items(), key=lambda kv: kv[0] or ""):
        by_level = counts.get(code, {})
        levels = {lvl: by_level.get(lvl, 0) for lvl in range(1, 5)}
        levels[0] = total - sum(levels.values())
        cells = [levels[lvl] for lvl in range(5)]
        rows.append({"code": code, "name": name, "total": total, "levels": levels, "cells": cells})
    return rows


def pesantren_with_levels(access: Access, *, regency: str = "", level: int | None = None):
    """Pesantren of the scope with their level, for the progress page's list."""
    qs = pesantren_readable_by(access).select_related("regency", "milestone_level")
    if regency:
        qs = qs.filter(regency_id=regency)
    if level == 0:
        qs = qs.exclude(milestone_level__level__gt=0)
    elif level:
        qs = qs.filter(milestone_level__level=level)
    return qs.order_by("name", "pk")
