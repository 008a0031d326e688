"""One spreadsheet row's cells to a checked `Row`: every cell parsed by its column, then the
register's own checks of the row as a whole."""

from __future__ import annotations

from django.utils.translation import gettext as _

from opop.imports.registers import Column, Context, Register, Row


class RowParser:
    def __init__(
        self,
        register: Register,
        columns: list[tuple[int, Column]],
        formulas: set[tuple[int, int]],
        ctx: Context,
    ):
        self.register = register
        self.ctx = ctx
        self.formulas = formulas
        self.required = [column for _, column in columns if column.required]
        self.plan = [(p, c.key, c.header, c.parse, c.max_length) for p, c in columns]
        self.unreadable_text = _("This value cannot be read.")
        self.formula_text = _(
            "This cell holds a formula; formulas are not evaluated. Type the value itself."
        )
        self.required_text = _("This column is required.")

    def parse(self, number: int, cells: list) -> Row | None:
        """One row's cells -> clean values (or errors), then the register's own checks.

        The hot loop of the import: it runs for every cell of every row, so it avoids calls
        where it can (a 100,000-row file has nearly two million cells).
        """
        row = Row(number)
        values = {}
        filled = False
        errored = None
        width = len(cells)
        formulas = self.formulas
        for position, key, header, parse, max_length in self.plan:
            raw = cells[position] if position < width else ""
            if formulas and (number, position + 1) in formulas:
                filled = True
                row.error(header, self.formula_text)
                errored = (errored or set()) | {key}
                continue
            if raw.__class__ is str:
                stripped = raw.strip()
                if not stripped:
                    continue
                if stripped[0] == "=":  # text that would become a formula when exported
                    filled = True
                    row.error(header, self.formula_text)
                    errored = (errored or set()) | {key}
                    continue
            elif raw is None:
                continue
            elif key == "nik":
                row.extra["nik_from_number"] = True
            filled = True
            try:
                value = parse(raw)
            except Exception as exc:  # CellError, or a parser meeting an odd cell type
                row.error(header, getattr(exc, "message", None) or self.unreadable_text)
                errored = (errored or set()) | {key}
                continue
            if max_length and len(value) > max_length:
                row.error(
                    header,
                    _("At most %(n)s characters (this has %(got)s).")
                    % {"n": max_length, "got": len(value)},
                )
                errored = (errored or set()) | {key}
                continue
            if value != "":
                values[key] = value
        if not filled:
            return None
        for column in self.required:
            if column.key not in values and not (errored and column.key in errored):
                row.error(column.header, self.required_text)
        self.register.clean(row, values, self.ctx)
        return row
