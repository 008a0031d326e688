"""Intake test data written straight with the ORM: cohorts, applicants, files in any state.

Files are filled as a finished registration would be (valid NIK, NSPP, kab/kota), so staff
decisions and acceptance can run on them without the applicant pages.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools

from django.core.files.base import ContentFile
from django.utils import timezone

from opop.accounts.models import User
from opop.common.identifiers import NikInfo
from opop.common.testing.personas import PASSWORD
from opop.intake.models import (
    Application,
    ApplicationDocument,
    ApplicationEvent,
    Cohort,
    CohortQuota,
    DocumentKind,
)
from opop.programmes.models import Pillar
from opop.registry import rules

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
LETTERS = {Pillar.PESANTRENPRENEUR: "P", Pillar.SANTRIPRENEUR: "S", Pillar.SOCIOPRENEUR: "C"}
# A kecamatan of each kab/kota used in tests (NIKs start with it).
DISTRICTS = {"35.78": "35.78.01", "35.17": "35.17.01", "63.71": "63.71.01"}
_serial = itertools.count(5001)


def make_cohort(programme, *, pillar: str = Pillar.PESANTRENPRENEUR, year: int = 2026, **fields):
    defaults = {
        "name": f"{pillar.capitalize()} {year}",
        "status": Cohort.Status.OPEN,
        "opens_on": dt.date(year, 1, 1),
        "closes_on": dt.date(year, 12, 31),
        "require_nspp": pillar == Pillar.PESANTRENPRENEUR,
        "required_documents": [DocumentKind.NIB],
    }
    return Cohort.objects.create(
        programme=programme, year=year, pillar=pillar, **{**defaults, **fields}
    )


def make_quota(cohort: Cohort, regency: str, quota: int) -> CohortQuota:
    return CohortQuota.objects.create(cohort=cohort, regency_id=regency, quota=quota)


def make_applicant(name: str | None = None) -> User:
    n = next(_serial)
    return User.objects.create_user(
        f"applicant{n}@test.opop.id", PASSWORD, full_name=name or f"Applicant {n}"
    )


def nik_for(regency: str, serial: int, *, birth: dt.date = dt.date(1990, 1, 15), gender="L"):
    district = DISTRICTS.get(regency, f"{regency}.01")
    day = birth.day + (40 if gender == "P" else 0)
    nik = f"{district.replace('.', '')}{day:02d}{birth:%m%y}{serial:04d}"
    return NikInfo(nik=nik, gender=gender, birth_date=birth, region_code=district)


def _typed(cohort: Cohort, regency: str, serial: int) -> dict:
    info = nik_for(regency, serial)
    person = {
        "full_name": f"Abdul Ghofur {serial}",
        "gender": info.gender,
        "birth_date": info.birth_date,
        "phone": "+6281234500000",
        "email": f"ghofur{serial}@example.id",
        "consent_at": timezone.now(),
        **rules.nik_columns(info),
    }
    if cohort.is_for_pesantren:
        return {
            **person,
            "pesantren_name": f"Pondok Pesantren Nurul Huda {serial}",
            "nspp": f"5900{regency.replace('.', '')}{serial:04d}",
            "pesantren_kind": "salaf",
            "leader_name": f"KH. Hasyim {serial}",
            "founded_year": 1985,
            "cooperative_name": f"Kopontren Nurul Huda {serial}",
            "affiliation": "ustadz",
        }
    return {
        **person,
        "affiliation": "alumni",
        "business_name": f"Keripik Tempe {serial}",
        "business_sector": "food",
        "business_started_year": 2022,
    }


def make_application(
    cohort: Cohort,
    *,
    applicant: User | None = None,
    status: str = Application.Status.SUBMITTED,
    regency: str | None = "35.78",
    submitted_days_ago: float | None = 1,
    **fields,
) -> Application:
    serial = next(_serial)
    application = Application.objects.create(
        programme=cohort.programme,
        cohort=cohort,
        applicant=applicant or make_applicant(),
        reference=f"~{serial}",
        status=status,
        regency_id=regency,
        district_id=DISTRICTS.get(regency) if regency else None,
        address=f"Jl. Pesantren No. {serial}",
        **{**_typed(cohort, regency or "35.78", serial), **fields},
    )
    letter = LETTERS[cohort.pillar]
    application.reference = (
        f"{cohort.programme.code.upper()}-{cohort.year}-{letter}-{application.pk:06d}"
    )
    application.save(update_fields=["reference"])
    if status != Application.Status.DRAFT and submitted_days_ago is not None:
        at = timezone.now() - dt.timedelta(days=submitted_days_ago)
        Application.objects.filter(pk=application.pk).update(submitted_at=at, first_submitted_at=at)
        event = ApplicationEvent.objects.create(
            application=application, action=ApplicationEvent.Action.SUBMITTED
        )
        ApplicationEvent.objects.filter(pk=event.pk).update(at=at)
        application.refresh_from_db()
    return application


def make_document(
    application: Application, kind: str = DocumentKind.NIB, content: bytes = PDF
) -> ApplicationDocument:
    document = ApplicationDocument(
        application=application,
        kind=kind,
        original_name=f"{kind}.pdf",
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=application.applicant,
    )
    document.file.save("ignored", ContentFile(content), save=False)
    document.save()
    return document
