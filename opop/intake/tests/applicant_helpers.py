"""Test data for the applicant side: cohorts open today, applicants, typed answers, files."""

from __future__ import annotations

import datetime as dt
import io
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from opop.accounts.models import User
from opop.common.testing.personas import PASSWORD
from opop.intake.models import Application, Cohort
from opop.intake.services import registration
from opop.programmes.models import Pillar

# Valid NIKs of Kota Surabaya (35.78.01): a man born 20-03-1988 and a woman born 10-01-1990.
NIK_MAN = "3578012003880004"
NIK_WOMAN = "3578015001900003"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
_serial = itertools.count(1)


def today() -> dt.date:
    return timezone.localdate()


def open_cohort(programme, pillar: str = Pillar.PESANTRENPRENEUR, **fields) -> Cohort:
    """A cohort taking registrations today (30 days either side)."""
    year = fields.pop("year", today().year)
    defaults = {
        "name": f"{Pillar(pillar).label} {year}",
        "status": Cohort.Status.OPEN,
        "opens_on": today() - dt.timedelta(days=30),
        "closes_on": today() + dt.timedelta(days=30),
        "require_nspp": pillar == Pillar.PESANTRENPRENEUR,
        "exclude_earlier_cohorts": True,
        "required_documents": [],
        "notes": "Bring your cooperative's papers.",
    }
    return Cohort.objects.create(
        programme=programme, year=year, pillar=pillar, **{**defaults, **fields}
    )


def new_applicant(name: str = "Nur Aisyah") -> User:
    n = next(_serial)
    return User.objects.create_user(f"applicant{n}@example.id", PASSWORD, full_name=name)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def started(user, cohort) -> Application:
    return registration.application_start(actor=user, cohort=cohort, consent=True)


def pesantren_answers(**changes) -> dict:
    """What a pesantren types in a complete application (form field names and values)."""
    data = {
        "pesantren_name": "Pondok Pesantren Nurul Huda",
        "nspp": "5100-3578-9999",
        "pesantren_kind": "salaf",
        "leader_name": "KH. Hasyim",
        "founded_year": "1985",
        "regency": "35.78",
        "district": "35.78.01",
        "address": "Jl. Pesantren No. 7",
        "cooperative_name": "Kopontren Nurul Huda",
        "cooperative_legal_status": "in_process",
        "cooperative_legal_number": "",
        "cooperative_nib": "",
        "cooperative_npwp": "",
        "full_name": "Abdul Ghofur",
        "nik": NIK_MAN,
        "birth_date": "",
        "phone": "0812-3456-7890",
        "email": "ghofur@example.id",
    }
    data.update(changes)
    return data


def participant_answers(**changes) -> dict:
    data = {
        "full_name": "Siti Rohmah",
        "nik": NIK_WOMAN,
        "gender": "",
        "birth_date": "",
        "phone": "081234567891",
        "email": "siti@example.id",
        "affiliation": "alumni",
        "origin_pesantren": "",
        "regency": "35.78",
        "district": "35.78.01",
        "address": "Jl. Santri No. 3",
        "business_name": "Keripik Tempe Rohmah",
        "business_sector": "food",
        "business_nib": "",
        "business_started_year": "2022",
        "business_description": "Tempe chips sold around Surabaya.",
    }
    data.update(changes)
    return data


def pdf_upload(name: str = "nib.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def image_bytes(fmt: str = "JPEG", size=(40, 30)) -> bytes:
    """An image carrying EXIF (camera make and a GPS block), as phones write them."""
    image = Image.new("RGB", size, (10, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x8825] = {1: "S", 2: (7.0, 15.0, 0.0)}  # GPSInfo
    buffer = io.BytesIO()
    image.save(buffer, fmt, exif=exif)
    return buffer.getvalue()
