"""Rules shared by forms, services and spreadsheet imports: one place says what a valid record is.

Each function raises `ValidationError` keyed by field, with translatable messages.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from opop.common import pii
from opop.common.identifiers import NikInfo, age_on, parse_nik
from opop.regions.models import Region

ADULT_AGE = 18


def _known_province(code: str) -> bool:
    return code in _province_codes()


_PROVINCES: set[str] = set()


def _province_codes() -> set[str]:
    if not _PROVINCES:
        _PROVINCES.update(Region.objects.filter(level=1).values_list("code", flat=True))
    return _PROVINCES


def nik_checked(
    nik: str, *, gender: str = "", birth_date: dt.date | None = None, today: dt.date | None = None
) -> NikInfo:
    """Parse a NIK and check the gender and birth date typed beside it against it.

    `today` decides the century of the birth year; bulk callers pass it once instead of asking
    the clock for every row.
    """
    try:
        info = parse_nik(nik, today=today or timezone.localdate(), known_province=_known_province)
    except ValidationError as exc:
        raise ValidationError({"nik": exc.messages}) from None
    errors = {}
    if gender and gender != info.gender:
        errors["gender"] = _("The gender does not match the NIK (the NIK says %(g)s).") % {
            "g": _("female") if info.gender == "P" else _("male")
        }
    if birth_date and birth_date != info.birth_date:
        errors["birth_date"] = _("The birth date does not match the NIK (the NIK says %(d)s).") % {
            "d": info.birth_date.strftime("%d-%m-%Y")
        }
    if errors:
        raise ValidationError(errors)
    return info


def nik_columns(info: NikInfo) -> dict[str, str]:
    """The stored form of a NIK: hash for uniqueness, ciphertext, masked display."""
    return {
        "nik_hash": pii.nik_hash(info.nik),
        "nik_cipher": pii.encrypt(info.nik),
        "nik_masked": pii.mask_nik(info.nik),
    }


def nik_columns_many(niks: list[str], hashes: list[str]) -> list[dict[str, str]]:
    """`nik_columns` for a whole import chunk, given the NIKs' hashes (already computed to
    match the chunk against the stored people): the ciphertexts come from `pii.encrypt_many`."""
    return [
        {"nik_hash": nik_hash, "nik_cipher": cipher, "nik_masked": pii.mask_nik(nik)}
        for nik, nik_hash, cipher in zip(niks, hashes, pii.encrypt_many(niks), strict=True)
    ]


def is_minor(birth_date: dt.date | None, *, on: dt.date | None = None) -> bool:
    if birth_date is None:
        return False
    return age_on(birth_date, on or timezone.localdate()) < ADULT_AGE


def guardian_consent_required(
    *, birth_date, guardian_name: str, guardian_consent_at, on: dt.date | None = None
) -> None:
    if is_minor(birth_date, on=on) and not (guardian_name and guardian_consent_at):
        raise ValidationError(
            {
                "guardian_name": _(
                    "This person is under 18: a guardian's name and consent are required."
                )
            }
        )


def district_in_regency(district: Region | None, regency: Region | None) -> None:
    if district and (not regency or district.parent_id != regency.code):
        raise ValidationError({"district": _("The kecamatan is not in the chosen kabupaten/kota.")})


def regency_in_programme(regency: Region | None, programme) -> None:
    if regency and regency.parent_id != programme.province_id:
        raise ValidationError(
            {"regency": _("The kabupaten/kota is not in this programme's province.")}
        )
