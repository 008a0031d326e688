"""Indonesian identifiers: parsing messy input into the one stored form, with clear errors.

Each `parse_*` takes what a person typed (or a spreadsheet held) and returns the canonical value
or raises `ValidationError` with a translatable message. Rules are those of DOMAIN.md.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from lokal import parse_phone as _lokal_parse_phone

_NON_DIGITS = re.compile(r"[\s.\-/]")


def _digits(value, *, label: str, lengths: tuple[int, ...]) -> str:
    text = str(value).strip()
    if text.endswith(".0") and text[:-2].isdigit():  # a number cell read as a float
        text = text[:-2]
    text = _NON_DIGITS.sub("", text)
    if not text.isdigit():
        raise ValidationError(_("%(label)s must contain digits only.") % {"label": label})
    if len(text) not in lengths:
        expected = _(" or ").join(str(n) for n in lengths)
        raise ValidationError(
            _("%(label)s must be %(expected)s digits (got %(got)s).")
            % {"label": label, "expected": expected, "got": len(text)}
        )
    return text


@dataclass
class NikInfo:
    nik: str
    gender: str  # "L" or "P", as on the KTP
    birth_date: dt.date
    region_code: str  # the 6-digit kecamatan prefix, dotted: 35.78.01
    warnings: list[str] = field(default_factory=list)


def parse_nik(value, *, today: dt.date | None = None, known_province=None) -> NikInfo:
    """16 digits: region(6) + DDMMYY (women: day + 40) + serial(4).

    An unknown region prefix is a warning, not an error (new regions appear before the tables
    catch up). `known_province(code) -> bool` decides which prefixes are known.
    """
    nik = _digits(value, label="NIK", lengths=(16,))
    day, month, year2 = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    gender = "L"
    if day > 40:
        day -= 40
        gender = "P"
    today = today or dt.date.today()
    century = 2000 if year2 <= today.year % 100 else 1900
    try:
        birth = dt.date(century + year2, month, day)
    except ValueError:
        raise ValidationError(_("The birth date inside the NIK is not a valid date.")) from None
    if nik[12:] == "0000":
        raise ValidationError(_("The NIK serial number cannot be 0000."))
    info = NikInfo(
        nik=nik,
        gender=gender,
        birth_date=birth,
        region_code=f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}",
    )
    if known_province is not None and not known_province(nik[:2]):
        info.warnings.append(
            _("The region code %(code)s in the NIK is not a known province.") % {"code": nik[:2]}
        )
    return info


def parse_nib(value) -> str:
    return _digits(value, label="NIB", lengths=(13,))


def parse_nspp(value) -> str:
    """12 digits, opaque: no region or type is ever read from it."""
    return _digits(value, label="NSPP", lengths=(12,))


def parse_npwp(value) -> str:
    """Stored in the 16-digit form: an old 15-digit NPWP gets a leading 0."""
    npwp = _digits(value, label="NPWP", lengths=(15, 16))
    return "0" + npwp if len(npwp) == 15 else npwp


def parse_phone(value, *, mobile: bool = False) -> str:
    """Any common way of writing an Indonesian number -> E.164 (`+62…`)."""
    text = str(value).strip()
    if text.endswith(".0"):
        text = text[:-2]
    if text.isdigit() and text.startswith("8"):  # a leading 0 lost in a number cell
        text = "0" + text
    info = _lokal_parse_phone(text)
    if not info.valid or not info.e164:
        raise ValidationError(
            _("%(value)s is not a valid Indonesian phone number.") % {"value": text}
        )
    if mobile and info.type != "mobile":
        raise ValidationError(_("A mobile number (08…) is needed for WhatsApp."))
    return info.e164


def age_on(birth_date: dt.date, day: dt.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


_PIRT = re.compile(r"^(\d{13})-?(\d{2})$")
_BPOM = re.compile(r"^(MD|ML)(\d{12}|\d{15})$")
_HALAL = re.compile(r"^ID\d{8,30}$")


def parse_pirt(value) -> tuple[str, int]:
    """P-IRT: 15 digits written `1234567890123-45`; the last two digits are the expiry year.

    Returns the written form and the expiry year (2000 + the last two digits).
    """
    text = re.sub(r"[\s.]", "", str(value).strip())
    match = _PIRT.match(text)
    if not match:
        raise ValidationError(_("A P-IRT number has 15 digits, written like 1234567890123-45."))
    return f"{match.group(1)}-{match.group(2)}", 2000 + int(match.group(2))


def parse_bpom(value) -> str:
    """BPOM distribution permit: `MD` or `ML` followed by 12 or 15 digits."""
    text = re.sub(r"[\s.\-]", "", str(value).strip()).upper()
    if not _BPOM.match(text):
        raise ValidationError(
            _("A BPOM number is MD or ML followed by 12 or 15 digits, e.g. MD 224510101234.")
        )
    return text


def parse_halal(value) -> str:
    """BPJPH halal certificate number: `ID` followed by digits.

    The KH decision number printed beside it is refused: it does not identify the certificate.
    """
    text = re.sub(r"[\s.\-]", "", str(value).strip()).upper()
    if not _HALAL.match(text):
        raise ValidationError(
            _(
                "A halal certificate number starts with ID followed by digits "
                "(not the KH decision number)."
            )
        )
    return text
