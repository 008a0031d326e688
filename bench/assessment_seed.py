"""Building the benchmark's assessment round (see `bench/assessment.py`): once per database,
idempotent, in bulk where the services would be too slow, through the services elsewhere."""

from __future__ import annotations

import random
import sys
import time
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from opop.accounts.models import Membership, Role, User
from opop.assessment import services
from opop.assessment.models import Assignment, Criterion, Entry, Juror, Round, Score, Stage
from opop.catalog.models import Category, Product
from opop.programmes.models import Partner
from opop.registry.models import Enterprise

ROUND_NAME = "Benchmark: curation of 5,000 products"
ENTRIES, CRITERIA = 5_000, 5
GROUPS = [kind for kind, _label in Partner.Kind.choices]  # five jurors, one per group
JUROR_EMAIL = "juror{n}@bench.opop.id"
CATEGORY_SLUG = "bench-curation"
SEED = 2026
BATCH = 2_000


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def bench_round(programme) -> Round | None:
    """The round, once it is complete (its stage closed at least once)."""
    round_ = Round.objects.filter(programme=programme, name=ROUND_NAME).first()
    return round_ if round_ is not None and _complete(round_) else None


def _complete(round_: Round) -> bool:
    stage = round_.stages.filter(position=1).first()
    return bool(stage) and stage.status == Stage.Status.CLOSED


def jurors_ensure(programme) -> list[User]:
    users = []
    for n, _group in enumerate(GROUPS, start=1):
        user, _ = User.objects.get_or_create(
            email=JUROR_EMAIL.format(n=n), defaults={"full_name": f"Bench Juror {n}"}
        )
        Membership.objects.get_or_create(user=user, programme=programme, role=Role.JUROR)
        users.append(user)
    return users


def seed(scale, programme, admin, jurors) -> dict:
    """Build (or finish building) the round; one line with the seconds it took."""
    started = time.perf_counter()
    round_ = Round.objects.filter(programme=programme, name=ROUND_NAME).first()
    if round_ is None:
        round_ = services.round_save(
            actor=admin,
            programme=programme,
            data={
                "name": ROUND_NAME,
                "purpose": Round.Purpose.CURATION,
                "year": timezone.localdate().year,
                "scale_min": 1,
                "scale_max": 10,
                "jurors_per_entry": len(GROUPS),
                "trim_from": 5,
            },
        )
        for position, weight in enumerate((30, 25, 20, 15, 10)[:CRITERIA], start=1):
            services.criterion_save(
                actor=admin,
                round=round_,
                data={"name": f"Criterion {position}", "weight": weight, "position": position},
            )
        services.stage_save(
            actor=admin, round=round_, data={"name": "Curation", "kind": Stage.Kind.SCORING}
        )
        for user, group in zip(jurors, GROUPS, strict=True):
            services.juror_save(actor=admin, round=round_, user=user, group=group)
    stage = round_.stages.get(position=1)
    products = _products(programme)
    _entries(stage, products)
    if stage.status == Stage.Status.SETUP:
        stage = services.stage_open(actor=admin, stage=stage)
    services.assignments_balance(actor=admin, stage=stage)
    scores = _submit_half(stage)
    services.stage_close(actor=admin, stage=stage)
    return {
        "name": "assessment.seed",
        "scale": scale,
        "db": connection.vendor,
        "entries": ENTRIES,
        "jurors": len(jurors),
        "criteria": CRITERIA,
        "scores": scores,
        "seconds": round(time.perf_counter() - started, 1),
    }


