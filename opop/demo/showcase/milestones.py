"""The showcase's milestones: the checklist verified item by item from 2016 to 2025, levels
0 → 1 → 2 → 3, one dip back to 2 when the year's RAT was missing, and two level-4 claims still
waiting. Replaces the milestone rows the milestones seed gave the pesantren."""

from __future__ import annotations

import datetime as dt

from opop.demo.showcase.context import DEMO_NOTE, Context, date_of, stamp
from opop.milestones.levels import level_from_items
from opop.milestones.models import LevelChange, MilestoneItem, PesantrenLevel, PesantrenMilestone

# Item code -> (status, day verified or claimed). `rat_this_year` was first verified in May 2020
# (that date reaches level 3), then asked again: back to level 2 in January 2023, verified again
# in June 2023.
MILESTONES = {
    "coop_founded": ("verified", (2016, 3, 10)),
    "board_appointed": ("verified", (2016, 4, 5)),
    "flagship_chosen": ("verified", (2016, 9, 20)),
    "basic_training": ("verified", (2017, 2, 14)),
    "legal_entity": ("verified", (2017, 8, 28)),
    "nib": ("verified", (2018, 3, 12)),
    "npwp": ("verified", (2018, 5, 7)),
    "bank_account": ("verified", (2018, 10, 15)),
    "pirt": ("verified", (2018, 12, 3)),
    "bookkeeping": ("verified", (2019, 4, 8)),
    "brand_filed": ("verified", (2020, 1, 20)),
    "halal_flagship": ("verified", (2020, 2, 24)),
    "rat_this_year": ("verified", (2023, 6, 19)),
    "managerial_training": ("verified", (2021, 3, 22)),
    "first_mart_sale": ("verified", (2021, 6, 17)),
    "distribution_permit": ("verified", (2022, 3, 14)),
    "santri_coached": ("verified", (2024, 8, 12)),
    "accounts_reviewed": ("verified", (2025, 5, 19)),
    "financing_obtained": ("claimed", None),
    "regular_buyers": ("claimed", None),
}
FIRST_VERIFIED = {"rat_this_year": (2020, 5, 20)}
LEVEL_DIP = ((2023, 1, 16), "rat_this_year")  # back one level until this item is verified again


def write(ctx: Context) -> None:
    items = list(
        MilestoneItem.objects.filter(programme=ctx.programme, is_active=True).values_list(
            "pk", "code", "level"
        )
    )
    if not items:
        return
    pk, writer = ctx.pesantren.pk, ctx.writer
    for model in (PesantrenMilestone, LevelChange, PesantrenLevel):
        model.objects.filter(pesantren_id=pk).delete()
    rows, reached_by = [], {}
    for item_id, code, _level in items:
        status, parts = MILESTONES.get(code, (None, None))
        if status is None:
            continue
        day = date_of(parts) if parts else ctx.today - dt.timedelta(days=20)
        if not ctx.past(day):
            continue
        decided = stamp(day, 11) if status == "verified" else None
        rows.append(
            {
                "id": writer.new_id(PesantrenMilestone),
                "programme_id": ctx.programme.pk,
                "pesantren_id": pk,
                "item_id": item_id,
                "status": status,
                "note": DEMO_NOTE,
                "claimed_by_id": ctx.manager_id,
                "claimed_at": stamp(day - dt.timedelta(days=12), 9),
                "decided_by_id": ctx.reviewer_id if decided else None,
                "decided_at": decided,
                "created_at": stamp(day - dt.timedelta(days=12), 9),
            }
        )
        if status == "verified":
            reached_by[item_id] = date_of(FIRST_VERIFIED.get(code, parts))
    level = level_from_items((lvl, item_id in reached_by) for item_id, _c, lvl in items)
    changes = _level_changes(ctx, items, reached_by, level)
    writer.write(PesantrenMilestone, rows)
    writer.write(
        LevelChange,
        [
            {
                "id": writer.new_id(LevelChange),
                "programme_id": ctx.programme.pk,
                "pesantren_id": pk,
                "from_level": before,
                "to_level": after,
                "on": on,
                "actor_id": ctx.reviewer_id,
            }
            for before, after, on in changes
        ],
    )
    if level:
        writer.write(
            PesantrenLevel,
            [
                {
                    "id": writer.new_id(PesantrenLevel),
                    "pesantren_id": pk,
                    "programme_id": ctx.programme.pk,
                    "level": level,
                    "reached_on": changes[-1][2] if changes else None,
                    "verified_count": len(reached_by),
                }
            ],
        )
    ctx.counts["history_milestones"] += len(rows)
    ctx.counts["history_level_changes"] += len(changes)


def _level_changes(ctx: Context, items, reached_by, level) -> list[tuple[int, int, dt.date]]:
    """Up one level on the day the last item of that level (and below) was verified; the dip
    of LEVEL_DIP where the history had reached the level of its item."""
    days = {}
    for step in range(1, level + 1):
        wanted = [i for i, _c, lvl in items if lvl <= step]
        if wanted and all(i in reached_by for i in wanted):
            days[step] = max(reached_by[i] for i in wanted)
    changes, previous = [], 0
    for step in sorted(days):
        on = max(days[step], changes[-1][2]) if changes else days[step]
        changes.append((previous, step, on))
        previous = step
    dip_day, dip_code = date_of(LEVEL_DIP[0]), LEVEL_DIP[1]
    dip_item = next(((i, lvl) for i, c, lvl in items if c == dip_code), None)
    again = date_of(MILESTONES[dip_code][1])
    if dip_item and dip_item[0] in reached_by and ctx.past(again):
        lvl = dip_item[1]
        at_dip = max((to for _f, to, on in changes if on <= dip_day), default=0)
        if at_dip == lvl and level >= lvl:
            changes += [(lvl, lvl - 1, dip_day), (lvl - 1, lvl, again)]
            changes.sort(key=lambda change: change[2])
    return changes
