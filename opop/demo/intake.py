"""Demo intake: an open cohort per pillar for the year, with quotas in a few kab/kota, and about
twenty files in every state, owned by applicant accounts `pendaftar<N>@demo.opop.id`.

Files are written with the ORM as the applicant pages would leave them (typed data, documents,
a submission some days ago); decisions and acceptances go through the staff services, so the
history, notifications and registry records are the real ones. Running it again for a year that
already has demo files changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections import Counter

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from opop.accounts.models import Role, User
from opop.common.identifiers import NikInfo
from opop.demo import names
from opop.demo.accounts import DEMO_DOMAIN, DEMO_PASSWORD
from opop.intake.models import (
    Application,
    ApplicationDocument,
    ApplicationEvent,
    Cohort,
    CohortQuota,
)
from opop.intake.services.acceptance import applications_accept
from opop.intake.services.verification import application_decide
from opop.programmes.models import Pillar
from opop.regions.models import Region
from opop.registry import rules
from opop.registry.models import Person, Pesantren

APPLICANTS = 20
PDF = b"%PDF-1.4\n%Dokumen demo OPOP\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
COHORTS = {
    Pillar.PESANTRENPRENEUR: {
        "total_quota": 40,
        "require_nspp": True,
        "min_age": 21,
        "max_age": 60,
        "documents": ["nib", "npwp", "bank", "pesantren_profile", "identity"],
    },
    Pillar.SANTRIPRENEUR: {
        "total_quota": 200,
        "require_nspp": False,
        "min_age": 17,
        "max_age": 35,
        "documents": ["identity", "business_profile"],
    },
    Pillar.SOCIOPRENEUR: {
        "total_quota": 30,
        "require_nspp": False,
        "min_age": 18,
        "max_age": 55,
        "documents": ["identity", "business_profile"],
    },
}
LETTERS = {Pillar.PESANTRENPRENEUR: "P", Pillar.SANTRIPRENEUR: "S", Pillar.SOCIOPRENEUR: "C"}
# (pillar, state) of the twenty files, in the order they are made.
PLAN = [
    *[(Pillar.PESANTRENPRENEUR, s) for s in ("draft", "submitted", "submitted", "submitted")],
    *[(Pillar.PESANTRENPRENEUR, s) for s in ("needs_fixing", "verified", "verified", "accepted")],
    *[(Pillar.SANTRIPRENEUR, s) for s in ("draft", "submitted", "submitted", "submitted")],
    *[(Pillar.SANTRIPRENEUR, s) for s in ("needs_fixing", "verified", "accepted", "accepted")],
    *[(Pillar.SOCIOPRENEUR, s) for s in ("draft", "submitted", "needs_fixing", "verified")],
]
FIX_REASONS = [
    ("nib", "Scan NIB buram dan tidak terbaca.", "Mohon unggah ulang NIB yang jelas."),
    ("identity", "Foto KTP terpotong.", "Unggah foto KTP utuh, keempat sudutnya terlihat."),
    ("business_profile", "Profil usaha belum memuat omzet.", "Lengkapi omzet per bulan."),
]


def seed_intake(programme, *, year: int, rng: random.Random) -> Counter:
    """Cohorts of `year` for every pillar and about twenty files of demo applicants."""
    counts: Counter = Counter()
    with transaction.atomic():
        if Application.objects.filter(programme=programme, cohort__year=year).exists():
            return counts
        regencies = _regencies(programme)
        cohorts = {p: _cohort(programme, p, year, regencies, rng) for p in COHORTS}
        counts["cohorts"] = len(cohorts)
        actor = User.objects.filter(
            memberships__programme=programme, memberships__role=Role.ADMIN
        ).first()
        password = make_password(DEMO_PASSWORD)
        for number, (pillar, state) in enumerate(PLAN, start=1):
            cohort = cohorts[pillar]
            user, gender = _applicant(number, password, programme, rng)
            # Every other file in the first kab/kota (Surabaya: the demo officer's).
            others = regencies[1:] or regencies
            regency = regencies[0] if number % 2 else others[(number // 2) % len(others)]
            application = _application(cohort, user, gender, regency, state, number, rng)
            _advance(application, state, actor, rng)
            counts[f"applications {state}"] += 1
    return counts


def demo_intake_reset(programme_codes: list[str]) -> int:
    """Delete the intake of these programmes (files, then cohorts): needed before the demo
    accounts, since a file keeps its applicant."""
    files = Application.objects.filter(programme__code__in=programme_codes)
    for document in ApplicationDocument.objects.filter(application__in=files):
        document.file.delete(save=False)
    deleted, _ = files.delete()
    Cohort.objects.filter(programme__code__in=programme_codes).delete()
    return deleted


def _regencies(programme) -> list[Region]:
    """Kota Surabaya (the demo officer's) first when in the province, then three more."""
    rows = list(
        Region.objects.filter(level=Region.Level.REGENCY, parent_id=programme.province_id)
        .order_by("code")
        .prefetch_related("children")
    )
    rows.sort(key=lambda r: (r.code != "35.78", r.code))
    return rows[:4]


def _cohort(programme, pillar: str, year: int, regencies, rng) -> Cohort:
    spec = COHORTS[pillar]
    cohort, _ = Cohort.objects.get_or_create(
        programme=programme,
        year=year,
        pillar=pillar,
        defaults={
            "name": f"{Pillar(pillar).label} Angkatan {year}",
            "status": Cohort.Status.OPEN,
            "opens_on": dt.date(year, 1, 15),
            "closes_on": dt.date(year, 12, 31),
            "total_quota": spec["total_quota"],
            "require_nspp": spec["require_nspp"],
            "exclude_earlier_cohorts": True,
            "min_age": spec["min_age"],
            "max_age": spec["max_age"],
            "required_documents": spec["documents"],
            "notes": "Data demo. Siapkan dokumen asli untuk verifikasi lapangan.",
        },
    )
    for regency in regencies:
        CohortQuota.objects.get_or_create(
            cohort=cohort,
            regency=regency,
            defaults={"quota": rng.randint(3, 10) if pillar != Pillar.SANTRIPRENEUR else 25},
        )
    return cohort


def _applicant(number: int, password: str, programme, rng) -> tuple[User, str]:
    gender = rng.choice("LP")
    full_name = names.person_name(rng, gender=gender, province=programme.province_id)
    user, _ = User.objects.get_or_create(
        email=f"pendaftar{number}@{DEMO_DOMAIN}",
        defaults={"full_name": full_name, "password": password},
    )
    return user, gender


def _nik(programme, district_code: str, gender: str, birth: dt.date, number: int) -> NikInfo:
    day = birth.day + (40 if gender == "P" else 0)
    stem = f"{district_code.replace('.', '')}{day:02d}{birth:%m%y}"
    serial = 9000 + number
    while True:  # never the NIK of someone already in the registry
        info = NikInfo(f"{stem}{serial:04d}", gender, birth, district_code)
        hashed = rules.nik_columns(info)
        if not Person.objects.filter(programme=programme, nik_hash=hashed["nik_hash"]).exists():
            return info
        serial += 1


def _application(cohort, user, gender, regency, state, number, rng) -> Application:
    programme = cohort.programme
    province = programme.province_id
    district = rng.choice(list(regency.children.all()))
    age = rng.randint(cohort.min_age + 1, cohort.max_age - 1)  # within the cohort's rule
    birth = dt.date(cohort.year - age, rng.randint(1, 12), rng.randint(1, 28))
    info = _nik(programme, district.code, gender, birth, number)
    fields = {
        "full_name": user.full_name,
        "gender": gender,
        "birth_date": birth,
        "phone": f"+62812{rng.randint(10_000_000, 99_999_999)}",
        "email": user.email,
        "address": names.address(rng, district_name=district.name),
        "consent_at": timezone.now(),
        **rules.nik_columns(info),
    }
    if cohort.is_for_pesantren:
        core = names.pesantren_core(rng, province=province)
        fields.update(
            pesantren_name=names.pesantren_name(rng, core=core, place=district.name, female=False),
            nspp=f"5900{regency.code.replace('.', '')}{number:04d}",
            pesantren_kind=rng.choice(list(Pesantren.Kind)).value,
            leader_name=names.leader_name(rng, province=province),
            founded_year=rng.randint(1950, 2015),
            cooperative_name=names.cooperative_name(rng, core=core),
            cooperative_legal_status="incorporated",
            affiliation="ustadz",
        )
    else:
        sector = rng.choice(["food", "fashion", "craft", "agri", "digital"])
        business, description = names.enterprise(
            rng, sector=sector, label=user.full_name.split()[0]
        )
        fields.update(
            affiliation="alumni" if cohort.pillar == Pillar.SANTRIPRENEUR else "community",
            business_name=business,
            business_sector=sector,
            business_started_year=rng.randint(2018, cohort.year),
            business_description=description,
        )
    application = Application.objects.create(
        programme=programme,
        cohort=cohort,
        applicant=user,
        reference=f"~demo-{number}",
        status=Application.Status.DRAFT,
        regency=regency,
        district=district,
        **fields,
    )
    application.reference = (
        f"{programme.code.upper()}-{cohort.year}-{LETTERS[cohort.pillar]}-{application.pk:06d}"
    )
    application.save(update_fields=["reference"])
    ApplicationEvent.objects.create(
        application=application, actor=user, action=ApplicationEvent.Action.CREATED
    )
    kinds = cohort.required_documents if state != "draft" else cohort.required_documents[:1]
    for kind in kinds:
        _document(application, kind)
    return application


def _document(application: Application, kind: str) -> None:
    document = ApplicationDocument(
        application=application,
        kind=kind,
        original_name=f"{kind}.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256=hashlib.sha256(PDF + kind.encode()).hexdigest(),
        uploaded_by=application.applicant,
    )
    document.file.save("demo", ContentFile(PDF), save=False)
    document.save()


def _advance(application: Application, state: str, actor, rng) -> None:
    """Submit the file some days ago, then decide and accept it as `state` says."""
    if state == "draft":
        started = timezone.now() - dt.timedelta(days=rng.randint(0, 6), hours=rng.randint(1, 8))
        application.events.update(at=started)
        return
    days = rng.randint(0, 3) if rng.random() < 0.5 else rng.randint(4, 12)
    at = timezone.now() - dt.timedelta(days=days, hours=rng.randint(1, 8))
    Application.objects.filter(pk=application.pk).update(
        status=Application.Status.SUBMITTED, submitted_at=at, first_submitted_at=at
    )
    application.events.filter(action="created").update(at=at - dt.timedelta(days=2))
    event = ApplicationEvent.objects.create(
        application=application, actor=application.applicant, action="submitted"
    )
    ApplicationEvent.objects.filter(pk=event.pk).update(at=at)
    application.refresh_from_db()
    if state == "submitted":
        return
    documents = set(application.cohort.required_documents)
    if state == "needs_fixing":
        kind, reason, note = rng.choice([r for r in FIX_REASONS if r[0] in documents])
        application_decide(
            actor=actor,
            application=application,
            decision=Application.Status.NEEDS_FIXING,
            reasons=reason,
            checklist={kind: {"ok": False, "note": note}},
        )
        return
    application_decide(
        actor=actor,
        application=application,
        decision=Application.Status.VERIFIED,
        checklist={kind: {"ok": True, "note": ""} for kind in sorted(documents)},
    )
    if state == "accepted":
        applications_accept(actor=actor, cohort=application.cohort, applications=[application])
