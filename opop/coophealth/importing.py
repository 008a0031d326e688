"""Importing many cooperatives' yearly reports from one .xlsx or .csv file.

The registry import framework (`opop.imports`) has a fixed list of registers stored in its own
model, so this app keeps a small importer of its own and reuses the framework's safe parts: the
workbook reader (size, zip bomb, content check, formula cells refused) and its cell parsers.

A file is checked first (dry run: every row with its errors, nothing written), then committed
once: either every valid row, or nothing when any row has an error (the user chooses). A row
updates the cooperative's report for that year; the same figures again change nothing, so
importing the same file twice leaves everything as it was.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opop.accounts.access import Access
from opop.common.spreadsheets import write_xlsx
from opop.coophealth import selectors
from opop.coophealth.models import CooperativeReport, ReportImport
from opop.coophealth.services import (
    CREATED,
    REPORT_FIELDS,
    UNCHANGED,
    UPDATED,
    report_save,
)
from opop.imports import cells
from opop.imports.reader import ZIP_MAGIC, FileRefused, check_size, read_workbook

MAX_ROWS = 5_000
# 5,000 rows of figures fit in well under a megabyte; a larger file is not a report list.
MAX_BYTES = 5 * 1024 * 1024


def signed_rupiah(value) -> int:
    """SHU may be a loss: `-1.500.000`, `(1.500.000)` (accounting style) or a negative number."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return -cells.rupiah(-value) if value < 0 else cells.rupiah(value)
    raw = str(value).strip()
    if raw.startswith("(") and raw.endswith(")"):
        return -cells.rupiah(raw[1:-1])
    if raw.startswith("-"):
        return -cells.rupiah(raw[1:])
    return cells.rupiah(raw)


def members(value) -> int:
    return cells.whole_number(value, maximum=10_000_000)


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the header written in templates (Indonesian, like the registry imports)
    label: object  # translated, for messages and the help text
    parse: Callable | None
    required: bool = False
    aliases: tuple[str, ...] = ()


COLUMNS = (
    Column(
        "cooperative_id",
        "ID koperasi",
        gettext_lazy("Cooperative ID"),
        members,
        aliases=("cooperative id", "id"),
    ),
    Column("nib", "NIB koperasi", gettext_lazy("Cooperative NIB"), cells.nib, aliases=("nib",)),
    Column(
        "name",
        "Nama koperasi",
        gettext_lazy("Cooperative name"),
        None,
        aliases=("cooperative", "koperasi", "nama"),
    ),
    Column(
        "year",
        "Tahun buku",
        gettext_lazy("Book year"),
        lambda v: cells.year(v, minimum=2000),
        True,
        ("tahun", "year"),
    ),
    Column(
        "members_total",
        "Jumlah anggota",
        gettext_lazy("Members"),
        members,
        True,
        ("anggota", "members"),
    ),
    Column(
        "members_women",
        "Anggota perempuan",
        gettext_lazy("Of whom women"),
        members,
        aliases=("women",),
    ),
    Column(
        "own_capital",
        "Modal sendiri (Rp)",
        gettext_lazy("Own capital"),
        cells.rupiah,
        True,
        ("modal sendiri", "own capital"),
    ),
    Column(
        "external_capital",
        "Modal luar (Rp)",
        gettext_lazy("External capital"),
        cells.rupiah,
        True,
        ("modal luar", "external capital"),
    ),
    Column(
        "business_volume",
        "Volume usaha (Rp)",
        gettext_lazy("Business volume"),
        cells.rupiah,
        True,
        ("volume usaha", "business volume"),
    ),
    Column("surplus", "SHU (Rp)", gettext_lazy("SHU"), signed_rupiah, True, ("shu", "surplus")),
    Column(
        "rat_date", "Tanggal RAT", gettext_lazy("RAT date"), cells.date, aliases=("rat", "rat date")
    ),
    Column("assets", "Aset (Rp)", gettext_lazy("Assets"), cells.rupiah, aliases=("aset", "assets")),
)


def _norm(header) -> str:
    return " ".join(str(header or "").replace("_", " ").lower().split())


