"""A pesantren's journey (issue 5, point 10): the page of a pesantren with ten years of history,
p95 < 150 ms on PostgreSQL at `large`.

The pesantren is the demo's showcase, the pesantren of `manager.a@demo.opop.id`, which
`opop.demo.showcase.history_ensure` gives ten years of history (several hundred journey
events: ~120 visits with their action items, ~40 training sessions, certification tracks,
grants, yearly cooperative reports, milestones, assessment rounds, registrations). A database
seeded before that history existed gets it here first (the `journey.prepare` line: rows written,
0 on later runs, and the events per aspect as the programme admin sees them).

- `journey.page`: `/journey/pesantren/<id>/` as the programme admin (every aspect, first page);
- `journey.page.manager`: the same page as the cooperative's manager (their own pesantren);
- `journey.page.visits`: `?aspect=visits`, the biggest aspect, as the admin;
- `journey.api`: `/api/v1/journey/pesantren/<id>/?programme=<code>` as the admin.

Baseline: the biggest source in plain SQL, the pesantren's visits with their number of action
items and its action items done (the two queries of `opop.visits.journey`).
"""

from __future__ import annotations

import random

from django.db import connection
from django.test import Client
from django.urls import NoReverseMatch, reverse

from bench.timing import raw_sql, result, skipped, timed
from opop.accounts.models import User
from opop.demo.seed import DEFAULT_SEED
from opop.demo.showcase import history_ensure, showcase_events, showcase_pesantren
from opop.programmes.models import Programme
from opop.visits.models import ActionItem, Visit

TARGET_P95_MS = 150
ADMIN = "admin.{programme}@demo.opop.id"
MANAGER = "manager.a@demo.opop.id"
PAGE = "/journey/pesantren/{pk}/"
# measurement -> (demo account, URL)
PAGES = {
    "journey.page": (ADMIN, PAGE),
    "journey.page.manager": (MANAGER, PAGE),
    "journey.page.visits": (ADMIN, PAGE + "?aspect=visits"),
    "journey.api": (ADMIN, "/api/v1/journey/pesantren/{pk}/?programme={programme}"),
}


def run(scale: str, programme_code: str = "jatim", **timing) -> list[dict]:
    programme = Programme.objects.get(code=programme_code)
    # The same draw as the demo seed's (`opop.demo.coaching.seed_coaching`).
    rng = random.Random(f"{DEFAULT_SEED}:{programme_code}:journey_history")
    written = history_ensure(programme, rng=rng)
    pesantren = showcase_pesantren(programme)
    if pesantren is None:
        return [skipped("journey", scale=scale, reason=f"no {MANAGER} in {programme_code}")]
    events = showcase_events(programme)
    prepare = {
        "name": "journey.prepare",
        "scale": scale,
        "db": connection.vendor,
        "pesantren": pesantren.pk,
        "rows_written": sum(written.values()),
        "events": sum(events.values()),
        "events_by_aspect": dict(events),
    }
    try:
        reverse("journey:pesantren", args=[pesantren.pk])
    except NoReverseMatch:
        return [prepare, skipped("journey", scale=scale, reason="no URL named journey:pesantren")]
    context = {
        "scale": scale,
        "baseline": _baseline(pesantren.pk, programme.pk, timing),
        "events": prepare["events"],
    }
    lines = [prepare]
    for name, (email, pattern) in PAGES.items():
        url = pattern.format(pk=pesantren.pk, programme=programme_code)
        lines.append(_page(name, email.format(programme=programme_code), url, context, timing))
    return lines


def _baseline(pesantren_id: int, programme_id: int, timing: dict) -> dict:
    visit = connection.ops.quote_name(Visit._meta.db_table)
    item = connection.ops.quote_name(ActionItem._meta.db_table)
    visits = raw_sql(
        f"SELECT v.id, v.visited_on, v.purpose, v.facilitator_id, COUNT(a.id) FROM {visit} v "  # noqa: S608
        f"LEFT JOIN {item} a ON a.visit_id = v.id "
        "WHERE v.pesantren_id = %s AND v.programme_id = %s "
        "GROUP BY v.id, v.visited_on, v.purpose, v.facilitator_id",
        [pesantren_id, programme_id],
    )
    done = raw_sql(
        f"SELECT a.visit_id, a.done_at, v.visited_on FROM {item} a "  # noqa: S608
        f"JOIN {visit} v ON v.id = a.visit_id "
        "WHERE v.pesantren_id = %s AND v.programme_id = %s AND a.done_at IS NOT NULL",
        [pesantren_id, programme_id],
    )

    def both() -> None:
        visits()
        done()

    return {
        "what": "raw SQL: the pesantren's visits and action items done",
        **timed(both, **timing),
    }


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
