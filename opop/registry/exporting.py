"""What a registry export holds: the columns per register, masked by the reader's role, and the
rows of a filtered list, read in chunks into openpyxl's write-only workbook (through
`write_xlsx`, which neutralises formulas), so a 100,000-row export never holds model instances
for all rows at once. Used by the download in the request (small lists) and by the background
export job (`opop.registry.export_jobs`, large ones).

The NIK column is masked except for the programme admin, whose export is audited as
`export_pii`; contact columns appear only for roles that see contact data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import Model
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opop.common import pii
from opop.common.spreadsheets import write_xlsx
from opop.registry import filters, selectors
from opop.registry.models import Cooperative, Enterprise, Person, Pesantren

EXPORT_MAX_ROWS = 100_000
CHUNK = 2_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    header: str
    path: str  # a values_list path
    show: Callable | None = None  # stored value -> cell value
    contact: bool = False  # only for roles that see contact data


def _choices(model: type[Model], name: str) -> Callable:
    labels = {value: str(label) for value, label in model._meta.get_field(name).flatchoices}
    return lambda value: labels.get(value, value or "")


def _local_date(value):
    return timezone.localtime(value).date() if value else None


def _clear_nik(cipher: str) -> str:
    return pii.decrypt(cipher) if cipher else ""


COLUMNS: dict[type[Model], list[Column]] = {
    Pesantren: [
        Column("ID", "id"),
        Column(_("NSPP"), "nspp"),
        Column(_("Name"), "name"),
        Column(_("Type"), "kind", _choices(Pesantren, "kind")),
        Column(_("Kabupaten/kota"), "regency__name"),
        Column(_("Kecamatan"), "district__name"),
        Column(_("Address"), "address", contact=True),
        Column(_("Leader (pengasuh)"), "leader_name"),
        Column(_("Phone"), "phone", contact=True),
        Column(_("E-mail"), "email", contact=True),
        Column(_("Founded in"), "founded_year"),
        Column(_("Number of santri"), "santri_count"),
        Column(_("Status"), "status", _choices(Pesantren, "status")),
        Column(_("Registered"), "created_at", _local_date),
    ],
    Cooperative: [
        Column("ID", "id"),
        Column(_("Name"), "name"),
        Column(_("Pesantren"), "pesantren__name"),
        Column(_("Kabupaten/kota"), "pesantren__regency__name"),
        Column(_("Legal status"), "legal_status", _choices(Cooperative, "legal_status")),
        Column(_("Legal entity number"), "legal_number"),
        Column(_("Legal entity date"), "legal_date"),
        Column(_("NIK koperasi"), "nik_koperasi"),
        Column(_("NIB"), "nib"),
        Column(_("NPWP"), "npwp"),
        Column(_("Chair"), "chair_name"),
        Column(_("Members"), "members_count"),
        Column(_("Status"), "status", _choices(Cooperative, "status")),
    ],
    Person: [
        Column("ID", "id"),
        Column(_("Full name"), "full_name"),
        Column(_("NIK"), "nik_masked"),  # replaced by the clear NIK for the programme admin
        Column(_("Gender"), "gender", _choices(Person, "gender")),
        Column(_("Birth date"), "birth_date", contact=True),
        Column(_("Birth place"), "birth_place", contact=True),
        Column(_("Phone"), "phone", contact=True),
        Column(_("E-mail"), "email", contact=True),
        Column(_("Address"), "address", contact=True),
        Column(_("Kabupaten/kota"), "regency__name"),
        Column(_("Kecamatan"), "district__name"),
        Column(_("Pesantren"), "pesantren__name"),
        Column(_("Affiliation"), "affiliation", _choices(Person, "affiliation")),
        Column(_("Registered"), "created_at", _local_date),
    ],
    Enterprise: [
        Column("ID", "id"),
        Column(_("Name"), "name"),
        Column(_("Owner"), "owner__full_name"),
        Column(_("Pesantren"), "pesantren__name"),
        Column(_("Cooperative"), "cooperative__name"),
        Column(_("Sector"), "sector", _choices(Enterprise, "sector")),
        Column(_("NIB"), "nib"),
        Column(_("Kabupaten/kota"), "regency__name"),
        Column(_("Started in"), "started_year"),
        Column(_("Employees"), "employees"),
        Column(_("Monthly revenue (Rp)"), "monthly_revenue"),
        Column(_("Status"), "status", _choices(Enterprise, "status")),
    ],
}


def columns_for(model: type[Model], access) -> list[Column]:
    columns = [c for c in COLUMNS[model] if access.sees_contact or not c.contact]
    if model is Person and access.administers_programme:
        columns = [
            Column(_("NIK"), "nik_cipher", _clear_nik) if c.path == "nik_masked" else c
            for c in columns
        ]
    return columns


def export_rows(queryset, columns: list[Column]) -> Iterator[list]:
    paths = [c.path for c in columns]
    shows = [c.show for c in columns]
    for values in queryset.values_list(*paths).iterator(chunk_size=CHUNK):
        yield [show(v) if show else v for show, v in zip(shows, values, strict=True)]


@dataclass(frozen=True)
class ExportKind:
    model: type[Model]
    title: object
    visible: Callable  # access -> the reader's scope


KINDS = {
    "pesantren": ExportKind(Pesantren, _("Pesantren"), selectors.pesantren_visible_to),
    "cooperative": ExportKind(Cooperative, _("Cooperatives"), selectors.cooperatives_visible_to),
    "person": ExportKind(Person, _("People"), selectors.people_visible_to),
    "enterprise": ExportKind(Enterprise, _("Enterprises"), selectors.enterprises_visible_to),
}


def export_queryset(access, key: str, query: QueryDict):
    """The scoped, filtered, sorted rows the list page with `query` shows, capped."""
    kind = KINDS[key]
    form = filters.FILTERS[kind.model](query, access=access)
    return form.apply(kind.visible(access))[:EXPORT_MAX_ROWS]


def carries_clear_nik(access, key: str) -> bool:
    return any(c.path == "nik_cipher" for c in columns_for(KINDS[key].model, access))


def export_workbook(access, key: str, query: QueryDict) -> bytes:
    kind = KINDS[key]
    columns = columns_for(kind.model, access)
    rows = export_queryset(access, key, query)
    return write_xlsx(
        [c.header for c in columns], export_rows(rows, columns), sheet_title=str(kind.title)
    )


def export_filename(key: str) -> str:
    return f"{key}-{timezone.localtime().strftime('%Y%m%d-%H%M')}.xlsx"
