"""Opening an uploaded workbook safely and reading its first sheet with python-calamine.

What is checked before a single row is trusted: the size (`settings.IMPORT_MAX_BYTES`), that the
content is an .xlsx workbook whatever the file is called, that it does not inflate into something
huge (zip bomb), and which cells hold formulas. Calamine returns a formula cell's cached value
and never evaluates it; we go further and refuse such cells, because the value a formula showed
on someone's machine is not data anyone typed.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.conf import settings
from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook

ZIP_MAGIC = b"PK\x03\x04"
# An .xlsx compresses well, but not a thousand times: past this ratio the file is a zip bomb.
MAX_INFLATION = 100


class FileRefused(Exception):
    """The file as a whole cannot be imported; `message` is translated and says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Sheet:
    rows: list[list]  # every row of the first sheet, row 1 first (empty rows kept as [])
    formula_cells: set[tuple[int, int]] = field(default_factory=set)  # (row, column), 1-based


def check_size(size: int) -> None:
    if size > settings.IMPORT_MAX_BYTES:
        raise FileRefused(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {
                "size": f"{size / 1024 / 1024:.1f}",
                "limit": f"{settings.IMPORT_MAX_BYTES / 1024 / 1024:.1f}",
            }
        )


def check_is_workbook(head: bytes) -> None:
    """The first bytes decide, not the file name: an .xlsx is a zip archive."""
    if not head.startswith(ZIP_MAGIC):
        raise FileRefused(
            _(
                "This file is not an Excel workbook (.xlsx). Save it from Excel or LibreOffice "
                "as .xlsx and upload it again."
            )
        )


def _not_xlsx() -> FileRefused:
    return FileRefused(
        _("This file is not an Excel workbook (.xlsx), or it is damaged. Use the template.")
    )


def _first_sheet_member(archive: zipfile.ZipFile) -> str:
    """The zip member holding the first worksheet, found through the workbook's relations."""
    try:
        workbook = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        raise _not_xlsx() from None
    sheet = re.search(rb"<(?:\w+:)?sheet\b[^>]*?\br:id=\"([^\"]+)\"", workbook)
    if not sheet:
        raise _not_xlsx()
    rel_id = re.escape(sheet.group(1))
    for rel in re.finditer(rb"<(?:\w+:)?Relationship\b[^>]*>", rels):
        tag = rel.group(0)
        if re.search(rb"\bId=\"" + rel_id + rb"\"", tag):
            target = re.search(rb"\bTarget=\"([^\"]+)\"", tag)
            if target:
                path = target.group(1).decode()
                if path.startswith("/"):
                    return path.lstrip("/")
                return str(PurePosixPath("xl") / path)
    raise _not_xlsx()


_CELL_WITH_FORMULA = re.compile(rb"<(?:\w+:)?c\b([^>]*)>\s*<(?:\w+:)?f\b")
_CELL_REF = re.compile(rb"\br=\"([A-Z]{1,3})([0-9]+)\"")


def _column_number(letters: bytes) -> int:
    number = 0
    for char in letters:
        number = number * 26 + (char - 64)
    return number


def formula_cells(sheet_xml: bytes) -> set[tuple[int, int]]:
    if b"<f" not in sheet_xml and b":f" not in sheet_xml:
        return set()
    found = set()
    for match in _CELL_WITH_FORMULA.finditer(sheet_xml):
        ref = _CELL_REF.search(match.group(1))
        if ref:
            found.add((int(ref.group(2)), _column_number(ref.group(1))))
    return found


def read_workbook(data: bytes) -> Sheet:
    check_size(len(data))
    check_is_workbook(data[:8])
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        inflated = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise _not_xlsx() from None
    if inflated > max(len(data), 1) * MAX_INFLATION:
        raise FileRefused(_("This file unpacks to an implausible size and was not opened."))
    member = _first_sheet_member(archive)
    try:
        formulas = formula_cells(archive.read(member))
    except KeyError:
        raise _not_xlsx() from None
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except (CalamineError, ValueError, OSError):
        raise _not_xlsx() from None
    return Sheet(rows=rows, formula_cells=formulas)
