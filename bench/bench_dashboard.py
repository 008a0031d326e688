"""Dashboard page and API for one year, as each persona that reads it (p95 < 200 ms), and the
recount of the summary tables.

- the programme admin: page and API, programme-wide summary rows;
- the officer of Kota Surabaya: page, summary rows filtered by kab/kota;
- the facilitator: page, counted live from the registry (their few assigned pesantren: no
  summary row is that narrow);
- the partner: API, the programme-wide aggregates;
- the coaching dashboard (`dashboard.coaching.page*`), as the admin and the officer: trainings,
  certifications, grants, cooperatives, levels, health and visits, counted live by each
  coaching app's `figures.py` (no summary table);
- `dashboard.refresh`: `dashboard_refresh` recounting the programme's summaries, the work an
  import's commit or the nightly job queues (no target; fewer runs, it is the slow one).

The personas are the demo accounts `seed_demo` creates (password `opop-demo`); the benchmark
logs them in directly. Baseline: counting the raw participations per pillar and kab/kota in
plain SQL, which is what the summary tables save each request from doing.
"""

from __future__ import annotations

from django.db import connection
from django.test import Client

from bench.timing import raw_sql, result, skipped, timed
from opop.accounts.models import User
from opop.dashboard.services import dashboard_refresh
from opop.programmes.models import Programme
from opop.registry.models import Participation

YEAR = 2025
TARGET_P95_MS = 200
PAGE = "/dashboard/?year={year}"
API = "/api/v1/dashboard/?programme={programme}&year={year}"
COACHING = "/dashboard/coaching/?year={year}"
# measurement -> (demo account, URL)
PAGES = {
    "dashboard.page": ("admin.jatim@demo.opop.id", PAGE),
    "dashboard.api": ("admin.jatim@demo.opop.id", API),
    "dashboard.page.officer": ("officer.surabaya@demo.opop.id", PAGE),
    "dashboard.page.facilitator": ("facilitator@demo.opop.id", PAGE),
    "dashboard.api.partner": ("partner@demo.opop.id", API),
    # The coaching dashboard (issue 5, point 8): every coaching app's figures counted live.
    "dashboard.coaching.page": ("admin.jatim@demo.opop.id", COACHING),
    "dashboard.coaching.page.officer": ("officer.surabaya@demo.opop.id", COACHING),
}
REFRESH = "dashboard.refresh"


def run(scale: str, programme_code: str = "jatim", **timing) -> list[dict]:
    programme = Programme.objects.get(code=programme_code)
    context = {
        "scale": scale,
        "baseline": _baseline(programme, **timing),
        "participations": Participation.objects.filter(programme=programme).count(),
    }
    lines = [
        _page(name, email, pattern.format(programme=programme_code, year=YEAR), context, timing)
        for name, (email, pattern) in PAGES.items()
    ]
    refresh = timed(
        lambda: dashboard_refresh(programme_id=programme.pk),
        n=max(3, timing["n"] // 10),
        warmup=1,
    )
    lines.append(result(REFRESH, timing=refresh, **context))
    return lines


def _baseline(programme: Programme, **timing) -> dict:
    table = connection.ops.quote_name(Participation._meta.db_table)
    query = raw_sql(
        f"SELECT pillar, regency_id, COUNT(*) FROM {table} "
        "WHERE programme_id = %s AND cohort_year <= %s AND status IN (%s, %s) "
        "GROUP BY pillar, regency_id",
        [programme.pk, YEAR, *Participation.COUNTED],
    )
    return {"what": "raw SQL: participations per pillar and kab/kota", **timed(query, **timing)}


def _page(name: str, email: str, url: str, context: dict, timing: dict) -> dict:
    """One persona's page or API call: its timing line, or why it was skipped."""
    scale = context["scale"]
    user = User.objects.filter(email=email).first()
    if user is None:
        return skipped(name, scale=scale, reason=f"no user {email}")
    client = Client()
    client.force_login(user)
    status = client.get(url).status_code
    if status != 200:
        return skipped(name, scale=scale, reason=f"GET {url} as {email} answered {status}")
    return result(
        name,
        timing=timed(lambda: client.get(url), **timing),
        target_p95_ms=TARGET_P95_MS,
        url=url,
        persona=email,
        **context,
    )
