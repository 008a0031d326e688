"""The downloadable .xlsx template of each register: a data sheet with the Indonesian headers, and
a help sheet describing every column. Written with openpyxl; every value goes through
`safe_cell` so nothing in a template is ever read as a formula."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from opop.common.spreadsheets import safe_cell
from opop.imports.registers import REGISTERS

DATA_SHEET = "Data"
HELP_SHEET = "Petunjuk"
# Rows of the data sheet given drop-down lists.
PREPARED_ROWS = 5000


def template_filename(register_code: str) -> str:
    return f"template-impor-{register_code}.xlsx"


def template_xlsx(register_code: str) -> bytes:
    register = REGISTERS[register_code]
    workbook = Workbook()
    data = workbook.active
    data.title = DATA_SHEET
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="D1E7DD")
    for index, column in enumerate(register.columns, start=1):
        cell = data.cell(row=1, column=index, value=safe_cell(column.header))
        cell.font = bold
        if column.required:
            cell.fill = required_fill
        letter = get_column_letter(index)
        data.column_dimensions[letter].width = max(column.width, len(column.header) + 2)
        if column.as_text:
            # Identifiers typed into a text column keep their leading zeros and all 16 digits.
            data.column_dimensions[letter].number_format = "@"
        if column.choice is not None:
            listed = ",".join(column.choice.shown.values())
            validation = DataValidation(
                type="list", formula1=f'"{listed}"', allow_blank=True, showErrorMessage=False
            )
            validation.add(f"{letter}2:{letter}{PREPARED_ROWS + 1}")
            data.add_data_validation(validation)
    data.freeze_panes = "A2"

    help_sheet = workbook.create_sheet(HELP_SHEET)
    help_sheet.append([safe_cell(str(register.label))])
    help_sheet["A1"].font = Font(bold=True, size=14)
    for line in (
        _("Fill in the sheet '%(sheet)s', one row per record, from row 2 on.")
        % {"sheet": DATA_SHEET},
        _("Keep the headers of row 1 as they are; green headers are required."),
        str(register.key_help),
        _("Importing the same file again creates no duplicates."),
        _("An empty cell leaves the stored value as it is."),
        _("Do not use formulas: type the values."),
    ):
        help_sheet.append([safe_cell(str(line))])
    help_sheet.append([])
    header_row = help_sheet.max_row + 1
    help_sheet.append(
        [safe_cell(h) for h in (_("Column"), _("Required"), _("What to write"), _("Example"))]
    )
    for cell in help_sheet[header_row]:
        cell.font = bold
    for column in register.columns:
        description = str(column.help)
        if column.choice is not None and column.choice.listed not in description:
            description = f"{description} ({column.choice.listed})"
        help_sheet.append(
            [
                safe_cell(column.header),
                safe_cell(_("yes") if column.required else _("no")),
                safe_cell(description),
                safe_cell(column.example),
            ]
        )
    for letter, width in zip("ABCD", (26, 10, 80, 26), strict=True):
        help_sheet.column_dimensions[letter].width = width
    for row in help_sheet.iter_rows(min_row=header_row + 1):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")
        # An example like 0812-3456-7890 or 510035170002 is text, not a number to reformat.
        row[3].number_format = "@"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
