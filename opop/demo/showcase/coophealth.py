"""The showcase cooperative's health: a yearly report on the books of every year from 2015
(filed at registration) to last year, each with its RAT, growing year on year; and the health
row pointing at the latest. Replaces the reports the cooperative health seed gave it."""

from __future__ import annotations

import datetime as dt

from opop.coophealth.models import CooperativeHealth, CooperativeReport
from opop.demo.showcase.context import HISTORY_FROM, Context, stamp


def write(ctx: Context) -> None:
    coop = ctx.cooperative
    if coop is None:
        return
    rng, writer = ctx.rng, ctx.writer
    CooperativeHealth.objects.filter(cooperative=coop).delete()
    CooperativeReport.objects.filter(cooperative=coop).delete()
    members, own, volume = 32, 45_000_000, 180_000_000
    rows = []
    for year in range(HISTORY_FROM - 1, ctx.today.year):
        members = int(members * rng.uniform(1.05, 1.25))
        own = int(own * rng.uniform(1.05, 1.18)) // 1_000 * 1_000
        volume = int(volume * rng.uniform(1.02, 1.3)) // 1_000 * 1_000
        rat = dt.date(year + 1, rng.randint(2, 4), rng.randint(1, 28))
        filed = rat + dt.timedelta(days=rng.randint(7, 30))
        if year == HISTORY_FROM - 1:  # last year's books, brought at registration
            rat = dt.date(HISTORY_FROM, 1, 30)
            filed = dt.date(HISTORY_FROM, 2, 24)
        if not ctx.past(filed):
            continue
        external = int(own * rng.uniform(0.1, 0.6)) // 1_000 * 1_000
        rows.append(
            {
                "id": writer.new_id(CooperativeReport),
                "programme_id": ctx.programme.pk,
                "cooperative_id": coop.pk,
                "year": year,
                "members_total": members,
                "members_women": int(members * rng.uniform(0.3, 0.5)),
                "own_capital": own,
                "external_capital": external,
                "business_volume": volume,
                "surplus": int(volume * rng.uniform(0.02, 0.08)) // 1_000 * 1_000,
                "rat_date": rat,
                "assets": own + external + volume // 10,
                "source": CooperativeReport.Source.FORM,
                "created_by_id": ctx.manager_id,
                "created_at": stamp(filed),
                "updated_at": stamp(filed),
            }
        )
    if not rows:
        return
    latest = rows[-1]
    writer.write(CooperativeReport, rows)
    writer.write(
        CooperativeHealth,
        [
            {
                "cooperative_id": coop.pk,
                "programme_id": ctx.programme.pk,
                "latest_report_id": latest["id"],
                "latest_year": latest["year"],
                "latest_active_year": latest["year"],
                "report_count": len(rows),
            }
        ],
    )
    ctx.counts["history_coophealth_reports"] += len(rows)
