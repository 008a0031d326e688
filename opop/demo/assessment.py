"""Demo assessment rounds, run through the engine's services so the demo is what the engine does.

`seed_assessment` gives a programme:
- a curation round "Kurasi Produk Unggulan <year>" (rubric from DOMAIN.md, process 3) with one
  stage in SCORING: about a dozen demo products, the demo juror (`juror@demo.opop.id`) and two
  more jurors seated, assignments balanced, the other jurors' sheets submitted and the demo
  juror's partly done, so that logging in as the juror shows a queue with work left;
- an OPOP Award round in SETUP with its rubric and the award's stages (elimination, field
  verification, final).

Idempotent: a second call finds the rounds by name and writes nothing. Entries are skipped when
the programme has no products yet.
"""

from __future__ import annotations

import random
from collections import Counter
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction

from opop.accounts.models import Membership, Role, User
from opop.assessment import services
from opop.assessment.models import Juror, Round, Stage
from opop.catalog.models import Product
from opop.demo.accounts import DEMO_PASSWORD
from opop.programmes.models import Partner, Pillar

DEMO_JUROR = "juror@demo.opop.id"
ENTRIES = 12
CURATION_CRITERIA = (
    (
        "Legalitas",
        20,
        "NIB, izin edar (P-IRT atau BPOM MD/ML), sertifikat halal BPJPH dan merek DJKI. "
        "10: semua lengkap dan berlaku; 5: NIB dan P-IRT saja; 1: belum ada izin.",
    ),
    (
        "Mutu dan kapasitas produksi",
        25,
        "Konsistensi mutu antar-batch, kebersihan tempat produksi, kapasitas per bulan yang "
        "cukup untuk pesanan OPOP Mart dan Expo.",
    ),
    (
        "Kemasan dan label",
        20,
        "Kemasan aman dan menarik; label memuat komposisi, berat bersih, tanggal kedaluwarsa, "
        "nomor izin dan logo halal.",
    ),
    (
        "Potensi pasar",
        20,
        "Sasaran pembeli jelas, harga bersaing, sudah terjual di luar pesantren atau daring.",
    ),
    (
        "Daya saing",
        15,
        "Keunikan produk dibanding produk sejenis, cerita pesantren di balik produk, inovasi.",
    ),
)
AWARD_CRITERIA = (
    ("Dampak ekonomi", 30, "Omzet, laba, dan pertumbuhan usaha tiga tahun terakhir."),
    ("Pemberdayaan santri dan masyarakat", 30, "Santri, alumni dan warga yang ikut bekerja."),
    ("Inovasi", 20, "Produk, proses atau pemasaran yang baru."),
    ("Keberlanjutan", 20, "Tata kelola koperasi, RAT, laporan keuangan, rencana usaha."),
)
AWARD_STAGES = (
    ("Seleksi administrasi dan eliminasi", Stage.Kind.SCORING),
    ("Verifikasi lapangan", Stage.Kind.FIELD_VISIT),
    ("Penjurian final", Stage.Kind.SCORING),
)
EXTRA_JURORS = (
    ("juri.akademisi@demo.opop.id", "Dr. Siti Rahmawati (Akademisi)", Partner.Kind.ACADEMIA),
    ("juri.bisnis@demo.opop.id", "H. Ahmad Fauzan (Pelaku Usaha)", Partner.Kind.BUSINESS),
)


def _admin(programme) -> User | None:
    membership = (
        Membership.objects.filter(programme=programme, role=Role.ADMIN, is_active=True)
        .select_related("user")
        .order_by("id")
        .first()
    )
    return membership.user if membership else None


def _juror_user(email: str, full_name: str, programme) -> User:
    user, created = User.objects.get_or_create(email=email, defaults={"full_name": full_name})
    if created:
        user.password = make_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(
        user=user, programme=programme, role=Role.JUROR, defaults={"is_active": True}
    )
    return user


def _rubric(actor, rnd: Round, criteria) -> None:
    for position, (name, weight, guidance) in enumerate(criteria):
        services.criterion_save(
            actor=actor,
            round=rnd,
            data={"name": name, "weight": weight, "guidance": guidance, "position": position},
        )


