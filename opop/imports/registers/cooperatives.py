"""The cooperatives register (koppontren): matched by NIB, or by pesantren and name."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opop.imports import cells
from opop.imports.registers.base import Register, name_key
from opop.imports.registers.columns import (
    DATE_HELP,
    Column,
    choice_column,
    status_column,
    text_column,
)
from opop.registry.models import Cooperative

LEGAL_STATUS = cells.Choice(
    {
        "none": ("belum berbadan hukum", "belum", "tidak", "none"),
        "in_process": ("dalam proses", "proses", "in process"),
        "incorporated": ("berbadan hukum", "sudah", "sudah berbadan hukum", "bh", "incorporated"),
    }
)


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
        text_column(
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
        choice_column(
            "legal_status",
            "Status Badan Hukum",
            LEGAL_STATUS,
            gettext_lazy("Belum berbadan hukum, Dalam proses or Berbadan hukum."),
            example="Berbadan hukum",
            width=22,
        ),
        text_column(
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
        text_column(
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
        text_column(
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
        status_column(),
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
            row.key = ("name", found[0], name_key(values["name"]))
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
        by_name = {(item["pesantren_id"], name_key(item["name"])): item for item in stored}
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
                candidate = by_name.get((row.data["pesantren_id"], name_key(row.data["name"])))
                if candidate and (not candidate["nib"] or "nib" not in row.data):
                    existing = candidate
            if existing and ctx.outside_scope(existing["pesantren__regency_id"]):
                self._refuse(
                    row, "NIB", _("This cooperative is registered in another kabupaten/kota.")
                )
                continue
            self._match(row, existing)
