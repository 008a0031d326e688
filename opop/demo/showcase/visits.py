"""The showcase's facilitator visits: one in almost every month since its registration (≈120
reports), reviewed by its officer, with zero to three action items each, most of them done.
Months the visits seed already gave a visit are left as they are."""

from __future__ import annotations

import datetime as dt
import uuid

from opop.demo.showcase.context import HISTORY_FROM, Context, stamp
from opop.demo.visits import ITEMS as VISIT_ITEMS
from opop.demo.visits import NOTES as VISIT_NOTES
from opop.demo.visits import WHO as VISIT_WHO
from opop.visits.models import ActionItem, Purpose, Visit


def write(ctx: Context) -> None:
    if not ctx.facilitator_id:
        return
    rng, writer, pk = ctx.rng, ctx.writer, ctx.pesantren.pk
    visited = {
        (day.year, day.month)
        for day in Visit.objects.filter(pesantren_id=pk).values_list("visited_on", flat=True)
    }
    visits, items = [], []
    purposes = [p for p in Purpose.values if p != Purpose.OTHER]
    year, month = HISTORY_FROM, 2  # from the month after its registration
    last = ctx.today - dt.timedelta(days=21)
    while (year, month) <= (last.year, last.month):
        day = dt.date(year, month, rng.randint(3, 27))
        if (year, month) not in visited and day <= last and rng.random() < 0.93:
            visit_id = writer.new_id(Visit)
            submitted = stamp(day, 15, rng.randint(0, 59))
            reviewed = submitted + dt.timedelta(days=rng.randint(1, 7))
            visits.append(
                {
                    "id": visit_id,
                    "programme_id": ctx.programme.pk,
                    "pesantren_id": pk,
                    "facilitator_id": ctx.facilitator_id,
                    "client_uuid": uuid.UUID(int=rng.getrandbits(128), version=4),
                    "visited_on": day,
                    "purpose": rng.choice(purposes),
                    "purpose_other": "",
                    "notes": rng.choice(VISIT_NOTES),
                    "status": Visit.Status.REVIEWED if ctx.reviewer_id else "submitted",
                    "submitted_at": submitted,
                    "reviewed_at": reviewed if ctx.reviewer_id else None,
                    "reviewed_by_id": ctx.reviewer_id,
                    "review_note": "",
                    "created_at": submitted,
                    "updated_at": reviewed,
                }
            )
            items += _action_items(ctx, visit_id, day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    writer.write(Visit, visits)
    writer.write(ActionItem, items)
    ctx.counts.update(history_visits=len(visits), history_visit_action_items=len(items))


def _action_items(ctx: Context, visit_id: int, day: dt.date) -> list[dict]:
    rng, rows = ctx.rng, []
    for text in rng.sample(VISIT_ITEMS, rng.choice((0, 1, 1, 2, 2, 3))):
        due = day + dt.timedelta(days=rng.choice((14, 30, 60)))
        done = due < ctx.today and rng.random() < 0.85
        done_on = due - dt.timedelta(days=rng.randint(0, 10))
        rows.append(
            {
                "id": ctx.writer.new_id(ActionItem),
                "visit_id": visit_id,
                "text": text,
                "due_on": due,
                "responsible": rng.choice(VISIT_WHO),
                "done_at": stamp(max(done_on, day), 10) if done else None,
                "done_by_id": ctx.manager_id if done else None,
            }
        )
    return rows
