"""The showcase's assessment rounds: an audition (2019), product curations (2020, 2022, 2024,
with the curations their passes give) and OPOP Awards (2021, 2023, 2025), published, with a
few rival pesantren or products in each so that the ranks mean something. This year's rounds are
left to the assessment seed."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from opop.assessment.models import Criterion, Entry, Round, Stage
from opop.catalog.curation import add_months, grade_for
from opop.catalog.models import Curation, Product
from opop.demo.assessment import AWARD_CRITERIA, CURATION_CRITERIA
from opop.demo.showcase.context import DEMO_NOTE, Context, stamp
from opop.programmes.models import Pillar
from opop.registry.models import Pesantren

# Rounds: (year, purpose, name, subject, outcomes of the showcase stage by stage). Subjects:
# "enterprise" (the flagship), "product" (product slot 0; slot 1 enters too when the outcomes
# are a pair).
PASS, FAIL = "passed", "not_passed"
ROUNDS = (
    (2019, Round.Purpose.AUDITION, "Audisi Pesantrenpreneur 2019", "enterprise", (PASS,)),
    (2020, Round.Purpose.CURATION, "Kurasi Produk Unggulan 2020", "product", (PASS,)),
    (2021, Round.Purpose.AWARD, "OPOP Award 2021", "enterprise", (FAIL,)),
    (2022, Round.Purpose.CURATION, "Kurasi Produk Unggulan 2022", "product", (PASS, FAIL)),
    (2023, Round.Purpose.AWARD, "OPOP Award 2023", "enterprise", (PASS, PASS, FAIL)),
    (2024, Round.Purpose.CURATION, "Kurasi Produk Unggulan 2024", "product", (PASS, PASS)),
    (2025, Round.Purpose.AWARD, "OPOP Award 2025", "enterprise", (PASS, PASS, PASS)),
)
AWARD_STAGES = (
    ("Seleksi administrasi dan eliminasi", Stage.Kind.SCORING),
    ("Verifikasi lapangan", Stage.Kind.FIELD_VISIT),
    ("Penjurian final", Stage.Kind.SCORING),
)
PASS_MARK = Decimal("7.00")
RIVALS = 4  # other pesantren or products in each round


def write(ctx: Context) -> None:
    rivals = _rivals(ctx)
    for year, purpose, name, subject, outcomes in ROUNDS:
        if (
            year >= ctx.today.year
            or Round.objects.filter(programme=ctx.programme, name=name).exists()
        ):
            continue  # this year's rounds are the assessment seed's
        if subject == "product" and not ctx.products:
            continue
        _round(ctx, year, purpose, name, subject, outcomes, rivals)


def _rivals(ctx: Context) -> dict[str, list[dict]]:
    """Other pesantren (for auditions and awards) and products (for curations) in the rounds,
    so that ranks mean something. Rival products never pass: curating them would change what
    OPOP Mart sells."""
    pesantren = list(
        Pesantren.objects.filter(programme=ctx.programme)
        .exclude(pk=ctx.pesantren.pk)
        .order_by("pk")
        .values("pk", "name", "regency_id")[:200]
    )
    showcase = [pk for pk, _n, _r in ctx.products]
    products = list(
        Product.objects.filter(programme=ctx.programme, status=Product.Status.ACTIVE)
        .exclude(pk__in=showcase)
        .order_by("pk")
        .values("pk", "name", "enterprise__pesantren_id", "enterprise__regency_id")[:200]
    )
    return {"pesantren": pesantren, "products": products}


def _round(ctx: Context, year, purpose, name, subject, outcomes, rivals) -> None:
    rng = ctx.rng
    award = purpose == Round.Purpose.AWARD
    published = stamp(dt.date(year, 6 if not award else 11, rng.randint(5, 25)), 14)
    round_ = Round.objects.create(
        programme=ctx.programme,
        year=year,
        purpose=purpose,
        pillar=Pillar.PESANTRENPRENEUR,
        name=name,
        description=DEMO_NOTE,
        scale_min=1,
        scale_max=10,
        validity_months=24,
    )
    criteria = AWARD_CRITERIA if award else CURATION_CRITERIA
    Criterion.objects.bulk_create(
        Criterion(round=round_, position=i, name=text, weight=weight, guidance=guidance)
        for i, (text, weight, guidance) in enumerate(criteria)
    )
    stages = AWARD_STAGES if award else (("Penilaian", Stage.Kind.SCORING),)
    ours = _subjects(ctx, subject, outcomes)
    others = _rival_subjects(ctx, subject, rivals)
    carried: dict[str, Entry] = {}
    for position, (stage_name, kind) in enumerate(stages, start=1):
        at = published - dt.timedelta(days=(len(stages) - position) * 30)
        stage = Stage.objects.create(
            round=round_,
            position=position,
            name=stage_name,
            kind=kind,
            status=Stage.Status.PUBLISHED,
            cutoff_score=PASS_MARK,
            closed_at=at - dt.timedelta(days=3),
            published_at=at,
            appeal_until=at + dt.timedelta(days=round_.appeal_days),
        )
        entries = []
        for key, values, path in ours + others:
            if position > len(path) or (position > 1 and key not in carried):
                continue
            passed = path[position - 1] == "passed"
            entries.append(
                (
                    key,
                    Entry(
                        stage=stage,
                        **values,
                        previous=carried.get(key),
                        submitted_at=at - dt.timedelta(days=rng.randint(20, 60)),
                        final_score=_score(rng, passed),
                        outcome=Entry.Outcome.PASSED if passed else Entry.Outcome.NOT_PASSED,
                        decided_at=at,
                    ),
                )
            )
        ranked = sorted(entries, key=lambda pair: -pair[1].final_score)
        for rank, (_key, entry) in enumerate(ranked, start=1):
            entry.rank = rank
        Entry.objects.bulk_create([entry for _key, entry in entries])
        carried = {key: e for key, e in entries if e.outcome == Entry.Outcome.PASSED}
        ctx.counts["history_assessment_entries"] += len(entries)
        if purpose == Round.Purpose.CURATION:
            _curations(ctx, round_, [e for key, e in entries if key.startswith("ours")], at)
    ctx.counts["history_assessment_rounds"] += 1


def _subjects(ctx: Context, subject, outcomes) -> list[tuple[str, dict, tuple]]:
    """The showcase's own entries: its flagship enterprise, or its products by slot."""
    base = {
        "pesantren_id": ctx.pesantren.pk,
        "regency_id": ctx.pesantren.regency_id,
        "owner_id": ctx.manager_id,
    }
    if subject == "enterprise":
        values = {**base, "title": ctx.pesantren.name[:200], "enterprise_id": ctx.flagship_id}
        return [("ours", values, outcomes)]
    subjects = []
    for slot, outcome in enumerate(outcomes[: len(ctx.products)]):
        product_id, name, _regency = ctx.products[slot]
        values = {**base, "title": name[:200], "product_id": product_id}
        subjects.append((f"ours{slot}", values, (outcome,)))
    return subjects


