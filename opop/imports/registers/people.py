"""The people register: matched by NIK (stored only as a hash), with the person's pillar
participation and the guardian's consent for a minor."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opop.common import pii
from opop.imports import cells
from opop.imports.registers.base import Register
from opop.imports.registers.columns import (
    DATE_HELP,
    Column,
    choice_column,
    district_column,
    email_column,
    phone_column,
    regency_column,
    text_column,
)
from opop.imports.registers.queries import select_any
from opop.programmes.models import Pillar
from opop.registry import rules
from opop.registry.models import Participation, Person

GENDER = cells.Choice(
    {
        "L": ("L", "laki-laki", "laki laki", "lakilaki", "pria", "male", "m"),
        "P": ("P", "perempuan", "wanita", "female", "f", "w"),
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
        text_column(
            "full_name",
            "Nama Lengkap",
            gettext_lazy("Full name as on the KTP."),
            required=True,
            max_length=150,
            example="Siti Aminah",
            aliases=("Nama",),
            width=28,
        ),
        choice_column(
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
        text_column(
            "birth_place",
            "Tempat Lahir",
            gettext_lazy("Town of birth."),
            max_length=100,
            example="Jombang",
        ),
        phone_column(),
        email_column(),
        text_column("address", "Alamat", gettext_lazy("Street address."), max_length=255, width=30),
        regency_column(),
        district_column(),
        Column(
            key="pesantren_nspp",
            header="NSPP Pesantren",
            parse=cells.nspp,
            help=gettext_lazy("NSPP of the person's pesantren, if any (12 digits)."),
            example="510035170002",
            as_text=True,
        ),
        choice_column(
            "affiliation",
            "Afiliasi",
            AFFILIATION,
            gettext_lazy("Santri, Alumni, Ustadz or Masyarakat."),
            example="Alumni",
        ),
        text_column(
            "guardian_name",
            "Nama Wali",
            gettext_lazy("Required for a person under 18, with the consent date."),
            max_length=150,
        ),
        text_column(
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
        choice_column(
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
        choice_column(
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
