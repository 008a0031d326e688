"""The enterprises register: matched by NIB, or by the owner's NIK (or the pesantren) and name."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opop.common import pii
from opop.imports import cells
from opop.imports.cells import CellError
from opop.imports.registers.base import REFUSED, Register, name_key
from opop.imports.registers.columns import (
    Column,
    choice_column,
    regency_column,
    status_column,
    text_column,
)
from opop.registry import rules
from opop.registry.models import Enterprise, Person

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


class EnterpriseRegister(Register):
    code = "enterprises"
    label = gettext_lazy("Enterprises")
    model = Enterprise
    key_help = gettext_lazy(
        "Rows are matched with stored enterprises by NIB, or by the owner's NIK (or the "
        "pesantren's NSPP) and the name when there is no NIB."
    )
    columns = [
        text_column(
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
        choice_column(
            "sector",
            "Sektor",
            SECTOR,
            gettext_lazy(
                "Makanan, Fashion, Kerajinan, Pertanian, Jasa, Perdagangan, Digital or Lainnya."
            ),
            required=True,
            example="Makanan",
        ),
        text_column(
            "description",
            "Deskripsi",
            gettext_lazy("What the business makes or sells."),
            max_length=2000,
            width=30,
        ),
        regency_column(),
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
        status_column(),
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
        name = name_key(values.get("name", ""))
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
        by_owner = {(item["owner_id"], name_key(item["name"])): item for item in stored}
        by_pesantren = {
            (item["pesantren_id"], name_key(item["name"])): item
            for item in stored
            if not item["owner_id"]
        }
        for row in candidates:
            existing = by_nib.get(row.data.get("nib", ""))
            if existing is None:
                name = name_key(row.data["name"])
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
