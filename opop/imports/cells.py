"""Turning one spreadsheet cell into one clean value, accepting the messy ways people type.

A cell arrives from python-calamine as `str`, `int`, `float`, `bool`, `date`, `datetime`, `time`
or `timedelta` ("" when empty). Each parser takes such a value and returns the stored form, or
raises `CellError` with a translated message naming what is wrong and how to write it. Parsers
are plain functions with small caches because a 100,000-row file calls them millions of times.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from opop.common import identifiers

# Excel counts days from 1899-12-30 (with its 1900 leap-year bug folded in).
EXCEL_EPOCH = dt.date(1899, 12, 30)
# Serial numbers of 1900-01-01 and 2100-12-31: a bare number in this range in a date column is an
# Excel date whose cell lost its date format.
_SERIAL_MIN, _SERIAL_MAX = 2, 73415


class CellError(Exception):
    """A cell that cannot be read; `message` is already translated."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def is_empty(value) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


def text(value) -> str:
    """Trimmed text with inner runs of spaces collapsed; numbers lose a trailing `.0`."""
    if value.__class__ is str:  # the common case, kept cheap
        value = value.strip()
        if "  " in value or "\n" in value or "\t" in value or "\xa0" in value:
            value = " ".join(value.split())
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool):
        value = _("yes") if value else _("no")
    return " ".join(str(value).split())


def digits_text(value) -> str:
    """A number-like identifier as text: `3578011508950001.0` (a number cell) -> `35780...01`."""
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(_("Write this number without decimals."))
        return str(int(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return str(value).strip()


def _identifier(parser, value) -> str:
    try:
        return parser(digits_text(value))
    except ValidationError as exc:
        raise CellError(exc.messages[0]) from None


def nspp(value) -> str:
    return _identifier(identifiers.parse_nspp, value)


def nib(value) -> str:
    return _identifier(identifiers.parse_nib, value)


def npwp(value) -> str:
    return _identifier(identifiers.parse_npwp, value)


@lru_cache(maxsize=65536)
def _phone(raw: str) -> str:
    return identifiers.parse_phone(raw)


def phone(value) -> str:
    raw = digits_text(value) if isinstance(value, (int, float)) else " ".join(str(value).split())
    try:
        return _phone(raw)
    except ValidationError as exc:
        raise CellError(exc.messages[0]) from None


def email(value) -> str:
    address = str(value).strip().lower()
    try:
        validate_email(address)
    except ValidationError:
        raise CellError(
            _("%(value)s is not a valid e-mail address.") % {"value": address}
        ) from None
    return address


# --- Dates ------------------------------------------------------------------------------------

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("januari", "january", "jan"),
            ("februari", "pebruari", "february", "feb", "peb"),
            ("maret", "march", "mar"),
            ("april", "apr"),
            ("mei", "may"),
            ("juni", "june", "jun"),
            ("juli", "july", "jul"),
            ("agustus", "august", "agu", "agt", "ags", "aug"),
            ("september", "sept", "sep"),
            ("oktober", "october", "okt", "oct"),
            ("november", "nopember", "nov", "nop"),
            ("desember", "december", "des", "dec"),
        ],
        start=1,
    )
    for name in names
}
_NUMERIC_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_NUMERIC_YMD = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]00:00(?::00)?)?$")
_WORDS_DMY = re.compile(r"^(\d{1,2})[\s\-.]+([a-z]+)\.?[\s\-.,]+(\d{4})$")


@lru_cache(maxsize=65536)
def _date_from_text(raw: str) -> dt.date:
    key = raw.strip().lower()
    day = month = year = None
    if match := _NUMERIC_DMY.match(key):
        day, month, year = (int(g) for g in match.groups())
    elif match := _NUMERIC_YMD.match(key):
        year, month, day = (int(g) for g in match.groups())
    elif (match := _WORDS_DMY.match(key)) and match.group(2) in MONTHS:
        day, month, year = int(match.group(1)), MONTHS[match.group(2)], int(match.group(3))
    if day is None:
        raise CellError(
            _("%(value)s is not a date we can read: write it as 15-08-1995 or 15 Agustus 1995.")
            % {"value": raw[:40]}
        )
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CellError(
            _("%(value)s is not a valid date (day-month-year).") % {"value": raw[:40]}
        ) from None