def _products(programme) -> list[Product]:
    category, _ = Category.objects.get_or_create(
        slug=CATEGORY_SLUG, defaults={"name": "Benchmark products"}
    )
    have = Product.objects.filter(category=category).count()
    if have < ENTRIES:
        enterprises = list(
            Enterprise.objects.filter(programme=programme)
            .order_by("id")
            .values_list("id", flat=True)
        )
        rng = random.Random(SEED)
        rows = [
            Product(
                programme=programme,
                enterprise_id=enterprises[i % len(enterprises)],
                category=category,
                name=f"Bench product {i + 1:05d}",
                description="A product seeded for the assessment benchmark.",
                price=rng.randrange(5_000, 250_000, 500),
                unit="pack",
                weight_grams=rng.randrange(100, 2_000, 50),
                monthly_capacity=rng.randrange(100, 10_000, 100),
                status=Product.Status.ACTIVE,
            )
            for i in range(have, ENTRIES)
        ]
        with transaction.atomic():
            Product.objects.bulk_create(rows, batch_size=BATCH)
        _log(f"Created {len(rows):,} bench products.")
    return list(
        Product.objects.filter(category=category)
        .select_related("enterprise")
        .order_by("id")[:ENTRIES]
    )


def _entries(stage: Stage, products: list[Product]) -> None:
    present = set(stage.entries.values_list("product_id", flat=True))
    now = timezone.now()
    rows = [
        Entry(
            stage=stage,
            title=p.name,
            product=p,
            pesantren_id=p.enterprise.pesantren_id,
            regency_id=p.enterprise.regency_id,
            submitted_at=now,
        )
        for p in products
        if p.pk not in present
    ]
    with transaction.atomic():
        Entry.objects.bulk_create(rows, batch_size=BATCH)
    _log(f"Created {len(rows):,} entries.")


def _submit_half(stage: Stage) -> int:
    """Submit each juror's sheets on every other entry (entries get 2 or 3 sheets), with
    deterministic scores around a per-entry quality; returns the scores written."""
    criteria = list(Criterion.objects.filter(round_id=stage.round_id).order_by("position"))
    weights = {c.pk: c.weight for c in criteria}
    juror_index = {
        pk: i
        for i, pk in enumerate(
            Juror.objects.filter(round_id=stage.round_id)
            .order_by("id")
            .values_list("id", flat=True)
        )
    }
    entry_index = {
        pk: i for i, pk in enumerate(stage.entries.order_by("id").values_list("id", flat=True))
    }
    rng = random.Random(SEED)
    quality = {pk: rng.uniform(3, 9) for pk in entry_index}
    open_sheets = Assignment.objects.filter(stage=stage, submitted_at__isnull=True).values_list(
        "id", "entry_id", "juror_id"
    )
    now = timezone.now()
    scores, submitted = [], []
    for pk, entry_id, juror_id in open_sheets:
        if (entry_index[entry_id] + juror_index[juror_id]) % 2:
            continue
        values = {
            c.pk: Decimal(min(10, max(1, round(quality[entry_id] + rng.gauss(0, 1.2)))))
            for c in criteria
        }
        scores += [Score(assignment_id=pk, criterion_id=c, value=v) for c, v in values.items()]
        total = sum(v * weights[c] for c, v in values.items()) / sum(weights.values())
        submitted.append(
            Assignment(
                pk=pk, submitted_at=now, saved_at=now, total=total.quantize(Decimal("0.001"))
            )
        )
    with transaction.atomic():
        Score.objects.bulk_create(scores, batch_size=BATCH)
        Assignment.objects.bulk_update(submitted, ["submitted_at", "saved_at", "total"], 500)
    _log(f"Submitted {len(submitted):,} scoresheets ({len(scores):,} scores).")
    return len(scores)


def forget(log=_log) -> None:
    """Delete the bench round, jurors and products (before the demo data is reseeded at another
    scale: they hold on to demo enterprises)."""
    with transaction.atomic():
        for round_ in Round.objects.filter(name=ROUND_NAME):
            Score.objects.filter(assignment__stage__round=round_).delete()
            Assignment.objects.filter(stage__round=round_).delete()
            Entry.objects.filter(stage__round=round_).delete()
            pk = round_.pk
            round_.delete()
            log(f"Deleted the benchmark round {pk}.")
        Product.objects.filter(category__slug=CATEGORY_SLUG).delete()
        Membership.objects.filter(user__email__endswith="@bench.opop.id").delete()
        User.objects.filter(email__endswith="@bench.opop.id").delete()
