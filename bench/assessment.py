"""A curation round of 5,000 products × 5 jurors × 5 criteria: the scoring and ranking pages
(p95 < 200 ms, issue 3 point 10) and the engine's two heavy services.

Seeding (`bench/assessment_seed.py`, once per database; later runs reuse the round): five
bench jurors (`juror<n>@bench.opop.id`, one per Penta Helix group), the round, its rubric,
stage and panel through the assessment services; 5,000 products (category `bench-curation`) and
their entries in bulk; `stage_open`; `assignments_balance` (every juror on every entry: 25,000
sheets); half of each juror's sheets submitted in bulk (62,500 scores); `stage_close`.

Every run then times the two services on that round: it puts the stage back to SCORING and
deletes the unsubmitted (score-less) assignments, which `assignments_balance` recreates and
`stage_close` aggregates again. Submitted sheets, entries and products are never touched.

Measured with Django's test Client:
- `assessment.scoresheet`: a bench juror's scoresheet of a random assignment of theirs (the
  stage is closed, so the page also shows the panel's scores: its heaviest form);
- `assessment.my_assignments`: a bench juror's list (progress per stage, first page);
- `assessment.ranking`: the ranking page (`assessment:ranking`) at random pages, as the admin.
Baselines, in the same run: the same rows in plain SQL.
"""

from __future__ import annotations

import math
import random
import sys
import time
from itertools import cycle

from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import NoReverseMatch, reverse

from bench.assessment_seed import ENTRIES, SEED, bench_round, jurors_ensure, seed
from bench.timing import raw_sql, result, skipped, timed
from opop.accounts.models import User
from opop.assessment import services
from opop.assessment.models import Assignment, Criterion, Entry, Juror, Round, Score, Stage
from opop.catalog.models import Product
from opop.programmes.models import Programme

ADMIN = "admin.jatim@demo.opop.id"
TARGET_P95_MS = 200
RANKING_PAGE_SIZE = 50  # for the baseline; the page's own size is the staff pages' business
TABLES = (Assignment, Criterion, Entry, Round, Score, Stage)


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run(scale: str, programme_code: str = "jatim", **timing) -> list[dict]:
    # Opening scoring e-mails the jurors: the console backend would print them on stdout,
    # among the JSON lines.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        return _run(scale, programme_code, timing)


def _run(scale: str, programme_code: str, timing: dict) -> list[dict]:
    admin = User.objects.filter(email=ADMIN).first()
    if admin is None:
        return [skipped("assessment", scale=scale, reason=f"no user {ADMIN}: run seed_demo")]
    programme = Programme.objects.get(code=programme_code)
    lines = []
    jurors = jurors_ensure(programme)
    round_ = bench_round(programme)
    if round_ is None:
        lines.append(seed(scale, programme, admin, jurors))
        round_ = bench_round(programme)
    else:
        _log(f"Reusing the assessment round {round_.pk} ({ENTRIES:,} entries).")
    stage = round_.stages.get(position=1)
    lines += _service_timings(scale, admin, stage)
    lines.append(_scoresheet(scale, stage, jurors, timing))
    lines.append(_my_assignments(scale, jurors[0], timing))
    lines.append(_ranking(scale, admin, stage, timing))
    return lines


def forget(log=_log) -> None:
    """See `bench.assessment_seed.forget`."""
    from bench.assessment_seed import forget as delete_round

    delete_round(log=log)


# --- Services ---------------------------------------------------------------------------------


def _service_timings(scale: str, admin, stage: Stage) -> list[dict]:
    """Back to SCORING without the unsubmitted sheets, then balance and close, timed."""
    with transaction.atomic():
        removed, _ = Assignment.objects.filter(stage=stage, submitted_at__isnull=True).delete()
        Stage.objects.filter(pk=stage.pk).update(status=Stage.Status.SCORING, closed_at=None)
    stage.refresh_from_db()
    started = time.perf_counter()
    created = services.assignments_balance(actor=admin, stage=stage)
    balance_s = time.perf_counter() - started
    stage.refresh_from_db()
    started = time.perf_counter()
    services.stage_close(actor=admin, stage=stage)
    close_s = time.perf_counter() - started
    _analyze()
    sheets = Assignment.objects.filter(stage=stage).count()
    base = {"scale": scale, "db": connection.vendor, "entries": ENTRIES, "sheets": sheets}
    balance = {"created": created, "removed_first": removed, "ms": round(balance_s * 1000, 1)}
    return [
        {"name": "assessment.assignments_balance", **base, **balance},
        {"name": "assessment.stage_close", **base, "ms": round(close_s * 1000, 1)},
    ]


def _analyze() -> None:
    """Fresh planner statistics after bulk writes, as autovacuum would give them a bit later:
    the pages are timed as they run in steady state."""
    with connection.cursor() as cursor:
        for model in (Assignment, Score, Entry, Product):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


# --- Pages ------------------------------------------------------------------------------------