def date(value) -> dt.date:
    """A date cell, or text in the usual Indonesian forms; never a guess between day and month."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and _SERIAL_MIN <= value <= _SERIAL_MAX:
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise CellError(_("This number is not a date: write the date as 15-08-1995."))
    parsed = _date_from_text(str(value))
    if not 1900 <= parsed.year <= 2100:
        raise CellError(_("The year %(year)s is not plausible.") % {"year": parsed.year})
    return parsed


def date_as_datetime(value) -> dt.datetime:
    """A date, stored as the start of that day in the programme's time zone."""
    day = date(value)
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day))


# --- Numbers ----------------------------------------------------------------------------------

_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")


def whole_number(value, *, minimum: int = 0, maximum: int = 2_000_000_000) -> int:
    """`1200`, `1.200` (Indonesian thousands), `1200.0` (a number cell) -> 1200."""
    if isinstance(value, bool):
        raise CellError(_("Write a whole number."))
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(_("Write a whole number."))
        number = int(value)
    elif isinstance(value, int):
        number = value
    else:
        raw = str(value).strip().replace(" ", "")
        if _THOUSANDS.match(raw):
            raw = raw.replace(".", "")
        if not raw.isdigit():
            raise CellError(_("%(value)s is not a whole number.") % {"value": raw[:30]})
        number = int(raw)
    if number < minimum or number > maximum:
        raise CellError(
            _("Must be between %(min)s and %(max)s.") % {"min": minimum, "max": maximum}
        )
    return number


_RUPIAH = re.compile(r"^(rp\.?)?\s*(\d{1,3}(?:[.,]\d{3})+|\d+)(?:,00?|\.00?)?$", re.IGNORECASE)


def rupiah(value) -> int:
    """`Rp1.500.000`, `1.500.000`, `1,500,000`, `1500000` or a number cell -> 1500000."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return whole_number(value, maximum=10**15)
    raw = str(value).strip().replace(" ", "")
    match = _RUPIAH.match(raw)
    if not match:
        raise CellError(
            _("%(value)s is not an amount in Rupiah: write it as 1500000 or Rp1.500.000.")
            % {"value": raw[:30]}
        )
    return int(re.sub(r"[.,]", "", match.group(2)))


def year(value, *, minimum: int = 1800, maximum: int | None = None) -> int:
    maximum = maximum or timezone.localdate().year
    return whole_number(value, minimum=minimum, maximum=maximum)


# --- Choices ----------------------------------------------------------------------------------


def normalise_choice(value) -> str:
    return " ".join(text(value).lower().replace("_", " ").split())


class Choice:
    """A closed list of values, each accepted under several spellings (Indonesian and English)."""

    def __init__(self, mapping: dict[str, tuple[str, ...]]):
        # mapping: stored value -> spellings accepted for it (the first is the one we show)
        self.shown = {code: spellings[0] for code, spellings in mapping.items()}
        self.seen: dict = {}  # raw cell value -> code, so repeated values cost a dict lookup
        self.accepted: dict[str, str] = {}
        for code, spellings in mapping.items():
            for spelling in (code, *spellings):
                self.accepted[normalise_choice(spelling)] = code

    def __call__(self, value) -> str:
        try:
            return self.seen[value]
        except (KeyError, TypeError):
            pass
        code = self.accepted.get(normalise_choice(value))
        if code is not None and len(self.seen) < 1000:
            self.seen[value] = code
        if code is None:
            raise CellError(
                _("%(value)s is not one of: %(choices)s.")
                % {"value": text(value)[:40], "choices": ", ".join(self.shown.values())}
            )
        return code

    @property
    def listed(self) -> str:
        return ", ".join(self.shown.values())
