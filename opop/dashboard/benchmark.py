"""Dashboard benchmark (`manage.py bench_dashboard --scale large`), not part of `make test`.

Seeds a programme `bench-<scale>` deterministically (QUALITY.md scales: pesantren and people),
then times the dashboard page and API as the roles that read it, next to the baseline of
counting the raw registry rows for the same figures. Prints one JSON line per measurement.

On PostgreSQL the rows are generated in the database with `generate_series` (a million rows in
seconds); elsewhere with `bulk_create`.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable

from django.db import connection, models, transaction
from django.test import Client

from opop.accounts.models import Membership, Role, User
from opop.dashboard.services import dashboard_refresh
from opop.programmes.models import Indicator, Pillar, Programme, ProgrammeYear, YearlyTarget
from opop.regions.selectors import regencies_of
from opop.registry.models import Cooperative, Participation, Person, Pesantren

SCALES = {"small": (200, 2_000), "medium": (2_000, 100_000), "large": (10_000, 1_000_000)}
YEARS = list(range(2019, 2027))
PASSWORD = "bench-only-password"


def seed(scale: str) -> Programme:
    n_pesantren, n_people = SCALES[scale]
    programme, _ = Programme.objects.get_or_create(
        code=f"bench-{scale}",
        defaults={"name": f"OPOP Bench ({scale})", "province_id": "35", "started_year": 2019},
    )
    have = Participation.objects.filter(programme=programme).count()
    if have >= n_people:
        return programme
    with transaction.atomic():
        for pillar, total in ((Pillar.SANTRIPRENEUR, 1_000_000), (Pillar.PESANTRENPRENEUR, 1_000)):
            ind, _ = Indicator.objects.get_or_create(
                programme=programme, code=pillar, defaults={"name": pillar.label, "pillar": pillar}
            )
            ind.overall_target = total
            ind.save()
            for year in YEARS:
                YearlyTarget.objects.update_or_create(
                    indicator=ind, year=year, defaults={"target": total // len(YEARS)}
                )
        for year in YEARS:
            ProgrammeYear.objects.get_or_create(programme=programme, year=year)
        codes = list(regencies_of("35").values_list("code", flat=True))
        if connection.vendor == "postgresql":
            _seed_sql(programme, codes, n_pesantren, n_people)
        else:
            _seed_orm(programme, codes, n_pesantren, n_people)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Pesantren, Cooperative, Person, Participation):
                cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
    return programme


def _insert_select(model, values: dict[str, str], source: str) -> None:
    """INSERT INTO <model> (every column) SELECT <values or the column's empty value> <source>."""
    columns, expressions = [], []
    for f in model._meta.concrete_fields:
        if f.primary_key:
            continue
        columns.append(connection.ops.quote_name(f.column))
        if f.column in values:
            expressions.append(values[f.column])
        elif f.name in ("created_at", "updated_at"):
            expressions.append("now()")
        elif f.null:
            expressions.append("NULL")
        elif isinstance(f, (models.CharField, models.TextField)):
            expressions.append(repr(f.get_default() or ""))
        else:
            raise ValueError(f"no value for {model.__name__}.{f.name}")
    sql = f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) SELECT {', '.join(expressions)} {source}"  # noqa: E501, S608 - column names from model meta, values are ours
    with connection.cursor() as cursor:
        cursor.execute(sql)


def _seed_sql(programme, codes, n_pesantren, n_people) -> None:
    pid = int(programme.pk)
    regions = "ARRAY[" + ",".join(f"'{c}'" for c in codes) + "]"
    # Deterministic spread: multiplicative hashing of the row number, never random().
    regency = f"({regions})[(1 + (g * 7919) % {len(codes)})::int]"
    _insert_select(
        Pesantren,
        {
            "programme_id": str(pid),
            "name": "'Pondok Bench ' || g",
            "regency_id": regency,
            "status": "CASE WHEN g % 50 = 0 THEN 'inactive' ELSE 'active' END",
        },
        f"FROM generate_series(1::bigint, {n_pesantren}) g",
    )
    first = Pesantren.objects.filter(programme=programme).aggregate(m=models.Min("id"))["m"]
    _insert_select(
        Cooperative,
        {
            "programme_id": str(pid),
            "pesantren_id": f"{first} + g - 1",
            "name": "'Kopontren Bench ' || g",
            "status": "'active'",
            "legal_status": "(ARRAY['none','in_process','incorporated'])[(1 + g % 3)::int]",
        },
        f"FROM generate_series(1::bigint, {n_pesantren * 2 // 3}) g",
    )
    _insert_select(
        Person,
        {
            "programme_id": str(pid),
            "full_name": "'Santri Bench ' || g",
            "regency_id": regency,
            "pesantren_id": f"{first} + (g * 31) % {n_pesantren}",
        },
        f"FROM generate_series(1::bigint, {n_people}) g",
    )
    person_first = Person.objects.filter(programme=programme).aggregate(m=models.Min("id"))["m"]
    _insert_select(
        Participation,
        {
            "programme_id": str(pid),
            "person_id": f"{person_first} + g - 1",
            "pillar": "CASE WHEN g % 40 = 0 THEN 'sociopreneur' ELSE 'santripreneur' END",
            "cohort_year": f"2019 + (g * 13) % {len(YEARS)}",
            "regency_id": regency,
            "status": "(ARRAY['active','active','active','graduated','candidate','withdrawn'])"
            "[(1 + (g * 17) % 6)::int]",
        },
        f"FROM generate_series(1::bigint, {n_people - n_pesantren // 10}) g",
    )
    _insert_select(
        Participation,
        {
            "programme_id": str(pid),
            "pesantren_id": f"{first} + g - 1",
            "pillar": "'pesantrenpreneur'",
            "cohort_year": f"2019 + g % {len(YEARS)}",
            "regency_id": regency,
            "status": "'active'",
        },
        f"FROM generate_series(1::bigint, {n_pesantren // 10}) g",
    )


