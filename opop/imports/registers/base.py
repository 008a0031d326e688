"""What every register shares: the row being checked, the outcomes a row can have, and the
`Register` base class with the checks several registers use (kab/kota, pesantren reference,
duplicate keys within the file, matching with the stored record)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from opop.imports.cells import CellError
from opop.imports.registers.columns import Column, header_key
from opop.imports.registers.context import Context

CREATED, UPDATED, UNCHANGED, REFUSED = "created", "updated", "unchanged", "refused"


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


def name_key(name: str) -> str:
    return " ".join(name.lower().split())
