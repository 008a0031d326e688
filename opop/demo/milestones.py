"""Demo data for institutional milestones, so that the checklist, the queue and the progress by
kab/kota show a believable spread.

`seed_milestones(programme, rng=…, writer=…)` loads the default checklist (if missing), then for
every pesantren of the programme draws how far it has come (most are at level 0–2, a few at
3–4): every item up to that level is verified, on dates that rise with the level over the last
three years; items of the next level are partly verified, partly claimed and waiting, a few
rejected. Each pesantren's `PesantrenLevel` and its `LevelChange` rows follow from those rows by
the same rule as the services (`levels.level_from_items`). Demo evidence is a note, not a file.
manager.a's pesantren always has claims waiting, so the demo accounts see the queue at work.

Rows go in bulk through `RowWriter`. Idempotent: a programme that already has pesantren
milestone rows gets nothing more.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from django.db import transaction
from django.utils import timezone

from opop.accounts.models import Membership, Role
from opop.demo.writer import RowWriter
from opop.milestones.defaults import default_items_load
from opop.milestones.levels import level_from_items
from opop.milestones.models import LevelChange, MilestoneItem, PesantrenLevel, PesantrenMilestone
from opop.registry.models import Pesantren

# How far pesantren have come: level → weight.
TARGET_WEIGHTS = {0: 30, 1: 30, 2: 22, 3: 12, 4: 6}
# What happens to an item of the level just above the one reached.
NEXT_LEVEL = (("verified", 40), ("claimed", 25), ("rejected", 8), ("none", 27))
HISTORY_DAYS = 3 * 365
SHOWCASE_MANAGER = "manager.a@demo.opop.id"
DEMO_NOTE = "Demo: bukti diperiksa di lokasi."
DEMO_REJECTION = "Demo: dokumen tidak terbaca, unggah ulang."
Status = PesantrenMilestone.Status


def seed_milestones(programme, *, rng: random.Random, writer: RowWriter | None = None) -> Counter:
    writer = writer or RowWriter(now=timezone.now())
    counts: Counter = Counter()
    with transaction.atomic():
        counts["milestone_items"] = default_items_load(programme)
        if PesantrenMilestone.objects.filter(programme=programme).exists():
            return counts
        items = list(
            MilestoneItem.objects.filter(programme=programme, is_active=True)
            .order_by("level", "order", "id")
            .values_list("id", "level")
        )
        if not items:
            return counts
        showcase = _showcase_pesantren(programme)
        statuses, levels, changes = [], [], []
        for pesantren_id in (
            Pesantren.objects.filter(programme=programme)
            .order_by("pk")
            .values_list("pk", flat=True)
        ):
            plan = _plan(rng, items, showcase=pesantren_id == showcase)
            rows, level, history = _rows(programme.pk, pesantren_id, plan, rng, writer)
            statuses.extend(rows)
            if rows and any(r["status"] == Status.VERIFIED for r in rows):
                levels.append(
                    {
                        "id": writer.new_id(PesantrenLevel),
                        "pesantren_id": pesantren_id,
                        "programme_id": programme.pk,
                        "level": level,
                        "reached_on": history[-1][2] if history else None,
                        "verified_count": sum(r["status"] == Status.VERIFIED for r in rows),
                    }
                )
            for from_level, to_level, on in history:
                changes.append(
                    {
                        "id": writer.new_id(LevelChange),
                        "programme_id": programme.pk,
                        "pesantren_id": pesantren_id,
                        "from_level": from_level,
                        "to_level": to_level,
                        "on": on,
                    }
                )
        writer.write(PesantrenMilestone, statuses)
        writer.write(PesantrenLevel, levels)
        writer.write(LevelChange, changes)
    counts["pesantren_milestones"] = len(statuses)
    counts["pesantren_levels"] = len(levels)
    counts["level_changes"] = len(changes)
    writer.analyze((PesantrenMilestone, PesantrenLevel, LevelChange))
    return counts


def _showcase_pesantren(programme) -> int | None:
    membership = Membership.objects.filter(
        programme=programme, role=Role.MANAGER, user__email=SHOWCASE_MANAGER
    ).first()
    return membership.pesantren_id if membership else None


def _plan(rng: random.Random, items, *, showcase: bool) -> list[tuple[int, int, str]]:
    """(item id, level, outcome) for one pesantren."""
    target = rng.choices(list(TARGET_WEIGHTS), weights=list(TARGET_WEIGHTS.values()))[0]
    if showcase:
        target = 1
    outcomes, weights = zip(*NEXT_LEVEL, strict=True)
    plan = []
    for item_id, level in items:
        if level <= target:
            outcome = "verified"
        elif level == target + 1:
            outcome = rng.choices(outcomes, weights=weights)[0]
            if showcase and outcome in ("none", "verified"):
                outcome = "claimed"
        else:
            outcome = "none"
        plan.append((item_id, level, outcome))
    return plan


def _rows(programme_id, pesantren_id, plan, rng, writer):
    """The status rows, the derived level, and [(level reached, date)] in order."""
    now = writer.now
    start = now - dt.timedelta(days=rng.randint(200, HISTORY_DAYS))
    span = max((now - start).days, 10)
    top = max(level for _id, level, _o in plan)
    rows, finished = [], {}
    for item_id, level, outcome in plan:
        if outcome == "none":
            continue
        # Later levels are reached later: each level gets its slice of the pesantren's history.
        slot = (level - 1 + rng.random()) / (top + 1)
        claimed_at = start + dt.timedelta(days=int(span * slot))
        decided_at = claimed_at + dt.timedelta(days=rng.randint(1, 14))
        if decided_at > now:
            decided_at = now
        row = {
            "id": writer.new_id(PesantrenMilestone),
            "programme_id": programme_id,
            "pesantren_id": pesantren_id,
            "item_id": item_id,
            "status": outcome,
            "note": DEMO_NOTE,
            "claimed_at": claimed_at,
            "decided_at": decided_at if outcome in ("verified", "rejected") else None,
            "reason": DEMO_REJECTION if outcome == "rejected" else "",
        }
        rows.append(row)
        if outcome == "verified":
            finished[level] = max(finished.get(level, decided_at), decided_at)
    level = level_from_items((lvl, out == "verified") for _id, lvl, out in plan)
    history, reached_on, previous = [], None, 0
    for step in range(1, level + 1):
        if step not in finished:
            continue  # a level without items is skipped, as in the rule
        day = timezone.localdate(finished[step])
        reached_on = max(reached_on, day) if reached_on else day
        history.append((previous, step, reached_on))
        previous = step
    return rows, level, history