_BY_HEADER = {}
for _column in COLUMNS:
    for _spelling in (_column.header, _column.key, *_column.aliases):
        _BY_HEADER[_norm(_spelling)] = _column


@dataclass
class RowResult:
    number: int  # the row number in the file (the header is row 1)
    values: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)  # [(column label, message)]
    cooperative: object = None
    outcome: str = ""  # what committing would do: CREATED, UPDATED or UNCHANGED

    def error(self, column, message) -> None:
        self.errors.append((str(column), str(message)))


@dataclass
class Checked:
    rows: list[RowResult]

    @property
    def valid(self) -> list[RowResult]:
        return [r for r in self.rows if not r.errors]

    @property
    def invalid(self) -> list[RowResult]:
        return [r for r in self.rows if r.errors]


# --- Reading the file -------------------------------------------------------------------------


def read_table(data: bytes, name: str) -> tuple[list[list], set[tuple[int, int]]]:
    """Rows of the file's first sheet (or the CSV) and the cells that held formulas."""
    check_size(len(data))
    if len(data) > MAX_BYTES:
        raise FileRefused(_("The file is too large: at most 5 MB."))
    if data[:4] == ZIP_MAGIC:
        sheet = read_workbook(data)
        return sheet.rows, sheet.formula_cells
    if not name.lower().endswith(".csv") or b"\x00" in data[:4096]:
        raise FileRefused(_("This file is neither an Excel workbook (.xlsx) nor a CSV file."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    sample = text[:4096]
    delimiter = max((",", ";", "\t"), key=sample.count)
    return [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)], set()


def _map_headers(header_row: list) -> list[tuple[int, Column]]:
    mapped, seen, unknown = [], set(), []
    for position, header in enumerate(header_row):
        if cells.is_empty(header):
            continue
        column = _BY_HEADER.get(_norm(header))
        if column is None:
            unknown.append(str(header)[:40])
            continue
        if column.key in seen:
            raise FileRefused(_("The column %(name)s appears twice.") % {"name": column.header})
        seen.add(column.key)
        mapped.append((position, column))
    missing = [c.header for c in COLUMNS if c.required and c.key not in seen]
    if "cooperative_id" not in seen and "nib" not in seen:
        missing.append(_("%(a)s or %(b)s") % {"a": "ID koperasi", "b": "NIB koperasi"})
    if missing:
        message = _("Row 1 must hold the template's headers. Missing: %(missing)s.") % {
            "missing": ", ".join(missing)
        }
        if unknown:
            message += " " + _("Not recognised: %(unknown)s.") % {"unknown": ", ".join(unknown)}
        raise FileRefused(message)
    return mapped


def _parse_row(number: int, raw: list, plan, formulas) -> RowResult | None:
    row = RowResult(number)
    filled = False
    for position, column in plan:
        value = raw[position] if position < len(raw) else ""
        # A formula's cached value may be empty: the formula itself is what is refused.
        is_formula = (number, position + 1) in formulas
        if cells.is_empty(value) and not is_formula:
            continue
        filled = True
        if is_formula or (isinstance(value, str) and value.strip().startswith(("=", "+", "@"))):
            row.error(column.label, _("Formulas are not read: type the value itself."))
            continue
        if column.parse is None:
            row.values[column.key] = cells.text(value)
            continue
        try:
            row.values[column.key] = column.parse(value)
        except Exception as exc:  # CellError, or a parser meeting an odd cell type
            row.error(
                column.label, getattr(exc, "message", None) or _("This value cannot be read.")
            )
    if not filled:
        return None
    for column in COLUMNS:
        if (
            column.required
            and column.key not in row.values
            and not any(label == str(column.label) for label, _m in row.errors)
        ):
            row.error(column.label, _("This column is required."))
    return row


# --- Checking rows against the registry and the stored reports --------------------------------


def check_rows(access: Access, table: list[list], formulas) -> Checked:
    if not table:
        raise FileRefused(_("The file is empty."))
    plan = _map_headers(table[0])
    rows = [
        parsed
        for number, raw in enumerate(table[1:], start=2)
        if (parsed := _parse_row(number, raw, plan, formulas)) is not None
    ]
    if not rows:
        raise FileRefused(_("The file has headers but no rows."))
    if len(rows) > MAX_ROWS:
        raise FileRefused(
            _("The file has %(n)s rows; at most %(max)s are imported at once.")
            % {"n": len(rows), "max": MAX_ROWS}
        )
    scope = selectors.cooperatives_reportable_by(access)
    ids = {r.values["cooperative_id"] for r in rows if "cooperative_id" in r.values}
    nibs = {r.values["nib"] for r in rows if "nib" in r.values}
    by_id = {c.pk: c for c in scope.filter(pk__in=ids)} if ids else {}
    by_nib = {c.nib: c for c in scope.filter(nib__in=nibs)} if nibs else {}
    coop_ids = {c.pk for c in (*by_id.values(), *by_nib.values())}
    stored = {
        (r.cooperative_id, r.year): r
        for r in CooperativeReport.objects.filter(cooperative_id__in=coop_ids)
    }
    seen: dict[tuple[int, int], int] = {}
    for row in rows:
        _resolve(row, by_id, by_nib)
        if row.cooperative is None or "year" not in row.values:
            continue
        key = (row.cooperative.pk, row.values["year"])
        if key in seen:
            row.error(
                _("Book year"),
                _("Row %(row)s already gives this cooperative's report for %(year)s.")
                % {"row": seen[key], "year": key[1]},
            )
            continue
        seen[key] = row.number
        if not row.errors:
            _check_report(row, stored.get(key))
    return Checked(rows)


def _resolve(row: RowResult, by_id: dict, by_nib: dict) -> None:
    coop_id, nib = row.values.get("cooperative_id"), row.values.get("nib")
    if coop_id is None and nib is None:
        if not any(
            label in (str(COLUMNS[0].label), str(COLUMNS[1].label)) for label, _m in row.errors
        ):
            row.error(_("Cooperative ID"), _("Give the cooperative's ID or its NIB."))
        return
    found = by_id.get(coop_id) if coop_id is not None else by_nib.get(nib)
    if found is None:
        row.error(
            _("Cooperative ID") if coop_id is not None else _("Cooperative NIB"),
            _("No cooperative you may report for has this ID or NIB."),
        )
        return
    if coop_id is not None and nib and found.nib != nib:
        row.error(_("Cooperative NIB"), _("This NIB belongs to another cooperative than the ID."))
        return
    row.cooperative = found


def _check_report(row: RowResult, existing: CooperativeReport | None) -> None:
    """Validate the row as the report it would become (the model's own rules)."""
    report = CooperativeReport(
        programme_id=row.cooperative.programme_id,
        cooperative=row.cooperative,
        year=row.values["year"],
    )
    for name in REPORT_FIELDS:
        value = row.values.get(name)
        if value is None and existing is not None:
            value = getattr(existing, name)  # an empty cell keeps the stored value
        setattr(report, name, value)
    try:
        report.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        labels = {c.key: c.label for c in COLUMNS}
        for name, messages in exc.message_dict.items():
            for message in messages:
                row.error(labels.get(name, _("Row")), message)
        return
    if existing is None:
        row.outcome = CREATED
    elif all(getattr(existing, n) == getattr(report, n) for n in REPORT_FIELDS):
        row.outcome = UNCHANGED
    else:
        row.outcome = UPDATED


# --- Dry run and commit -----------------------------------------------------------------------


def _summary(checked: Checked) -> dict:
    counts = {CREATED: 0, UPDATED: 0, UNCHANGED: 0}
    for row in checked.valid:
        counts[row.outcome] += 1
    return {
        "total_rows": len(checked.rows),
        "valid_rows": len(checked.valid),
        "created_count": counts[CREATED],
        "updated_count": counts[UPDATED],
        "unchanged_count": counts[UNCHANGED],
        "row_errors": [
            {"row": r.number, "errors": r.errors, "label": _row_label(r)} for r in checked.invalid
        ],
    }


def _row_label(row: RowResult) -> str:
    if row.cooperative is not None:
        return f"{row.cooperative.name} {row.values.get('year', '')}".strip()
    return str(
        row.values.get("name") or row.values.get("cooperative_id") or row.values.get("nib") or ""
    )


@transaction.atomic
def import_check(*, actor, access: Access, data: bytes, name: str) -> ReportImport:
    """The dry run: the file is kept (privately) with every row's errors; nothing else is
    written. A refused file is recorded too, with the reason."""
    batch = ReportImport(
        programme_id=access.programme_id,
        original_name=name[:200],
        sha256=hashlib.sha256(data).hexdigest(),
        created_by=actor,
    )
    try:
        table, formulas = read_table(data, name)
        checked = check_rows(access, table, formulas)
    except FileRefused as exc:
        batch.status = ReportImport.Status.REFUSED
        batch.file_error = exc.message
        batch.save()
        return batch
    for attr, value in _summary(checked).items():
        setattr(batch, attr, value)
    batch.file.save("upload", ContentFile(data), save=False)
    batch.save()
    return batch


@transaction.atomic
def import_commit(
    *, actor, access: Access, batch: ReportImport, all_or_nothing: bool
) -> ReportImport:
    """Write the file's valid rows (checked again now: reports may have changed since the dry
    run). `all_or_nothing` writes nothing if any row has an error. A file is committed once."""
    batch = ReportImport.objects.select_for_update(of=("self",)).get(pk=batch.pk)
    if batch.status != ReportImport.Status.CHECKED:
        raise ValidationError(_("This file was already imported or refused; upload it again."))
    with batch.file.open("rb") as handle:
        data = handle.read()
    try:
        table, formulas = read_table(data, batch.original_name)
        checked = check_rows(access, table, formulas)
    except FileRefused as exc:
        raise ValidationError(exc.message) from None
    if all_or_nothing and checked.invalid:
        raise ValidationError(
            _(
                "%(n)s rows have errors, so nothing was imported. Correct them, or import "
                "the valid rows only."
            )
            % {"n": len(checked.invalid)}
        )
    counts = {CREATED: 0, UPDATED: 0, UNCHANGED: 0}
    for row in checked.valid:
        saved = report_save(
            actor=actor,
            cooperative=row.cooperative,
            year=row.values["year"],
            data=row.values,
            source=CooperativeReport.Source.IMPORT,
            keep_blank=True,
        )
        counts[saved.outcome] += 1
    summary = _summary(checked)
    for attr, value in summary.items():
        setattr(batch, attr, value)
    batch.created_count, batch.updated_count = counts[CREATED], counts[UPDATED]
    batch.unchanged_count = counts[UNCHANGED]
    batch.status = ReportImport.Status.COMMITTED
    batch.committed_by = actor
    batch.committed_at = timezone.now()
    batch.save()
    return batch


# --- Template and export (the same columns, so an export can be corrected and re-imported) ----


def reports_xlsx(access: Access, *, year: int, regency: str = "") -> bytes:
    """The cooperatives in scope with their report for `year` (blank where none): a template to
    fill in, and an export. Every cell goes through `safe_cell` (formula injection)."""
    coops = selectors.cooperatives_readable_by(access).select_related("pesantren")
    if regency:
        coops = coops.filter(pesantren__regency_id=regency)
    coops = list(coops.order_by("pesantren__regency_id", "name", "id"))
    reports = {
        r.cooperative_id: r
        for r in CooperativeReport.objects.filter(cooperative__in=[c.pk for c in coops], year=year)
    }
    rows = []
    for coop in coops:
        report = reports.get(coop.pk)
        figures = [getattr(report, n) if report else None for n in REPORT_FIELDS]
        rat = figures[6]
        figures[6] = rat.strftime("%d-%m-%Y") if rat else None
        rows.append([coop.pk, coop.nib or None, coop.name, year, *figures])
    return write_xlsx([c.header for c in COLUMNS], rows, sheet_title=_("Reports"))