def _scoresheet(scale: str, stage: Stage, jurors: list[User], timing: dict) -> dict:
    name = "assessment.scoresheet"
    rng = random.Random(SEED)
    clients = {}
    for user in jurors:
        clients[user.pk] = Client()
        clients[user.pk].force_login(user)
    sheets = list(Assignment.objects.filter(stage=stage).values_list("id", "juror__user_id"))
    picks = [rng.choice(sheets) for _ in range(timing["n"] + timing["warmup"])]
    status = clients[picks[0][1]].get(reverse("assessment:scoresheet", args=[picks[0][0]]))
    if status.status_code != 200:
        return skipped(name, scale=scale, reason=f"scoresheet answered {status.status_code}")
    pages = cycle(
        [(clients[user], reverse("assessment:scoresheet", args=[pk])) for pk, user in picks]
    )
    ids = cycle([pk for pk, _user in picks])

    def page():
        client, url = next(pages)
        return client.get(url)

    t = {m.__name__: connection.ops.quote_name(m._meta.db_table) for m in TABLES}
    sheet_sql = (
        "SELECT a.id, a.submitted_at, a.total, e.title, e.product_id, s.status, r.scale_max "
        f"FROM {t['Assignment']} a JOIN {t['Entry']} e ON e.id = a.entry_id "
        f"JOIN {t['Stage']} s ON s.id = a.stage_id "
        f"JOIN {t['Round']} r ON r.id = s.round_id WHERE a.id = %s"
    )
    criteria = raw_sql(
        f"SELECT id, name, guidance, weight FROM {t['Criterion']} "
        "WHERE round_id = %s ORDER BY position, id",
        [stage.round_id],
    )
    scores_sql = (
        f"SELECT assignment_id, criterion_id, value, comment FROM {t['Score']} "
        f"WHERE assignment_id IN (SELECT id FROM {t['Assignment']} "
        f"WHERE entry_id = (SELECT entry_id FROM {t['Assignment']} WHERE id = %s))"
    )

    def baseline():
        pk = next(ids)
        return raw_sql(sheet_sql, [pk])(), criteria(), raw_sql(scores_sql, [pk])()

    return result(
        name,
        scale=scale,
        timing=timed(page, **timing),
        target_p95_ms=TARGET_P95_MS,
        baseline={
            "what": "raw SQL: the sheet, the rubric, the entry's scores",
            **timed(baseline, **timing),
        },
        entries=ENTRIES,
        sheets=len(sheets),
    )


def _my_assignments(scale: str, user: User, timing: dict) -> dict:
    name = "assessment.my_assignments"
    client = Client()
    client.force_login(user)
    url = reverse("assessment:juror_queue") + "?show=all"
    status = client.get(url).status_code
    if status != 200:
        return skipped(name, scale=scale, reason=f"GET {url} answered {status}")
    q = connection.ops.quote_name
    table = q(Assignment._meta.db_table)
    juror_ids = list(Juror.objects.filter(user=user).values_list("id", flat=True))
    marks = ", ".join(["%s"] * len(juror_ids))
    progress = raw_sql(
        f"SELECT stage_id, COUNT(*), COUNT(submitted_at) FROM {table} "
        f"WHERE juror_id IN ({marks}) GROUP BY stage_id",
        juror_ids,
    )
    first = raw_sql(
        f"SELECT id, entry_id FROM {table} WHERE juror_id IN ({marks}) "
        "ORDER BY stage_id, id LIMIT 25",
        juror_ids,
    )
    return result(
        name,
        scale=scale,
        timing=timed(lambda: client.get(url), **timing),
        target_p95_ms=TARGET_P95_MS,
        baseline={
            "what": "raw SQL: progress per stage + first page",
            **timed(lambda: (progress(), first()), **timing),
        },
        url=url,
    )


def _ranking(scale: str, admin, stage: Stage, timing: dict) -> dict:
    name = "assessment.ranking"
    try:
        base_url = reverse("assessment:ranking", kwargs={"pk": stage.pk})
    except NoReverseMatch:
        return skipped(name, scale=scale, reason="no URL named assessment:ranking yet")
    client = Client()
    client.force_login(admin)
    status = client.get(base_url).status_code
    if status != 200:
        return skipped(name, scale=scale, reason=f"GET {base_url} answered {status}")
    rng = random.Random(SEED)
    last = math.ceil(ENTRIES / RANKING_PAGE_SIZE)
    pages = [rng.randint(1, last) for _ in range(timing["n"] + timing["warmup"])]
    urls = cycle([f"{base_url}?page={page}" for page in pages])
    offsets = cycle([(page - 1) * RANKING_PAGE_SIZE for page in pages])
    table = connection.ops.quote_name(Entry._meta.db_table)
    count = raw_sql(f"SELECT COUNT(*) FROM {table} WHERE stage_id = %s", [stage.pk])

    def baseline():
        rows = raw_sql(
            f"SELECT id, title, final_score, rank, outcome FROM {table} WHERE stage_id = %s "
            f"ORDER BY rank, id LIMIT {RANKING_PAGE_SIZE} OFFSET %s",
            [stage.pk, next(offsets)],
        )
        return count(), rows()

    return result(
        name,
        scale=scale,
        timing=timed(lambda: client.get(next(urls)), **timing),
        target_p95_ms=TARGET_P95_MS,
        baseline={
            "what": "raw SQL: count + one page of entries by rank",
            **timed(baseline, **timing),
        },
        url=f"{base_url}?page=<random 1..{last}>",
        persona=ADMIN,
    )
