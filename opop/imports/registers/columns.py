"""The columns of a register's spreadsheet: fixed Indonesian headers (a file reads the same
whatever language the uploader's screen is in), how a cell is parsed, the help the template
shows, and the builders for columns several registers share."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy

from opop.imports import cells


def header_key(text: str) -> str:
    """`Jenis Kelamin (L/P)` and `jenis  kelamin` compare equal; so do `E-mail` and `email`."""
    text = re.sub(r"\(.*?\)", " ", str(text).lower())
    text = re.sub(r"[^a-z0-9/]+", " ", text.replace("-", ""))
    return " ".join(text.split())


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # as written in the template (Indonesian, never translated)
    parse: Callable[[Any], Any]
    help: Any  # lazy translated text for the help sheet
    required: bool = False
    example: str = ""
    aliases: tuple[str, ...] = ()
    as_text: bool = False  # template formats the column as text (identifiers keep leading 0s)
    choice: cells.Choice | None = None
    max_length: int | None = None
    width: int = 18


def _raw(value):
    """Kab/kota and kecamatan cells are resolved against the regions by the register."""
    return value


def text_column(key, header, help, *, max_length, required=False, example="", **kw) -> Column:
    return Column(
        key=key,
        header=header,
        parse=cells.text,
        help=help,
        required=required,
        example=example,
        max_length=max_length,
        **kw,
    )


def choice_column(key, header, choice: cells.Choice, help, **kw) -> Column:
    return Column(key=key, header=header, parse=choice, help=help, choice=choice, **kw)


STATUS = cells.Choice(
    {
        "active": ("aktif", "active"),
        "inactive": ("tidak aktif", "nonaktif", "non aktif", "inactive"),
    }
)

REGENCY_HELP = gettext_lazy(
    "Kabupaten or kota of the programme's province: 'Kab. Jombang', 'Kabupaten Jombang', "
    "'Kota Surabaya' or the code 35.17. A bare name shared by a kabupaten and a kota (Malang) "
    "must say which."
)
DATE_HELP = gettext_lazy(
    "A date cell, or text as 15-08-1995, 15/08/1995, 1995-08-15 or 15 Agustus 1995."
)
PHONE_HELP = gettext_lazy("Indonesian number in any usual form: 0812-3456-7890, +62 812 3456 7890.")


def regency_column() -> Column:
    return Column(
        key="regency",
        header="Kabupaten/Kota",
        parse=_raw,
        help=REGENCY_HELP,
        required=True,
        example="Kab. Jombang",
        aliases=("Kab/Kota", "Kabupaten", "Kota", "Kabupaten Kota"),
        width=22,
    )


def district_column() -> Column:
    return Column(
        key="district",
        header="Kecamatan",
        parse=_raw,
        help=gettext_lazy("Kecamatan within the kabupaten/kota, by name."),
        example="Jombang",
        aliases=("Kec",),
    )


def status_column() -> Column:
    return choice_column(
        "status",
        "Status",
        STATUS,
        gettext_lazy("Aktif or Tidak Aktif. Empty: Aktif for a new record."),
        example="Aktif",
    )


def phone_column(header="No. HP") -> Column:
    return Column(
        key="phone",
        header=header,
        parse=cells.phone,
        help=PHONE_HELP,
        example="0812-3456-7890",
        aliases=("No HP", "HP", "Nomor HP", "Telepon", "No. Telepon", "No Telp", "WhatsApp", "WA"),
        as_text=True,
    )


def email_column() -> Column:
    return Column(
        key="email",
        header="Email",
        parse=cells.email,
        help=gettext_lazy("E-mail address."),
        example="nama@contoh.id",
        aliases=("E-mail", "Surel", "Alamat Email"),
        max_length=254,
        width=24,
    )
