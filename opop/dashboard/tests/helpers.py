"""Rows for dashboard tests, and the registry counts the dashboard must equal."""

from __future__ import annotations

from opop.common.testing.personas import JOMBANG, SURABAYA
from opop.programmes.models import Pillar
from opop.registry.models import Cooperative, Participation, Person, Pesantren

PILLARS = [Pillar.SANTRIPRENEUR, Pillar.PESANTRENPRENEUR, Pillar.SOCIOPRENEUR]
MALANG = "35.07"


def add_rows(world) -> None:
    """Participations over three cohorts, four statuses and three kab/kota, plus pesantren and
    cooperatives of every legal status, one of them inactive (not counted)."""
    prog = world.jatim
    extra = []
    for i, (regency, year, status) in enumerate(
        [
            (SURABAYA, 2024, Participation.Status.ACTIVE),
            (SURABAYA, 2025, Participation.Status.GRADUATED),
            (SURABAYA, 2025, Participation.Status.WITHDRAWN),
            (JOMBANG, 2023, Participation.Status.GRADUATED),
            (JOMBANG, 2025, Participation.Status.CANDIDATE),
            (MALANG, 2025, Participation.Status.ACTIVE),
            (MALANG, 2026, Participation.Status.ACTIVE),
            (None, 2025, Participation.Status.ACTIVE),
        ]
    ):
        person = Person.objects.create(programme=prog, full_name=f"Santri {i}", regency_id=regency)
        pillar = Pillar.SOCIOPRENEUR if i % 3 == 0 else Pillar.SANTRIPRENEUR
        extra.append(
            Participation(
                programme=prog,
                pillar=pillar,
                cohort_year=year,
                status=status,
                person=person,
                regency_id=regency,
            )
        )
    # Rows a facilitator or manager reaches through both the pesantren and the person's
    # pesantren, or through each on a different side: counted once, by whoever sees either.
    both = Person.objects.create(
        programme=prog, full_name="Santri A", regency_id=SURABAYA, pesantren=world.pesantren_a
    )
    cross = Person.objects.create(
        programme=prog, full_name="Santri B", regency_id=JOMBANG, pesantren=world.pesantren_b
    )
    extra += [
        Participation(
            programme=prog,
            pillar=Pillar.SANTRIPRENEUR,
            cohort_year=2025,
            person=both,
            pesantren=world.pesantren_a,
            regency_id=SURABAYA,
        ),
        Participation(
            programme=prog,
            pillar=Pillar.SOCIOPRENEUR,
            cohort_year=2024,
            person=cross,
            pesantren=world.pesantren_a,
            regency_id=JOMBANG,
        ),
    ]
    Participation.objects.bulk_create(extra)
    for i, (regency, legal, status) in enumerate(
        [
            (MALANG, Cooperative.LegalStatus.IN_PROCESS, "active"),
            (MALANG, Cooperative.LegalStatus.INCORPORATED, "active"),
            (SURABAYA, Cooperative.LegalStatus.NOT_INCORPORATED, "inactive"),
        ]
    ):
        pesantren = Pesantren.objects.create(
            programme=prog, name=f"Pesantren {i}", regency_id=regency, status=status
        )
        Cooperative.objects.create(
            programme=prog,
            pesantren=pesantren,
            name=f"Kopontren {i}",
            legal_status=legal,
            status=status,
        )
        if status == "active":
            Participation.objects.create(
                programme=prog,
                pillar=Pillar.PESANTRENPRENEUR,
                cohort_year=2024,
                pesantren=pesantren,
                regency_id=regency,
            )


def expected(participations, cooperatives, pesantren, *, year: int) -> dict:
    """What the dashboard must show, counted straight from registry querysets."""
    counted = participations.filter(status__in=Participation.COUNTED)
    coops = cooperatives.filter(status="active")
    return {
        "pillars": {
            str(p): (
                counted.filter(pillar=p, cohort_year=year).count(),
                counted.filter(pillar=p, cohort_year__lte=year).count(),
            )
            for p in PILLARS
        },
        "cooperatives": {
            status: coops.filter(legal_status=status).count()
            for status in Cooperative.LegalStatus.values
        },
        "cooperatives_total": coops.count(),
        "pesantren": pesantren.filter(status="active").count(),
    }


def shown(dashboard) -> dict:
    """The same figures as the dashboard selector gives them."""
    return {
        "pillars": {p.pillar: (p.year.count, p.cumulative.count) for p in dashboard.pillars},
        "cooperatives": {c.legal_status: c.count for c in dashboard.cooperatives},
        "cooperatives_total": dashboard.cooperatives_total,
        "pesantren": dashboard.totals.pesantren,
    }
