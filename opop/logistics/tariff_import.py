"""Importing the post's tariff table from an .xlsx file (read by python-calamine).

Columns: origin code, destination code, first kg, next kg, days (headers in English or
Indonesian). A dry run reports every bad row with its number and column and writes nothing; a
commit writes all rows or, when any row is bad, none. Rows are upserted by route, so importing
the same file twice leaves the same table.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from opop.common.audit import audit_record
from opop.common.models import AuditEvent
from opop.imports import cells
from opop.imports.reader import FileRefused, check_size, read_workbook
from opop.logistics.models import Tariff
from opop.regions.models import Region

# Header (lower case, single spaces) -> field. English first, then Indonesian.
HEADERS = {
    "origin code": "origin",
    "kode asal": "origin",
    "destination code": "destination",
    "kode tujuan": "destination",
    "first kg": "first_kg",
    "kg pertama": "first_kg",
    "next kg": "next_kg",
    "kg berikutnya": "next_kg",
    "days": "days",
    "hari": "days",
}
REQUIRED = ["origin", "destination", "first_kg", "next_kg"]
TEMPLATE_HEADERS = ["origin code", "destination code", "first kg", "next kg", "days"]
MAX_DAYS = 60
FORMULA = object()  # a cell already reported as a formula: not parsed again


@dataclass(frozen=True)
class RowError:
    row: int  # as the spreadsheet numbers it (header is row 1)
    column: str
    message: str


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    committed: bool = False
    errors: list[RowError] = field(default_factory=list)
    file_error: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_error


def _labels() -> dict[str, str]:
    return {
        "origin": _("origin code"),
        "destination": _("destination code"),
        "first_kg": _("first kg"),
        "next_kg": _("next kg"),
        "days": _("days"),
    }


def _map_headers(header: list) -> dict[str, int]:
    mapped = {}
    for position, cell in enumerate(header):
        key = " ".join(str(cell).lower().split()) if not cells.is_empty(cell) else ""
        if key in HEADERS and HEADERS[key] not in mapped:
            mapped[HEADERS[key]] = position
    missing = [_labels()[name] for name in REQUIRED if name not in mapped]
    if missing:
        raise FileRefused(
            _("Missing columns: %(columns)s. The columns are: %(all)s.")
            % {"columns": ", ".join(missing), "all": ", ".join(TEMPLATE_HEADERS)}
        )
    return mapped


def _parse_row(values: dict, regencies: dict[str, str], province: str, add) -> dict | None:
    parsed, labels = {}, _labels()
    for name in ("origin", "destination"):
        if values.get(name) is FORMULA:
            continue
        code = cells.text(values.get(name, ""))
        if not code:
            add(labels[name], _("Required."))
        elif regencies.get(code) is None:
            add(labels[name], _("%(code)s is not a kab/kota code.") % {"code": code[:20]})
        elif name == "origin" and not code.startswith(province + "."):
            add(labels[name], _("The origin must be a kab/kota of this programme."))
        else:
            parsed[name] = code
    for name, minimum, maximum in (
        ("first_kg", 1, 10**9),
        ("next_kg", 0, 10**9),
        ("days", 1, MAX_DAYS),
    ):
        raw = values.get(name, "")
        if raw is FORMULA:
            continue
        if cells.is_empty(raw):
            if name == "days":
                parsed[name] = 3
                continue
            add(labels[name], _("Required."))
            continue
        try:
            number = cells.rupiah(raw) if name != "days" else cells.whole_number(raw)
            if not minimum <= number <= maximum:
                raise cells.CellError(
                    _("Must be between %(min)s and %(max)s.") % {"min": minimum, "max": maximum}
                )
            parsed[name] = number
        except cells.CellError as exc:
            add(labels[name], exc.message)
    return parsed if len(parsed) == 5 else None


def _read(data: bytes, programme, report: ImportReport) -> dict[tuple[str, str], dict]:
    sheet = read_workbook(data)
    rows = sheet.rows
    start = next((i for i, row in enumerate(rows) if any(not cells.is_empty(c) for c in row)), None)
    if start is None:
        raise FileRefused(_("The first sheet of this workbook is empty."))
    mapped = _map_headers(rows[start])
    regencies = dict(Region.objects.filter(level=Region.Level.REGENCY).values_list("code", "code"))
    routes: dict[tuple[str, str], dict] = {}
    for index in range(start + 1, len(rows)):
        row, number = rows[index], index + 1
        if all(cells.is_empty(c) for c in row):
            continue
        report.rows += 1

        def add(column, message, number=number):
            report.errors.append(RowError(row=number, column=str(column), message=str(message)))

        formulas = {col for (r, col) in sheet.formula_cells if r == number}
        values = {}
        for name, position in mapped.items():
            if position + 1 in formulas:
                add(_labels()[name], _("Type the value; formulas are not imported."))
                values[name] = FORMULA
                continue
            values[name] = row[position] if position < len(row) else ""
        before = len(report.errors)
        parsed = _parse_row(values, regencies, programme.province_id, add)
        if parsed is None or len(report.errors) > before:
            continue
        route = (parsed["origin"], parsed["destination"])
        if route in routes:
            add(
                _labels()["destination"],
                _("This route is already on row %(row)s.") % {"row": routes[route]["row"]},
            )
            continue
        routes[route] = {**parsed, "row": number}
    return routes


def tariffs_import(*, actor, programme, upload, dry_run: bool = False) -> ImportReport:
    """Check (dry run) or import a tariff workbook; nothing is written unless every row is good."""
    report = ImportReport()
    try:
        if getattr(upload, "size", None) is not None:
            check_size(upload.size)  # before reading a huge file into memory
        upload.seek(0)
        routes = _read(upload.read(), programme, report)
    except FileRefused as exc:
        report.file_error = exc.message
        return report
    existing = {
        (t.origin_id, t.destination_id): t for t in Tariff.objects.filter(programme=programme)
    }
    changed = []
    for route, values in routes.items():
        tariff = existing.get(route)
        if tariff is None:
            report.created += 1
        elif (tariff.first_kg, tariff.next_kg, tariff.days) == (
            values["first_kg"],
            values["next_kg"],
            values["days"],
        ):
            report.unchanged += 1
            continue
        else:
            report.updated += 1
        changed.append((route, values))
    if dry_run or not report.ok:
        return report
    _commit(actor, programme, changed, report)
    return report


@transaction.atomic
def _commit(actor, programme, changed, report: ImportReport) -> None:
    for (origin, destination), values in changed:
        Tariff.objects.update_or_create(
            programme=programme,
            origin_id=origin,
            destination_id=destination,
            defaults={k: values[k] for k in ("first_kg", "next_kg", "days")},
        )
    report.committed = True
    audit_record(
        actor=actor,
        action=AuditEvent.Action.IMPORT,
        instance=programme,
        programme_id=programme.pk,
        changes={"created": [None, report.created], "updated": [None, report.updated]},
        note=_("Tariff import: %(rows)s rows") % {"rows": report.rows},
    )
