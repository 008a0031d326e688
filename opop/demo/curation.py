"""Demo curation: one published curation round whose passes make ~30 % of the demo products
"Produk Unggulan OPOP", so that `make run` shows badges, the curated filter, the public API and
the dashboard's curation card with figures.

Rows are written through the ORM in bulk, as the rest of the demo is: the round is a record of
what the engine would have produced (entries with scores, outcomes and decision dates), not a
replay of the engine. Idempotent: a second call finds the round and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from opop.assessment.models import Criterion, Entry, Round, Stage
from opop.catalog.curation import add_months, grade_for
from opop.catalog.models import Curation, Product

CURATED_SHARE = 0.30
NOT_PASSED_SHARE = 0.10
PASS_MARK = Decimal("7.00")
# Found by this name on a second run, whatever the day: the seeding is done once.
DEMO_ROUND = "Kurasi Produk Unggulan OPOP (demo)"
CRITERIA = (
    ("Legalitas (NIB, P-IRT/BPOM, halal)", 25),
    ("Mutu dan kapasitas produksi", 25),
    ("Kemasan dan label", 20),
    ("Potensi pasar", 15),
    ("Daya saing", 15),
)


def _round_for(programme, published_at: dt.datetime) -> tuple[Round, Stage, bool]:
    year = published_at.year
    round_, created = Round.objects.get_or_create(
        programme=programme,
        purpose=Round.Purpose.CURATION,
        name=DEMO_ROUND,
        defaults={
            "year": year,
            "description": "Putaran kurasi contoh untuk data demo.",
            "scale_min": 1,
            "scale_max": 10,
            "validity_months": 24,
        },
    )
    if created:
        Criterion.objects.bulk_create(
            Criterion(round=round_, position=i, name=name, weight=weight)
            for i, (name, weight) in enumerate(CRITERIA)
        )
    stage, _ = Stage.objects.get_or_create(
        round=round_,
        position=1,
        defaults={
            "name": "Penilaian produk",
            "status": Stage.Status.PUBLISHED,
            "cutoff_score": PASS_MARK,
            "closed_at": published_at - dt.timedelta(days=3),
            "published_at": published_at,
            "appeal_until": published_at + dt.timedelta(days=round_.appeal_days),
        },
    )
    return round_, stage, created


def _score(rng: random.Random, low: float, high: float) -> Decimal:
    return Decimal(str(round(rng.uniform(low, high), 3)))


@transaction.atomic
def seed_curations(programme, *, rng: random.Random) -> int:
    """Curate about CURATED_SHARE of the programme's products. Returns the curations written."""
    published_at = timezone.now().replace(microsecond=0) - dt.timedelta(days=45)
    round_, stage, created = _round_for(programme, published_at)
    if not created and stage.entries.exists():
        return 0
    products = list(
        Product.objects.filter(programme=programme)
        .select_related("enterprise", "enterprise__owner")
        .order_by("id")
    )
    if not products:
        return 0
    chosen = rng.sample(products, k=round(len(products) * (CURATED_SHARE + NOT_PASSED_SHARE)))
    n_passed = round(len(products) * CURATED_SHARE)
    entries = []
    for index, product in enumerate(chosen):
        passed = index < n_passed
        enterprise = product.enterprise
        owner = enterprise.owner
        entries.append(
            Entry(
                stage=stage,
                title=product.name[:200],
                product=product,
                pesantren_id=enterprise.pesantren_id or (owner.pesantren_id if owner else None),
                regency_id=enterprise.regency_id,
                submitted_at=published_at - dt.timedelta(days=rng.randint(14, 90)),
                final_score=_score(rng, 7.0, 9.8) if passed else _score(rng, 3.5, 6.9),
                outcome=Entry.Outcome.PASSED if passed else Entry.Outcome.NOT_PASSED,
                decided_at=published_at,
            )
        )
    for rank, entry in enumerate(sorted(entries, key=lambda e: -e.final_score), start=1):
        entry.rank = rank
    Entry.objects.bulk_create(entries, batch_size=1_000)
    decided_on = timezone.localtime(published_at).date()
    curations = [
        Curation(
            product_id=entry.product_id,
            entry=entry,
            grade=grade_for(round_, entry.final_score),
            score=entry.final_score,
            valid_from=decided_on,
            valid_until=add_months(decided_on, round_.validity_months),
        )
        for entry in entries
        if entry.outcome == Entry.Outcome.PASSED
    ]
    Curation.objects.bulk_create(curations, batch_size=1_000)
    return len(curations)