def _rival_subjects(ctx: Context, subject, rivals) -> list[tuple[str, dict, tuple]]:
    """The rivals' entries: products fail their one stage; pesantren go as far as their first
    failed stage."""
    rng = ctx.rng
    if subject == "product":
        chosen = rng.sample(rivals["products"], k=min(RIVALS, len(rivals["products"])))
        return [
            (
                f"rival{row['pk']}",
                {
                    "title": row["name"][:200],
                    "product_id": row["pk"],
                    "pesantren_id": row["enterprise__pesantren_id"],
                    "regency_id": row["enterprise__regency_id"],
                },
                ("not_passed",),
            )
            for row in chosen
        ]
    chosen = rng.sample(rivals["pesantren"], k=min(RIVALS, len(rivals["pesantren"])))
    subjects = []
    for row in chosen:
        path = tuple("passed" if rng.random() < 0.5 else "not_passed" for _ in range(3))
        cut = path.index("not_passed") + 1 if "not_passed" in path else 3
        subjects.append(
            (
                f"rival{row['pk']}",
                {
                    "title": row["name"][:200],
                    "pesantren_id": row["pk"],
                    "regency_id": row["regency_id"],
                },
                path[:cut],
            )
        )
    return subjects


def _curations(ctx: Context, round_, entries, at) -> None:
    day = timezone.localtime(at).date()
    rows = [
        Curation(
            product_id=entry.product_id,
            entry=entry,
            grade=grade_for(round_, entry.final_score),
            score=entry.final_score,
            valid_from=day,
            valid_until=add_months(day, round_.validity_months),
        )
        for entry in entries
        if entry.outcome == Entry.Outcome.PASSED
    ]
    Curation.objects.bulk_create(rows)
    ctx.counts["history_curations"] += len(rows)


def _score(rng: random.Random, passed: bool) -> Decimal:
    value = rng.uniform(7.2, 9.6) if passed else rng.uniform(4.0, 6.9)
    return Decimal(str(round(value, 3)))
