"""The showcase's registry history: the pesantren and its cooperative registered early in 2016,
the cooperative incorporated in 2017, its people registered over the years (the oldest first),
their enterprises and pillar participations dated after them."""

from __future__ import annotations

import datetime as dt
import random
import re

from opop.demo.showcase.context import HISTORY_FROM, Context, PersonRecord, stamp
from opop.registry.models import Cooperative, Enterprise, Participation, Person, Pesantren


def write(ctx: Context) -> None:
    rng, pk = ctx.rng, ctx.pesantren.pk
    Pesantren.objects.filter(pk=pk).update(created_at=stamp(dt.date(HISTORY_FROM, 1, 18), 9))
    coops = list(Cooperative.objects.filter(pesantren_id=pk).order_by("pk"))
    for index, coop in enumerate(coops):
        values = {"created_at": stamp(dt.date(HISTORY_FROM, 2, 22 + index % 6), 10)}
        if index == 0:
            values.update(_incorporated(coop, rng))
        Cooperative.objects.filter(pk=coop.pk).update(**values)
    ctx.counts["history_cooperatives"] += len(coops)
    _people(ctx)
    _enterprises(ctx)
    _participations(ctx)


def _incorporated(coop: Cooperative, rng: random.Random) -> dict:
    """The cooperative became a legal entity in 2017: its AHU number says so too."""
    number = coop.legal_number or f"AHU-{rng.randint(1, 99_999):07d}.AH.01.26.TAHUN 2017"
    return {
        "legal_status": Cooperative.LegalStatus.INCORPORATED,
        "legal_date": dt.date(2017, 7, 12),
        "legal_number": re.sub(r"TAHUN \d{4}$", "TAHUN 2017", number),
    }


def _people(ctx: Context) -> None:
    rng = ctx.rng
    rows = Person.objects.filter(pesantren_id=ctx.pesantren.pk).values_list("pk", "birth_date")
    # The oldest first: they were the pesantren's first records.
    people = sorted(
        (PersonRecord(pk, birth) for pk, birth in rows),
        key=lambda p: (p.birth or dt.date.min, p.pk),
    )
    years = list(range(HISTORY_FROM, ctx.today.year + 1))
    last = ctx.today - dt.timedelta(days=30)
    for index, person in enumerate(people):
        if index < len(years):  # at least one registration a year
            year = years[index]
        elif rng.random() < 0.4:  # the first data collection brought many
            year = HISTORY_FROM
        else:
            year = rng.choice(years)
        if year == HISTORY_FROM:
            day = dt.date(year, 1, 18) + dt.timedelta(days=rng.randrange(14))
        else:
            day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
        person.registered = min(day, last)
    ctx.people = people
    Person.objects.bulk_update(
        [Person(pk=p.pk, created_at=stamp(p.registered, 9 + p.pk % 7)) for p in people],
        ["created_at"],
        batch_size=500,
    )
    ctx.counts["history_people"] += len(people)


def _enterprises(ctx: Context) -> None:
    rng = ctx.rng
    registered = {p.pk: p.registered for p in ctx.people}
    last = ctx.today - dt.timedelta(days=7)
    own = list(
        Enterprise.objects.filter(pesantren_id=ctx.pesantren.pk)
        .order_by("pk")
        .values_list("pk", "cooperative_id")
    )
    flagship = next((pk for pk, coop in own if coop), own[0][0] if own else None)
    updates = []
    for pk, _coop in own:
        if pk == flagship:
            day = dt.date(HISTORY_FROM, 2, 25)
        else:
            day = dt.date(rng.randint(HISTORY_FROM + 1, ctx.today.year - 1), 1, 1)
            day += dt.timedelta(days=rng.randrange(365))
        updates.append(Enterprise(pk=pk, created_at=stamp(min(day, last), 11)))
    owned = list(
        Enterprise.objects.filter(owner__pesantren_id=ctx.pesantren.pk)
        .order_by("pk")
        .values_list("pk", "owner_id")
    )
    for pk, owner in owned:
        start = registered.get(owner, dt.date(HISTORY_FROM, 1, 18))
        day = start + dt.timedelta(days=rng.randrange(30, 400))
        updates.append(Enterprise(pk=pk, created_at=stamp(min(day, last), 13)))
    Enterprise.objects.bulk_update(updates, ["created_at"], batch_size=500)
    ctx.flagship_id = flagship
    ctx.enterprise_ids = [pk for pk, _c in own] + [pk for pk, _o in owned]
    ctx.counts["history_enterprises"] += len(updates)


def _participations(ctx: Context) -> None:
    rng = ctx.rng
    registered = {p.pk: p.registered for p in ctx.people}
    last = ctx.today - dt.timedelta(days=7)
    updates = []
    rows = Participation.objects.filter(
        pesantren_id=ctx.pesantren.pk, person__isnull=True
    ).values_list("pk", "cohort_year")
    for pk, cohort in rows:
        day = dt.date(cohort, 3, 1) + dt.timedelta(days=rng.randrange(45))
        updates.append(Participation(pk=pk, created_at=stamp(min(day, last), 10)))
    rows = Participation.objects.filter(person__pesantren_id=ctx.pesantren.pk).values_list(
        "pk", "person_id", "cohort_year"
    )
    for pk, person_id, cohort in rows:
        day = dt.date(cohort, 2, 1) + dt.timedelta(days=rng.randrange(90))
        after = registered.get(person_id, dt.date(HISTORY_FROM, 1, 18)) + dt.timedelta(days=3)
        updates.append(Participation(pk=pk, created_at=stamp(min(max(day, after), last), 14)))
    Participation.objects.bulk_update(updates, ["created_at"], batch_size=500)
    ctx.counts["history_participations"] += len(updates)
