"""Demo cooperative health: yearly reports for the demo cooperatives, so that the health list,
a cooperative's history, the journey and the dashboard show something believable.

Each cooperative reports from about the year it joined (the programme's start or later) up to
last year, with members, capital and business volume growing a few percent a year and an SHU
that is sometimes a loss. About one in six stopped reporting two or more years ago (no report),
and about one in ten reported last year without holding its RAT (inactive). Rows go in bulk
through `RowWriter`, with each cooperative's summary row computed alongside, as a save would.
Idempotent: a programme that already has reports gets nothing more.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from django.utils import timezone

from opop.coophealth.models import CooperativeHealth, CooperativeReport
from opop.demo.writer import RowWriter
from opop.registry.models import Cooperative

WIB = dt.timezone(dt.timedelta(hours=7))
BATCH = 5_000


def seed_coophealth(programme, *, rng: random.Random, writer: RowWriter) -> Counter:
    counts: Counter = Counter()
    if CooperativeReport.objects.filter(programme=programme).exists():
        return counts
    last = timezone.localdate().year - 1
    first_year = max(programme.started_year or last - 5, last - 9)
    reports, summaries = [], []
    coop_ids = Cooperative.objects.filter(programme=programme).order_by("pk")
    for coop_id in coop_ids.values_list("pk", flat=True).iterator():
        plan = _plan(rng, first_year=first_year, last=last)
        if plan is None:
            continue
        rows = _reports(rng, writer, programme.pk, coop_id, **plan)
        reports.extend(rows)
        summaries.append(_summary(programme.pk, coop_id, rows))
        if len(reports) >= BATCH:
            counts["coophealth_reports"] += _flush(writer, reports, summaries)
            reports, summaries = [], []
    counts["coophealth_reports"] += _flush(writer, reports, summaries)
    return counts


def _flush(writer, reports, summaries) -> int:
    writer.write(CooperativeReport, reports)
    writer.write(CooperativeHealth, summaries)
    return len(reports)


def _plan(rng, *, first_year: int, last: int) -> dict | None:
    fate = rng.random()
    if fate < 0.08:
        return None  # never reported
    start = rng.randint(first_year, max(first_year, last - 1))
    end = last
    if fate < 0.22 and start <= last - 2:
        end = rng.randint(start, last - 2)  # stopped reporting: no report now
    no_rat_last = fate > 0.9
    return {"start": start, "end": end, "no_rat_last": no_rat_last}


def _reports(rng, writer, programme_id, coop_id, *, start, end, no_rat_last) -> list[dict]:
    today = timezone.localdate()
    members = rng.randint(25, 400)
    own = int(rng.lognormvariate(18.2, 0.8)) // 100_000 * 100_000
    volume = int(rng.lognormvariate(19.8, 1.0)) // 100_000 * 100_000
    rows = []
    for year in range(start, end + 1):
        members = max(20, int(members * rng.uniform(0.97, 1.15)))
        own = int(own * rng.uniform(1.0, 1.12)) // 1_000 * 1_000
        volume = int(volume * rng.uniform(0.9, 1.25)) // 1_000 * 1_000
        margin = rng.uniform(-0.03, 0.08)
        external = int(own * rng.uniform(0, 0.8)) // 1_000 * 1_000
        held = not (no_rat_last and year == end)
        rat = dt.date(year + 1, rng.randint(1, 6), rng.randint(1, 28)) if held else None
        if rat and rat > today:
            rat = None  # not held yet this year
        filed = (rat or dt.date(year + 1, 6, 30)) + dt.timedelta(days=rng.randint(1, 30))
        filed_at = dt.datetime(filed.year, filed.month, filed.day, 10, tzinfo=WIB)
        rows.append(
            {
                "id": writer.new_id(CooperativeReport),
                "programme_id": programme_id,
                "cooperative_id": coop_id,
                "year": year,
                "members_total": members,
                "members_women": int(members * rng.uniform(0.2, 0.6)),
                "own_capital": own,
                "external_capital": external,
                "business_volume": volume,
                "surplus": int(volume * margin) // 1_000 * 1_000,
                "rat_date": rat,
                "assets": own + external + volume // 10,
                "source": CooperativeReport.Source.FORM,
                "created_at": min(filed_at, timezone.now()),
                "updated_at": min(filed_at, timezone.now()),
            }
        )
    return rows


def _summary(programme_id, coop_id, rows) -> dict:
    latest = rows[-1]
    active = [r["year"] for r in rows if r["rat_date"] and r["business_volume"] > 0]
    return {
        "cooperative_id": coop_id,
        "programme_id": programme_id,
        "latest_report_id": latest["id"],
        "latest_year": latest["year"],
        "latest_active_year": max(active, default=None),
        "report_count": len(rows),
    }
