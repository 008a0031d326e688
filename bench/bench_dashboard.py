"""Dashboard page and API for one year, as the programme admin (p95 < 200 ms).

Baseline: counting the raw participations per pillar and kab/kota in plain SQL, which is what
the dashboard's summary tables save each request from doing.
"""

from __future__ import annotations

from django.db import connection
from django.test import Client

from bench.timing import raw_sql, result, skipped, timed
from opop.accounts.models import User
from opop.programmes.models import Programme
from opop.registry.models import Participation

YEAR = 2025
PAGES = {
    "dashboard.page": "/dashboard/?year={year}",
    "dashboard.api": "/api/v1/dashboard/?programme={programme}&year={year}",
}
TARGET_P95_MS = 200
ADMIN = "admin.jatim@demo.opop.id"


def run(scale: str, programme_code: str = "jatim", **timing) -> list[dict]:
    admin = User.objects.filter(email=ADMIN).first()
    if admin is None:
        return [skipped(name, scale=scale, reason=f"no user {ADMIN}") for name in PAGES]
    client = Client()
    client.force_login(admin)
    programme = Programme.objects.get(code=programme_code)
    table = connection.ops.quote_name(Participation._meta.db_table)
    baseline_query = raw_sql(
        f"SELECT pillar, regency_id, COUNT(*) FROM {table} "
        "WHERE programme_id = %s AND cohort_year <= %s AND status IN (%s, %s) "
        "GROUP BY pillar, regency_id",
        [programme.pk, YEAR, *Participation.COUNTED],
    )
    baseline = {
        "what": "raw SQL: participations per pillar and kab/kota",
        **timed(baseline_query, **timing),
    }
    lines = []
    for name, pattern in PAGES.items():
        url = pattern.format(programme=programme_code, year=YEAR)
        status = client.get(url).status_code
        if status != 200:
            lines.append(skipped(name, scale=scale, reason=f"GET {url} answered {status}"))
            continue
        lines.append(
            result(
                name,
                scale=scale,
                timing=timed(lambda url=url: client.get(url), **timing),
                target_p95_ms=TARGET_P95_MS,
                baseline=baseline,
                url=url,
                participations=Participation.objects.filter(programme=programme).count(),
            )
        )
    return lines