def _seat_panel(actor, rnd: Round, programme) -> list[Juror]:
    seats = []
    # The demo juror is seated only where the demo accounts gave them the juror role.
    demo = User.objects.filter(
        email=DEMO_JUROR, memberships__programme=programme, memberships__role=Role.JUROR
    ).first()
    panel = [(demo, Partner.Kind.GOVERNMENT)] if demo else []
    panel += [(_juror_user(e, n, programme), g) for e, n, g in EXTRA_JURORS]
    for user, group in panel:
        seats.append(
            services.juror_save(
                actor=actor, round=rnd, user=user, group=group, is_chair=user.email == DEMO_JUROR
            )
        )
    return seats


def _score_sheets(stage: Stage, rng: random.Random) -> Counter:
    """Other jurors submit everything; the demo juror submits two, drafts one, leaves the rest."""
    counts: Counter = Counter()
    criteria = list(stage.round.criteria.all())
    sheets = stage.assignments.select_related("juror__user").order_by("entry_id", "juror_id")
    demo_done = 0
    for assignment in sheets:
        is_demo = assignment.juror.user.email == DEMO_JUROR
        quality = rng.uniform(4.5, 9.5)  # how good this juror finds this product
        values = {
            c.pk: Decimal(max(1, min(10, round(quality + rng.uniform(-1.5, 1.5)))))
            for c in criteria
        }
        if is_demo and demo_done >= 2:
            if demo_done == 2:
                first = criteria[0].pk
                services.scoresheet_save(
                    actor=assignment.juror.user,
                    assignment=assignment,
                    values={first: values[first]},
                )
                counts["assessment_drafts"] += 1
            demo_done += 1
            continue
        services.scoresheet_save(
            actor=assignment.juror.user, assignment=assignment, values=values, submit=True
        )
        counts["assessment_scoresheets"] += 1
        demo_done += is_demo
    return counts


def _curation_round(programme, actor, *, year: int, rng: random.Random) -> Counter:
    counts: Counter = Counter()
    name = f"Kurasi Produk Unggulan {year}"
    if Round.objects.filter(programme=programme, name=name).exists():
        return counts
    rnd = services.round_save(
        actor=actor,
        programme=programme,
        data={
            "name": name,
            "purpose": Round.Purpose.CURATION,
            "year": year,
            "pillar": Pillar.PESANTRENPRENEUR,
            "description": "Kurasi produk pesantren menjadi Produk Unggulan OPOP.",
            "scale_min": 1,
            "scale_max": 10,
            "jurors_per_entry": 2,
            "validity_months": 24,
        },
    )
    _rubric(actor, rnd, CURATION_CRITERIA)
    stage = services.stage_save(
        actor=actor,
        round=rnd,
        data={"name": "Penilaian kurasi", "position": 1, "cutoff_score": Decimal("7.00")},
    )
    counts["assessment_jurors"] += len(_seat_panel(actor, rnd, programme))
    products = list(
        Product.objects.filter(programme=programme, status=Product.Status.ACTIVE).order_by("id")
    )
    for product in rng.sample(products, k=min(ENTRIES, len(products))):
        services.entry_add(actor=actor, stage=stage, product=product)
        counts["assessment_entries"] += 1
    if counts["assessment_entries"]:
        counts["assessment_assignments"] += services.assignments_balance(actor=actor, stage=stage)
        services.stage_open(actor=actor, stage=stage)
        counts.update(_score_sheets(stage, rng))
    counts["assessment_rounds"] += 1
    return counts


def _award_round(programme, actor, *, year: int) -> int:
    name = f"OPOP Award {year}"
    if Round.objects.filter(programme=programme, name=name).exists():
        return 0
    rnd = services.round_save(
        actor=actor,
        programme=programme,
        data={
            "name": name,
            "purpose": Round.Purpose.AWARD,
            "year": year,
            "pillar": Pillar.PESANTRENPRENEUR,
            "description": "Penghargaan tahunan bagi pesantrenpreneur terbaik.",
            "scale_min": 1,
            "scale_max": 100,
            "jurors_per_entry": 3,
            "trim_from": 5,
        },
    )
    _rubric(actor, rnd, AWARD_CRITERIA)
    for position, (stage_name, kind) in enumerate(AWARD_STAGES, start=1):
        services.stage_save(
            actor=actor, round=rnd, data={"name": stage_name, "position": position, "kind": kind}
        )
    return 1


@transaction.atomic
def seed_assessment(programme, *, year: int, rng: random.Random) -> Counter:
    """Seed the programme's demo rounds (see the module docstring). Returns counts by kind."""
    actor = _admin(programme)
    counts = _curation_round(programme, actor, year=year, rng=rng)
    counts["assessment_rounds"] += _award_round(programme, actor, year=year)
    return counts
