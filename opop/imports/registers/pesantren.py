"""The pesantren register: one row per pesantren, matched by NSPP."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opop.imports import cells
from opop.imports.registers.base import Register
from opop.imports.registers.columns import (
    Column,
    choice_column,
    district_column,
    email_column,
    phone_column,
    regency_column,
    status_column,
    text_column,
)
from opop.registry.models import Pesantren

PESANTREN_KIND = cells.Choice(
    {
        "salaf": ("salaf", "salafiyah", "tradisional"),
        "khalaf": ("khalaf", "khalafiyah", "modern"),
        "combined": ("kombinasi", "terpadu", "campuran", "combined"),
    }
)


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
        text_column(
            "name",
            "Nama Pesantren",
            gettext_lazy("Full name of the pesantren."),
            required=True,
            max_length=200,
            example="Pondok Pesantren Darul Ulum",
            aliases=("Nama", "Nama Pondok Pesantren"),
            width=32,
        ),
        choice_column(
            "kind",
            "Jenis",
            PESANTREN_KIND,
            gettext_lazy("Salaf, Khalaf or Kombinasi."),
            example="Salaf",
            aliases=("Tipe", "Jenis Pesantren"),
        ),
        regency_column(),
        district_column(),
        text_column("address", "Alamat", gettext_lazy("Street address."), max_length=255, width=30),
        text_column(
            "leader_name",
            "Pengasuh",
            gettext_lazy("Name of the leader (pengasuh)."),
            max_length=150,
            aliases=("Nama Pengasuh", "Pimpinan"),
            example="KH. Ahmad Dahlan",
        ),
        phone_column("No. Telepon"),
        email_column(),
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
        status_column(),
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
