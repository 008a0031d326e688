"""What each register's spreadsheet holds and what makes a row valid. Reads only; the writes are in
`services.py`.

A register declares its columns (fixed Indonesian headers, so a file reads the same whatever
language the uploader's screen is in), cleans one row at a time in plain Python against lookups
prepared once per job (regions, pesantren by NSPP, …), and resolves a chunk of rows against the
database with one or two `IN` queries: which rows create a record, which change one, which change
nothing, and which are refused (another kab/kota, a key owned by another record).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opop.common import pii
from opop.imports import cells
from opop.imports.cells import CellError
from opop.programmes.models import Pillar
from opop.regions.selectors import district_lookup, regency_lookup
from opop.registry import rules
from opop.registry.models import Cooperative, Enterprise, Participation, Person, Pesantren

CREATED, UPDATED, UNCHANGED, REFUSED = "created", "updated", "unchanged", "refused"


# --- Rows and the context a job runs in ------------------------------------------------------


@dataclass(slots=True)
class Row:
    number: int  # the row number Excel shows
    data: dict[str, Any] = field(default_factory=dict)  # model attnames -> clean values
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column header, message)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    key: Any = None
    existing: dict[str, Any] | None = None  # current values of the record this row matches
    changed: list[str] = field(default_factory=list)
    outcome: str = ""
    record_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def error(self, column: str, message: str) -> None:
        self.errors.append((column, message))


@dataclass
class Context:
    programme: Any
    scope_regency: str | None  # an officer's kab/kota; None for programme-wide roles
    today: dt.date = field(default_factory=timezone.localdate)
    seen: dict[Any, int] = field(default_factory=dict)  # natural key -> first row number
    _regencies: dict[str, Any] = field(default_factory=dict)
    _districts: dict[tuple[str, str], Any] = field(default_factory=dict)
    _pesantren: dict[str, tuple[int, str]] | None = None
    _cooperatives: dict[str, tuple[int, int]] | None = None

    @property
    def province(self) -> str:
        return self.programme.province_id

    def regency(self, value) -> str:
        """A kab/kota of the programme's province from what was typed: code `35.17`, `Kab.
        Jombang`, `Kabupaten Jombang`, `KOTA SURABAYA`, `Jombang`; ambiguous names refused."""
        found = self._regencies.get(value)
        if found is None:
            raw = cells.text(value)
            codes = regency_lookup(self.province, raw)
            if len(codes) == 1:
                found = codes[0]
            elif not codes:
                found = CellError(
                    _("%(value)s is not a kabupaten/kota of this programme's province.")
                    % {"value": raw[:60]}
                )
            else:
                found = CellError(
                    _(
                        "%(value)s may be Kabupaten %(value)s or Kota %(value)s: write "
                        "'Kab. %(value)s' or 'Kota %(value)s'."
                    )
                    % {"value": raw[:60]}
                )
            self._regencies[value] = found
        if isinstance(found, CellError):
            raise found
        return found

    def district(self, regency_code: str, value) -> str:
        raw = cells.text(value)
        key = (regency_code, raw)
        found = self._districts.get(key)
        if found is None:
            found = district_lookup(regency_code, raw) or CellError(
                _("%(value)s is not a kecamatan of this kabupaten/kota.") % {"value": raw[:60]}
            )
            self._districts[key] = found
        if isinstance(found, CellError):
            raise found
        return found

    def pesantren(self, nspp: str) -> tuple[int, str]:
        if self._pesantren is None:
            self._pesantren = {
                code: (pk, regency)
                for code, pk, regency in Pesantren.objects.filter(
                    programme=self.programme
                ).values_list("nspp", "id", "regency_id")
                if code
            }
        found = self._pesantren.get(nspp)
        if found is None:
            raise CellError(
                _("No pesantren with NSPP %(nspp)s in this programme: import the pesantren first.")
                % {"nspp": nspp}
            )
        return found

    def cooperative(self, nib: str) -> tuple[int, int]:
        if self._cooperatives is None:
            self._cooperatives = {
                code: (pk, pesantren)
                for code, pk, pesantren in Cooperative.objects.filter(
                    programme=self.programme
                ).values_list("nib", "id", "pesantren_id")
                if code
            }
        found = self._cooperatives.get(nib)
        if found is None:
            raise CellError(_("No cooperative with NIB %(nib)s in this programme.") % {"nib": nib})
        return found

    def outside_scope(self, regency_code: str | None) -> bool:
        return self.scope_regency is not None and regency_code != self.scope_regency

    def first_seen(self, key, number: int) -> int | None:
        """The earlier row holding the same natural key, or None (and remember this one)."""
        earlier = self.seen.get(key)
        if earlier is None:
            self.seen[key] = number
        return earlier


# --- Columns ---------------------------------------------------------------------------------


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
    return value


def _text_column(key, header, help, *, max_length, required=False, example="", **kw) -> Column:
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


def _choice_column(key, header, choice: cells.Choice, help, **kw) -> Column:
    return Column(key=key, header=header, parse=choice, help=help, choice=choice, **kw)


STATUS = cells.Choice(
    {
        "active": ("aktif", "active"),
        "inactive": ("tidak aktif", "nonaktif", "non aktif", "inactive"),
    }
)
GENDER = cells.Choice(
    {
        "L": ("L", "laki-laki", "laki laki", "lakilaki", "pria", "male", "m"),
        "P": ("P", "perempuan", "wanita", "female", "f", "w"),
    }
)
PESANTREN_KIND = cells.Choice(
    {
        "salaf": ("salaf", "salafiyah", "tradisional"),
        "khalaf": ("khalaf", "khalafiyah", "modern"),
        "combined": ("kombinasi", "terpadu", "campuran", "combined"),
    }
)
LEGAL_STATUS = cells.Choice(
    {
        "none": ("belum berbadan hukum", "belum", "tidak", "none"),
        "in_process": ("dalam proses", "proses", "in process"),
        "incorporated": ("berbadan hukum", "sudah", "sudah berbadan hukum", "bh", "incorporated"),
    }
)
AFFILIATION = cells.Choice(
    {
        "santri": ("santri",),
        "alumni": ("alumni", "alumnus"),
        "ustadz": ("ustadz", "ustadzah", "ustad", "guru", "pengajar", "teacher"),
        "community": ("masyarakat", "warga", "community"),
    }
)
PERSON_PILLAR = cells.Choice(
    {
        Pillar.SANTRIPRENEUR: ("santripreneur", "santri preneur"),
        Pillar.SOCIOPRENEUR: ("sociopreneur", "sosiopreneur", "socio preneur"),
    }
)
PARTICIPATION_STATUS = cells.Choice(
    {
        "candidate": ("kandidat", "calon", "candidate"),
        "active": ("aktif", "active"),
        "graduated": ("lulus", "graduated"),
        "withdrawn": ("mundur", "keluar", "withdrawn"),
    }
)
SECTOR = cells.Choice(
    {
        "food": ("makanan dan minuman", "makanan", "minuman", "kuliner", "mamin", "food"),
        "fashion": ("fashion", "busana", "tekstil", "konveksi", "batik"),
        "craft": ("kerajinan", "craft", "kriya"),
        "agri": ("pertanian", "peternakan", "perikanan", "perkebunan", "agribisnis", "agri"),
        "services": ("jasa", "services"),
        "trade": ("perdagangan", "dagang", "ritel", "toko", "trade"),
        "digital": ("digital", "kreatif", "ekonomi kreatif"),
        "other": ("lainnya", "lain-lain", "other"),
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
OPTIONAL_NOTE = gettext_lazy("An empty cell leaves the stored value as it is.")


def _regency_column(required=True) -> Column:
    return Column(
        key="regency",
        header="Kabupaten/Kota",
        parse=_raw,
        help=REGENCY_HELP,
        required=required,
        example="Kab. Jombang",
        aliases=("Kab/Kota", "Kabupaten", "Kota", "Kabupaten Kota"),
        width=22,
    )


def _district_column() -> Column:
    return Column(
        key="district",
        header="Kecamatan",
        parse=_raw,
        help=gettext_lazy("Kecamatan within the kabupaten/kota, by name."),
        example="Jombang",
        aliases=("Kec",),
    )


def _status_column(help=None) -> Column:
    return _choice_column(
        "status",
        "Status",
        STATUS,
        help or gettext_lazy("Aktif or Tidak Aktif. Empty: Aktif for a new record."),
        example="Aktif",
    )


def _phone_column(header="No. HP") -> Column:
    return Column(
        key="phone",
        header=header,
        parse=cells.phone,
        help=PHONE_HELP,
        example="0812-3456-7890",
        aliases=("No HP", "HP", "Nomor HP", "Telepon", "No. Telepon", "No Telp", "WhatsApp", "WA"),
        as_text=True,
    )


def _email_column() -> Column:
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


# --- Registers -------------------------------------------------------------------------------


class Register:
    code: str
    label: Any
    model: Any
    columns: list[Column]
    # attnames the import may write, and the defaults a new record gets
    fields: tuple[str, ...]
    defaults: dict[str, Any] = {}
    key_help: Any = ""

    def __init__(self):
        self.by_key = {column.key: column for column in self.columns}
        self.headers = {}
        for column in self.columns:
            for name in (column.header, *column.aliases):
                self.headers[header_key(name)] = column

    def column(self, key: str) -> Column:
        return self.by_key[key]

    # Row cleaning ---------------------------------------------------------------------------

    def clean(self, row: Row, values: dict[str, Any], ctx: Context) -> None:
        """Fill `row.data` and `row.key` from parsed cell values, or add errors."""
        raise NotImplementedError

    def resolve(self, rows: list[Row], ctx: Context) -> None:
        """Match valid rows with stored records (a few queries for the whole chunk)."""
        raise NotImplementedError

    # Shared pieces --------------------------------------------------------------------------

    def _copy(self, row: Row, values: dict[str, Any], *names: str) -> None:
        for name in names:
            if name in values:
                row.data[name] = values[name]

    def _regency(self, row: Row, values: dict[str, Any], ctx: Context) -> str | None:
        if "regency" not in values:
            return None
        header = self.column("regency").header
        try:
            code = ctx.regency(values["regency"])
        except CellError as exc:
            row.error(header, exc.message)
            return None
        if ctx.outside_scope(code):
            row.error(header, _("You may only import records of your own kabupaten/kota."))
            return None
        row.data["regency_id"] = code
        if "district" in values:
            try:
                row.data["district_id"] = ctx.district(code, values["district"])
            except CellError as exc:
                row.error(self.column("district").header, exc.message)
        return code

    def _pesantren_ref(self, row: Row, values: dict[str, Any], ctx: Context, key: str):
        if key not in values:
            return None
        try:
            pk, regency = ctx.pesantren(values[key])
        except CellError as exc:
            row.error(self.column(key).header, exc.message)
            return None
        row.data["pesantren_id"] = pk
        return pk, regency

    def _duplicate(self, row: Row, ctx: Context, key, column: str) -> None:
        earlier = ctx.first_seen(key, row.number)
        if earlier is not None:
            row.error(
                column,
                _("The same %(what)s is already in row %(row)s of this file.")
                % {"what": column, "row": earlier},
            )

    def _match(self, row: Row, existing: dict[str, Any] | None) -> None:
        """Created, updated or unchanged: compare the row's values with the stored ones."""
        if existing is None:
            row.outcome = CREATED
            return
        row.existing = existing
        row.record_id = existing["id"]
        row.changed = [name for name, value in row.data.items() if existing.get(name) != value]
        if row.changed or row.extra.get("participation_changed"):
            row.outcome = UPDATED
        else:
            row.outcome = UNCHANGED

    def _refuse(self, row: Row, column: str, message: str) -> None:
        row.error(column, message)
        row.outcome = REFUSED


def _name_key(name: str) -> str:
    return " ".join(name.lower().split())


class PesantrenRegister(Register):
    code = "pesantren"
    label = gettext_lazy("Pesantren")
    model = Pesantren
    key_help = gettext_lazy("Rows are matched with stored pesantren by NSPP.")
    columns = [
        Column(
            key="nspp",
            header="NSPP",
            parse=cells.nspp,
            help=gettext_lazy("Nomor Statistik Pondok Pesantren, 12 digits."),
            required=True,
            example="510035170002",
            as_text=True,
        ),
        _text_column(
            "name",
            "Nama Pesantren",
            gettext_lazy("Full name of the pesantren."),
            required=True,
            max_length=200,
            example="Pondok Pesantren Darul Ulum",
            aliases=("Nama", "Nama Pondok Pesantren"),
            width=32,
        ),
        _choice_column(
            "kind",
            "Jenis",
            PESANTREN_KIND,
            gettext_lazy("Salaf, Khalaf or Kombinasi."),
            example="Salaf",
            aliases=("Tipe", "Jenis Pesantren"),
        ),
        _regency_column(),
        _district_column(),
        _text_column(
            "address", "Alamat", gettext_lazy("Street address."), max_length=255, width=30
        ),
        _text_column(
            "leader_name",
            "Pengasuh",
            gettext_lazy("Name of the leader (pengasuh)."),
            max_length=150,
            aliases=("Nama Pengasuh", "Pimpinan"),
            example="KH. Ahmad Dahlan",
        ),
        _phone_column("No. Telepon"),
        _email_column(),
        Column(
            key="founded_year",
            header="Tahun Berdiri",
            parse=cells.year,
            help=gettext_lazy("Year, four digits."),
            example="1985",
        ),
        Column(
            key="santri_count",
            header="Jumlah Santri",
            parse=cells.whole_number,
            help=gettext_lazy("Whole number; 1.200 and 1200 are both read as 1200."),
            example="1200",
        ),
        _status_column(),
    ]
    fields = (
        "nspp",
        "name",
        "kind",
        "regency_id",
        "district_id",
        "address",
        "leader_name",
        "phone",
        "email",
        "founded_year",
        "santri_count",
        "status",
    )
    defaults = {"status": "active"}

    def clean(self, row, values, ctx):
        self._copy(row, values, *self.fields)
        self._regency(row, values, ctx)
        if "nspp" in values:
            self._duplicate(row, ctx, values["nspp"], "NSPP")
            row.key = values["nspp"]

    def resolve(self, rows, ctx):
        stored = {
            item["nspp"]: item
            for item in Pesantren.objects.filter(
                programme=ctx.programme, nspp__in=[row.key for row in rows]
            ).values("id", *self.fields)
        }
        for row in rows:
            existing = stored.get(row.key)
            if existing and ctx.outside_scope(existing["regency_id"]):
                self._refuse(row, "NSPP", _("This NSPP is registered in another kabupaten/kota."))
                continue
            self._match(row, existing)


class CooperativeRegister(Register):
    code = "cooperatives"
    label = gettext_lazy("Cooperatives")
    model = Cooperative
    key_help = gettext_lazy(
        "Rows are matched with stored cooperatives by NIB, or by pesantren NSPP and name when "
        "there is no NIB."
    )
    columns = [
        Column(
            key="pesantren_nspp",
            header="NSPP Pesantren",
            parse=cells.nspp,
            help=gettext_lazy("NSPP of the pesantren the cooperative belongs to (12 digits)."),
            required=True,
            example="510035170002",
            as_text=True,
            aliases=("NSPP",),
        ),
        _text_column(
            "name",
            "Nama Koperasi",
            gettext_lazy("Name of the cooperative (koppontren)."),
            required=True,
            max_length=200,
            example="Kopontren Darul Ulum",
            aliases=("Nama", "Nama Kopontren"),
            width=30,
        ),
        Column(
            key="nib",
            header="NIB",
            parse=cells.nib,
            help=gettext_lazy("Nomor Induk Berusaha from OSS, 13 digits."),
            example="1234567890123",
            as_text=True,
        ),
        _choice_column(
            "legal_status",
            "Status Badan Hukum",
            LEGAL_STATUS,
            gettext_lazy("Belum berbadan hukum, Dalam proses or Berbadan hukum."),
            example="Berbadan hukum",
            width=22,
        ),
        _text_column(
            "legal_number",
            "Nomor Badan Hukum",
            gettext_lazy("Number of the legal entity decree."),
            max_length=100,
            as_text=True,
        ),
        Column(
            key="legal_date",
            header="Tanggal Badan Hukum",
            parse=cells.date,
            help=DATE_HELP,
            example="15-08-2019",
        ),
        _text_column(
            "nik_koperasi",
            "NIK Koperasi",
            gettext_lazy("Nomor Induk Koperasi, as written."),
            max_length=40,
            as_text=True,
        ),
        Column(
            key="npwp",
            header="NPWP",
            parse=cells.npwp,
            help=gettext_lazy("Tax number, 15 or 16 digits."),
            example="012345678901234",
            as_text=True,
        ),
        _text_column(
            "chair_name",
            "Ketua",
            gettext_lazy("Name of the chair."),
            max_length=150,
            aliases=("Nama Ketua",),
        ),
        Column(
            key="members_count",
            header="Jumlah Anggota",
            parse=cells.whole_number,
            help=gettext_lazy("Whole number."),
            example="85",
        ),
        _status_column(),
    ]
    fields = (
        "pesantren_id",
        "name",
        "nib",
        "legal_status",
        "legal_number",
        "legal_date",
        "nik_koperasi",
        "npwp",
        "chair_name",
        "members_count",
        "status",
    )
    defaults = {"status": "active", "legal_status": "none"}

    def clean(self, row, values, ctx):
        self._copy(row, values, *self.fields)
        found = self._pesantren_ref(row, values, ctx, "pesantren_nspp")
        if found and ctx.outside_scope(found[1]):
            row.error(
                "NSPP Pesantren", _("You may only import records of your own kabupaten/kota.")
            )
        if "nib" in values:
            row.key = ("nib", values["nib"])
            self._duplicate(row, ctx, row.key, "NIB")
        elif found and "name" in values:
            row.key = ("name", found[0], _name_key(values["name"]))
            self._duplicate(row, ctx, row.key, "Nama Koperasi")

    def resolve(self, rows, ctx):
        nibs = [row.key[1] for row in rows if row.key[0] == "nib"]
        pesantren_ids = {row.data["pesantren_id"] for row in rows}
        stored = list(
            Cooperative.objects.filter(programme=ctx.programme)
            .filter(Q(nib__in=nibs) | Q(pesantren_id__in=pesantren_ids))
            .values("id", "pesantren__regency_id", "pesantren__name", *self.fields)
        )
        by_nib = {item["nib"]: item for item in stored if item["nib"]}
        by_name = {(item["pesantren_id"], _name_key(item["name"])): item for item in stored}
        for row in rows:
            existing = by_nib.get(row.data.get("nib", ""))
            if existing and existing["pesantren_id"] != row.data["pesantren_id"]:
                self._refuse(
                    row,
                    "NIB",
                    _("This NIB belongs to %(name)s of another pesantren (%(pesantren)s).")
                    % {"name": existing["name"], "pesantren": existing["pesantren__name"]},
                )
                continue
            if existing is None:
                candidate = by_name.get((row.data["pesantren_id"], _name_key(row.data["name"])))
                if candidate and (not candidate["nib"] or "nib" not in row.data):
                    existing = candidate
            if existing and ctx.outside_scope(existing["pesantren__regency_id"]):
                self._refuse(
                    row, "NIB", _("This cooperative is registered in another kabupaten/kota.")
                )
                continue
            self._match(row, existing)


class PeopleRegister(Register):
    code = "people"
    label = gettext_lazy("People")
    model = Person
    key_help = gettext_lazy(
        "Rows are matched with stored people by NIK. Gender and birth date come from the NIK "
        "when left empty and must match it when filled in."
    )
    columns = [
        Column(
            key="nik",
            header="NIK",
            parse=cells.digits_text,
            help=gettext_lazy("Nomor Induk Kependudukan, 16 digits (a text cell keeps all 16)."),
            required=True,
            example="3517015208970002",
            as_text=True,
        ),
        _text_column(
            "full_name",
            "Nama Lengkap",
            gettext_lazy("Full name as on the KTP."),
            required=True,
            max_length=150,
            example="Siti Aminah",
            aliases=("Nama",),
            width=28,
        ),
        _choice_column(
            "gender",
            "Jenis Kelamin",
            GENDER,
            gettext_lazy("L or P. Empty: taken from the NIK."),
            example="P",
            aliases=("L/P", "JK", "Kelamin"),
        ),
        Column(
            key="birth_date",
            header="Tanggal Lahir",
            parse=cells.date,
            help=gettext_lazy("Empty: taken from the NIK. ") + DATE_HELP,
            example="12-08-1997",
            aliases=("Tgl Lahir",),
        ),
        _text_column(
            "birth_place",
            "Tempat Lahir",
            gettext_lazy("Town of birth."),
            max_length=100,
            example="Jombang",
        ),
        _phone_column(),
        _email_column(),
        _text_column(
            "address", "Alamat", gettext_lazy("Street address."), max_length=255, width=30
        ),
        _regency_column(),
        _district_column(),
        Column(
            key="pesantren_nspp",
            header="NSPP Pesantren",
            parse=cells.nspp,
            help=gettext_lazy("NSPP of the person's pesantren, if any (12 digits)."),
            example="510035170002",
            as_text=True,
        ),
        _choice_column(
            "affiliation",
            "Afiliasi",
            AFFILIATION,
            gettext_lazy("Santri, Alumni, Ustadz or Masyarakat."),
            example="Alumni",
        ),
        _text_column(
            "guardian_name",
            "Nama Wali",
            gettext_lazy("Required for a person under 18, with the consent date."),
            max_length=150,
        ),
        _text_column(
            "guardian_relation",
            "Hubungan Wali",
            gettext_lazy("For example Ayah, Ibu, Paman."),
            max_length=50,
        ),
        Column(
            key="guardian_consent_at",
            header="Tanggal Persetujuan Wali",
            parse=cells.date_as_datetime,
            help=gettext_lazy("Date the guardian consented. ") + DATE_HELP,
            width=24,
        ),
        _choice_column(
            "pillar",
            "Pilar",
            PERSON_PILLAR,
            gettext_lazy("Santripreneur or Sociopreneur; empty if the person is in no pillar."),
            example="Santripreneur",
        ),
        Column(
            key="cohort_year",
            header="Tahun Angkatan",
            parse=cells.whole_number,
            help=gettext_lazy("Cohort year of the pillar, four digits; needed with a pillar."),
            example="2024",
            aliases=("Angkatan",),
        ),
        _choice_column(
            "participation_status",
            "Status Pilar",
            PARTICIPATION_STATUS,
            gettext_lazy("Kandidat, Aktif, Lulus or Mundur. Empty: Aktif."),
            example="Aktif",
        ),
    ]
    fields = (
        "full_name",
        "gender",
        "birth_date",
        "birth_place",
        "phone",
        "email",
        "address",
        "regency_id",
        "district_id",
        "pesantren_id",
        "affiliation",
        "guardian_name",
        "guardian_relation",
        "guardian_consent_at",
    )
    compared = (*fields, "anonymised_at")
    NIK_FIELDS = {"nik": "NIK", "gender": "Jenis Kelamin", "birth_date": "Tanggal Lahir"}

    def clean(self, row, values, ctx):
        self._copy(row, values, *self.fields)
        self._regency(row, values, ctx)
        self._pesantren_ref(row, values, ctx, "pesantren_nspp")
        if "nik" in values:
            self._nik(row, values, ctx)
        self._pillar(row, values, ctx)

    def _nik(self, row, values, ctx):
        raw = values["nik"]
        try:
            info = rules.nik_checked(
                raw,
                gender=values.get("gender", ""),
                birth_date=values.get("birth_date"),
                today=ctx.today,
            )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                row.error(self.NIK_FIELDS.get(name, "NIK"), messages[0])
            return
        for warning in info.warnings:
            row.warnings.append(("NIK", warning))
        if row.extra.pop("nik_from_number", False) and info.nik.endswith("0"):
            row.warnings.append(
                (
                    "NIK",
                    _(
                        "The NIK was a number cell; Excel keeps only 15 digits, so check that "
                        "its last digit is right."
                    ),
                )
            )
        row.data["gender"] = info.gender
        row.data["birth_date"] = info.birth_date
        row.extra["nik"] = info.nik
        row.key = info.nik
        self._duplicate(row, ctx, ("nik", info.nik), "NIK")

    def _pillar(self, row, values, ctx):
        pillar = values.get("pillar")
        year = values.get("cohort_year")
        status = values.get("participation_status")
        if not pillar:
            if year is not None or status:
                row.error("Pilar", _("Give the pillar for this cohort year or status."))
            return
        if year is None:
            row.error("Tahun Angkatan", _("A pillar needs its cohort year."))
            return
        last = ctx.today.year + 1
        if not ctx.programme.started_year <= year <= last:
            row.error(
                "Tahun Angkatan",
                _("The cohort year must be between %(first)s and %(last)s.")
                % {"first": ctx.programme.started_year, "last": last},
            )
            return
        row.extra["participation"] = {
            "pillar": pillar,
            "cohort_year": year,
            "status": status or "active",
        }

    def resolve(self, rows, ctx):
        for row in rows:
            row.extra["nik_hash"] = pii.nik_hash(row.key)
        stored = people_by_nik_hash(
            ctx.programme.pk, [row.extra["nik_hash"] for row in rows], self.compared
        )
        participations = {}
        if stored:
            ids = [item["id"] for item in stored.values()]
            for item in select_any(
                Participation,
                ["id", "person_id", "pillar", "cohort_year", "status", "regency_id"],
                programme_id=ctx.programme.pk,
                column="person_id",
                values=ids,
            ):
                participations[(item["person_id"], item["pillar"])] = item
        for row in rows:
            existing = stored.get(row.extra["nik_hash"])
            if existing is not None:
                if ctx.outside_scope(existing["regency_id"]):
                    self._refuse(row, "NIK", _("This NIK is registered in another kabupaten/kota."))
                    continue
                if existing["anonymised_at"]:
                    self._refuse(row, "NIK", _("This person's data was deleted on request."))
                    continue
            merged = {**(existing or {}), **row.data}
            try:
                rules.guardian_consent_required(
                    birth_date=merged.get("birth_date"),
                    guardian_name=merged.get("guardian_name") or "",
                    guardian_consent_at=merged.get("guardian_consent_at"),
                    on=ctx.today,
                )
            except ValidationError:
                self._refuse(
                    row,
                    "Nama Wali",
                    _(
                        "This person is under 18: fill in the guardian's name and the date of "
                        "the guardian's consent."
                    ),
                )
                continue
            self._participation(row, existing, merged, participations)
            self._match(row, existing)

    def _participation(self, row, existing, merged, stored) -> None:
        wanted = row.extra.get("participation")
        if not wanted:
            return
        wanted = {**wanted, "regency_id": merged.get("regency_id")}
        current = stored.get((existing["id"], wanted["pillar"])) if existing else None
        if current is None:
            row.extra["participation_create"] = wanted
            row.extra["participation_changed"] = True
            return
        if any(current[name] != value for name, value in wanted.items()):
            row.extra["participation_update"] = {"id": current["id"], **wanted}
            row.extra["participation_changed"] = True


def select_any(
    model, fields, *, programme_id: int, column: str, values: list, not_blank: bool = False
) -> list[dict]:
    """`fields` of the programme's rows of `model` whose `column` is one of `values`.

    On PostgreSQL the values travel as one array parameter (`= ANY(%s)`): several times cheaper
    to send and plan than an IN list of thousands of placeholders.
    """
    if connection.vendor != "postgresql":
        rows = model.objects.filter(programme_id=programme_id, **{f"{column}__in": values})
        if not_blank:
            rows = rows.exclude(**{column: ""})
        return list(rows.order_by().values(*fields))
    quote = connection.ops.quote_name
    # Identifiers are the model's own, quoted; values travel as parameters.
    sql = (
        f"SELECT {', '.join(quote(f) for f in fields)} FROM {quote(model._meta.db_table)} "  # noqa: S608
        f"WHERE programme_id = %s AND {quote(column)} = ANY(%s)"
    )
    if not_blank:  # the predicate of a partial unique index, so the planner may use it
        sql += f" AND NOT ({quote(column)} = '')"
    with connection.cursor() as cursor:
        cursor.execute(sql, [programme_id, list(values)])
        return [dict(zip(fields, row, strict=True)) for row in cursor.fetchall()]


def people_by_nik_hash(programme_id: int, hashes: list[str], fields) -> dict[str, dict]:
    """Stored people of a programme by NIK hash (one query for a whole chunk)."""
    found = {}
    for item in select_any(
        Person,
        ["id", "nik_hash", *fields],
        programme_id=programme_id,
        column="nik_hash",
        values=hashes,
        not_blank=True,
    ):
        found[item.pop("nik_hash")] = item
    return found


class EnterpriseRegister(Register):
    code = "enterprises"
    label = gettext_lazy("Enterprises")
    model = Enterprise
    key_help = gettext_lazy(
        "Rows are matched with stored enterprises by NIB, or by the owner's NIK (or the "
        "pesantren's NSPP) and the name when there is no NIB."
    )
    columns = [
        _text_column(
            "name",
            "Nama Usaha",
            gettext_lazy("Name of the business."),
            required=True,
            max_length=200,
            example="Keripik Singkong Barokah",
            aliases=("Nama",),
            width=28,
        ),
        Column(
            key="nib",
            header="NIB",
            parse=cells.nib,
            help=gettext_lazy("Nomor Induk Berusaha from OSS, 13 digits."),
            example="2234567890123",
            as_text=True,
        ),
        Column(
            key="owner_nik",
            header="NIK Pemilik",
            parse=cells.digits_text,
            help=gettext_lazy("NIK of the owner, already in the people register."),
            example="3517015208970002",
            as_text=True,
        ),
        Column(
            key="pesantren_nspp",
            header="NSPP Pesantren",
            parse=cells.nspp,
            help=gettext_lazy("NSPP of the pesantren running or hosting the business."),
            example="510035170002",
            as_text=True,
        ),
        Column(
            key="cooperative_nib",
            header="NIB Koperasi",
            parse=cells.nib,
            help=gettext_lazy("NIB of the cooperative running the business, if any."),
            as_text=True,
        ),
        _choice_column(
            "sector",
            "Sektor",
            SECTOR,
            gettext_lazy(
                "Makanan, Fashion, Kerajinan, Pertanian, Jasa, Perdagangan, Digital or Lainnya."
            ),
            required=True,
            example="Makanan",
        ),
        _text_column(
            "description",
            "Deskripsi",
            gettext_lazy("What the business makes or sells."),
            max_length=2000,
            width=30,
        ),
        _regency_column(),
        Column(
            key="started_year",
            header="Tahun Mulai",
            parse=cells.year,
            help=gettext_lazy("Year, four digits."),
            example="2021",
        ),
        Column(
            key="employees",
            header="Jumlah Karyawan",
            parse=cells.whole_number,
            help=gettext_lazy("Whole number."),
            example="4",
        ),
        Column(
            key="monthly_revenue",
            header="Omzet per Bulan",
            parse=cells.rupiah,
            help=gettext_lazy("Rupiah, whole: 1500000 or Rp1.500.000."),
            example="Rp1.500.000",
            aliases=("Omzet", "Omzet Bulanan"),
        ),
        _status_column(),
    ]
    fields = (
        "name",
        "nib",
        "owner_id",
        "pesantren_id",
        "cooperative_id",
        "sector",
        "description",
        "regency_id",
        "started_year",
        "employees",
        "monthly_revenue",
        "status",
    )
    defaults = {"status": "active"}

    def clean(self, row, values, ctx):
        self._copy(row, values, *self.fields)
        self._regency(row, values, ctx)
        pesantren = self._pesantren_ref(row, values, ctx, "pesantren_nspp")
        if "cooperative_nib" in values:
            try:
                row.data["cooperative_id"] = ctx.cooperative(values["cooperative_nib"])[0]
            except CellError as exc:
                row.error("NIB Koperasi", exc.message)
        if "owner_nik" in values:
            try:
                row.extra["owner_nik"] = rules.nik_checked(values["owner_nik"], today=ctx.today).nik
            except ValidationError as exc:
                row.error("NIK Pemilik", exc.messages[0])
        name = _name_key(values.get("name", ""))
        if "nib" in values:
            row.key = ("nib", values["nib"])
            self._duplicate(row, ctx, row.key, "NIB")
        elif row.extra.get("owner_nik"):
            row.key = ("owner", row.extra["owner_nik"], name)
            self._duplicate(row, ctx, row.key, "Nama Usaha")
        elif pesantren:
            row.key = ("pesantren", pesantren[0], name)
            self._duplicate(row, ctx, row.key, "Nama Usaha")
        elif "owner_nik" not in values and "pesantren_nspp" not in values:
            row.error(
                "NIB",
                _("Give the NIB, or the owner's NIK or the pesantren's NSPP, to identify it."),
            )

    def resolve(self, rows, ctx):
        hashes = {row.extra["owner_nik"]: None for row in rows if row.extra.get("owner_nik")}
        owners = {}
        if hashes:
            by_hash = {pii.nik_hash(nik): nik for nik in hashes}
            owners = {
                by_hash[nik_hash]: pk
                for pk, nik_hash in Person.objects.filter(
                    programme=ctx.programme, nik_hash__in=list(by_hash)
                )
                .exclude(nik_hash="")
                .values_list("id", "nik_hash")
            }
        for row in rows:
            if row.extra.get("owner_nik"):
                owner = owners.get(row.extra["owner_nik"])
                if owner is None:
                    self._refuse(
                        row,
                        "NIK Pemilik",
                        _("No person with this NIK in this programme: import the people first."),
                    )
                    continue
                row.data["owner_id"] = owner
        candidates = [row for row in rows if row.outcome != REFUSED]
        nibs = [row.data["nib"] for row in candidates if row.data.get("nib")]
        owner_ids = {row.data["owner_id"] for row in candidates if row.data.get("owner_id")}
        pesantren_ids = {
            row.data["pesantren_id"] for row in candidates if "pesantren_id" in row.data
        }
        stored = list(
            Enterprise.objects.filter(programme=ctx.programme)
            .filter(
                Q(nib__in=nibs)
                | Q(owner_id__in=owner_ids)
                | Q(pesantren_id__in=pesantren_ids, owner__isnull=True)
            )
            .values("id", *self.fields)
        )
        by_nib = {item["nib"]: item for item in stored if item["nib"]}
        by_owner = {(item["owner_id"], _name_key(item["name"])): item for item in stored}
        by_pesantren = {
            (item["pesantren_id"], _name_key(item["name"])): item
            for item in stored
            if not item["owner_id"]
        }
        for row in candidates:
            existing = by_nib.get(row.data.get("nib", ""))
            if existing is None:
                name = _name_key(row.data["name"])
                candidate = (
                    by_owner.get((row.data["owner_id"], name))
                    if row.data.get("owner_id")
                    else by_pesantren.get((row.data.get("pesantren_id"), name))
                )
                if candidate and (not candidate["nib"] or "nib" not in row.data):
                    existing = candidate
            if existing and ctx.outside_scope(existing["regency_id"]):
                self._refuse(
                    row, "NIB", _("This enterprise is registered in another kabupaten/kota.")
                )
                continue
            self._match(row, existing)


REGISTERS: dict[str, Register] = {
    register.code: register
    for register in (
        PesantrenRegister(),
        CooperativeRegister(),
        PeopleRegister(),
        EnterpriseRegister(),
    )
}


def register_choices() -> list[tuple[str, Any]]:
    return [(code, register.label) for code, register in REGISTERS.items()]