def _seed_orm(programme, codes, n_pesantren, n_people) -> None:
    """The same rows as `_seed_sql`, through the ORM (SQLite)."""
    pesantren = Pesantren.objects.bulk_create(
        Pesantren(
            programme=programme,
            name=f"Pondok Bench {g}",
            regency_id=codes[g * 7919 % len(codes)],
            status="inactive" if g % 50 == 0 else "active",
        )
        for g in range(1, n_pesantren + 1)
    )
    Cooperative.objects.bulk_create(
        Cooperative(
            programme=programme,
            pesantren=p,
            name=f"Kopontren Bench {g}",
            legal_status=["none", "in_process", "incorporated"][g % 3],
        )
        for g, p in enumerate(pesantren[: n_pesantren * 2 // 3], start=1)
    )
    statuses = ["active", "active", "active", "graduated", "candidate", "withdrawn"]
    n_person_pillars = n_people - n_pesantren // 10
    for start in range(1, n_people + 1, 5_000):
        numbers = range(start, min(n_people, start + 4_999) + 1)
        people = Person.objects.bulk_create(
            Person(
                programme=programme,
                full_name=f"Santri Bench {g}",
                regency_id=codes[g * 7919 % len(codes)],
                pesantren=pesantren[g * 31 % n_pesantren],
            )
            for g in numbers
        )
        Participation.objects.bulk_create(
            Participation(
                programme=programme,
                person=p,
                regency_id=p.regency_id,
                pillar="sociopreneur" if g % 40 == 0 else "santripreneur",
                cohort_year=2019 + g * 13 % len(YEARS),
                status=statuses[g * 17 % 6],
            )
            for g, p in zip(numbers, people, strict=True)
            if g <= n_person_pillars
        )
    Participation.objects.bulk_create(
        Participation(
            programme=programme,
            pesantren=p,
            pillar="pesantrenpreneur",
            cohort_year=2019 + g % len(YEARS),
            regency_id=p.regency_id,
        )
        for g, p in enumerate(pesantren[: n_pesantren // 10], start=1)
    )


def personas(programme: Programme) -> dict[str, User]:
    users = {}
    first = Pesantren.objects.filter(programme=programme).order_by("id").first()
    for role in (Role.ADMIN, Role.OFFICER, Role.PARTNER, Role.FACILITATOR):
        user, _ = User.objects.get_or_create(
            email=f"bench-{role}@{programme.code}.bench", defaults={"full_name": f"Bench {role}"}
        )
        user.set_password(PASSWORD)
        user.save()
        membership, _ = Membership.objects.get_or_create(
            user=user,
            programme=programme,
            role=role,
            defaults={"regency_id": first.regency_id if role == Role.OFFICER else None},
        )
        if role == Role.FACILITATOR:
            membership.assigned_pesantren.set(
                Pesantren.objects.filter(programme=programme).order_by("id")[:3]
            )
        users[role] = user
    return users


def timed(fn: Callable[[], object], runs: int) -> dict[str, float]:
    fn()  # warm caches and connections
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, int(round(0.95 * len(samples))) - 1)]
    return {"p50_ms": round(statistics.median(samples), 1), "p95_ms": round(p95, 1)}


def run(scale: str, runs: int, emit: Callable[[str], None]) -> None:
    started = time.perf_counter()
    programme = seed(scale)
    seeded_s = round(time.perf_counter() - started, 1)
    users = personas(programme)
    refresh = timed(lambda: dashboard_refresh(programme_id=programme.pk), max(3, runs // 10))
    db = connection.vendor
    base = {"scale": scale, "db": db, "runs": runs}

    def raw_counts():
        # What the page would cost without summaries: the same figures from the raw rows.
        counted = Participation.objects.filter(
            programme=programme, status__in=Participation.COUNTED, cohort_year__lte=2025
        )
        list(
            counted.values("regency_id", "pillar", "cohort_year")
            .annotate(n=models.Count("id"))
            .order_by()
        )
        list(
            Cooperative.objects.filter(programme=programme, status="active")
            .values("pesantren__regency_id", "legal_status")
            .annotate(n=models.Count("id"))
            .order_by()
        )
        list(
            Pesantren.objects.filter(programme=programme, status="active")
            .values("regency_id")
            .annotate(n=models.Count("id"))
            .order_by()
        )

    baseline = {"name": "raw_registry_grouped_counts", **timed(raw_counts, max(3, runs // 5))}
    emit(
        json.dumps(
            {
                "name": "dashboard_refresh",
                **base,
                **refresh,
                "seeded_s": seeded_s,
                "rows": Participation.objects.filter(programme=programme).count(),
            }
        )
    )
    for role, kind, url in (
        (Role.ADMIN, "page", "/dashboard/?year=2025"),
        (Role.OFFICER, "page", "/dashboard/?year=2025"),
        (Role.FACILITATOR, "page", "/dashboard/?year=2025"),
        (Role.PARTNER, "api", f"/api/v1/dashboard/?programme={programme.code}&year=2025"),
        (Role.ADMIN, "api", f"/api/v1/dashboard/?programme={programme.code}&year=2025"),
    ):
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(users[role])
        if kind == "page":
            client.post(
                "/accounts/switch/",
                {"membership": users[role].memberships.get(programme=programme).pk},
            )

        def get(client=client, url=url):
            response = client.get(url)
            assert response.status_code == 200, response.status_code  # noqa: S101

        emit(
            json.dumps(
                {
                    "name": f"dashboard_{kind}_{role}",
                    **base,
                    **timed(get, runs),
                    "baseline": baseline,
                }
            )
        )
