"""Finding a sheet's header row and mapping its cells to a register's columns."""

from __future__ import annotations

from django.utils.translation import gettext as _

from opop.imports.reader import FileRefused
from opop.imports.registers import REGISTERS, Column, Register, header_key


def map_headers(register: Register, rows: list[list]) -> tuple[int, list[tuple[int, Column]]]:
    """Find the header row (the first non-empty one) and map its cells to the register's columns.

    A wrong header is refused with the columns that are missing, unknown or repeated named, so a
    misspelt optional column never silently drops its data.
    """
    index = next((i for i, row in enumerate(rows) if any(_filled(c) for c in row)), None)
    if index is None:
        raise FileRefused(_("The first sheet of this workbook is empty."))
    mapped, seen, unknown, repeated = [], set(), [], []
    for position, cell in enumerate(rows[index]):
        if not _filled(cell):
            continue
        label = " ".join(str(cell).split())
        column = register.headers.get(header_key(label))
        if column is None:
            unknown.append(label)
        elif column.key in seen:
            repeated.append(label)
        else:
            seen.add(column.key)
            mapped.append((position, column))
    missing = [c.header for c in register.columns if c.required and c.key not in seen]
    if missing or unknown or repeated:
        raise FileRefused(_header_message(register, rows[index], missing, unknown, repeated))
    return index, mapped


def _header_message(register, header_row, missing, unknown, repeated) -> str:
    parts = [
        _("The column headers do not match the %(register)s template.")
        % {"register": register.label}
    ]
    if missing:
        parts.append(_("Missing: %(columns)s.") % {"columns": ", ".join(missing)})
    if unknown:
        parts.append(_("Unknown: %(columns)s.") % {"columns": ", ".join(unknown[:15])})
    if repeated:
        parts.append(_("More than once: %(columns)s.") % {"columns": ", ".join(repeated)})
    labels = {header_key(str(c)) for c in header_row if _filled(c)}
    for other in REGISTERS.values():
        if other is not register and labels and labels <= set(other.headers):
            parts.append(_("This file looks like the %(other)s template.") % {"other": other.label})
            break
    parts.append(_("Download the template and copy your data into it."))
    return " ".join(str(p) for p in parts)


def _filled(value) -> bool:
    return not (value is None or value == "" or (isinstance(value, str) and not value.strip()))
