"""People list with a kab/kota filter and a name search, as the programme admin (p95 < 150 ms).

Baseline: the two queries that page needs (capped count, first page by name) in plain SQL.
"""

from __future__ import annotations

from collections import Counter

from django.db import connection
from django.test import Client

from bench.timing import raw_sql, result, skipped, timed
from opop.accounts.models import User
from opop.programmes.models import Programme
from opop.registry.models import Person

# The registry's list page and its filter parameters (opop/registry/urls.py, filters.py).
PEOPLE_URL = "/registry/people/"
REGENCY_PARAM, SEARCH_PARAM = "regency", "q"
REGENCY = "35.78"  # Kota Surabaya
SEARCH = None  # None: the commonest first name in that kab/kota (a search matching many rows)
PAGE_SIZE, COUNT_CAP = 50, 10_000
TARGET_P95_MS = 150
ADMIN = "admin.jatim@demo.opop.id"


def _commonest_first_name(programme) -> str:
    names = Person.objects.filter(programme=programme, regency_id=REGENCY).values_list(
        "full_name", flat=True
    )
    counts = Counter(name.split()[0] for name in names.iterator() if name)
    return counts.most_common(1)[0][0].lower() if counts else "muhammad"


def run(scale: str, programme_code: str = "jatim", **timing) -> list[dict]:
    name = "registry.people_list"
    admin = User.objects.filter(email=ADMIN).first()
    if admin is None:
        return [skipped(name, scale=scale, reason=f"no user {ADMIN}: run seed_demo")]
    programme = Programme.objects.get(code=programme_code)
    search = SEARCH or _commonest_first_name(programme)
    client = Client()
    client.force_login(admin)
    url = f"{PEOPLE_URL}?{REGENCY_PARAM}={REGENCY}&{SEARCH_PARAM}={search}"
    status = client.get(url).status_code
    if status != 200:
        return [skipped(name, scale=scale, reason=f"GET {url} answered {status}")]

    table = connection.ops.quote_name(Person._meta.db_table)
    where = "programme_id = %s AND regency_id = %s AND UPPER(full_name) LIKE UPPER(%s)"
    params = [programme.pk, REGENCY, f"%{search}%"]
    count = raw_sql(
        f"SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE {where} LIMIT {COUNT_CAP + 1}) t",
        params,
    )
    page = raw_sql(
        f"SELECT id, full_name, nik_masked, regency_id, pesantren_id FROM {table} "
        f"WHERE {where} ORDER BY full_name, id LIMIT {PAGE_SIZE}",
        params,
    )
    matches = count()[0][0]
    return [
        result(
            name,
            scale=scale,
            timing=timed(lambda: client.get(url), **timing),
            target_p95_ms=TARGET_P95_MS,
            baseline={
                "what": "raw SQL: capped count + first page",
                **timed(lambda: (count(), page()), **timing),
            },
            url=url,
            people=Person.objects.filter(programme=programme).count(),
            matches=matches,
        )
    ]
