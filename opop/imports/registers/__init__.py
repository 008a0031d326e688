"""What each register's spreadsheet holds and what makes a row valid. Reads only; the writes are in
`opop.imports.writes`.

A register declares its columns (fixed Indonesian headers, so a file reads the same whatever
language the uploader's screen is in), cleans one row at a time in plain Python against lookups
prepared once per job (regions, pesantren by NSPP, …), and resolves a chunk of rows against the
database with one or two `IN` queries: which rows create a record, which change one, which change
nothing, and which are refused (another kab/kota, a key owned by another record).

`base.py` holds the row, the outcomes and the `Register` base class, `columns.py` the columns and
header matching, `context.py` the per-job lookups, and one module per register.
"""

from __future__ import annotations

from typing import Any

from opop.imports.registers.base import CREATED, REFUSED, UNCHANGED, UPDATED, Register, Row
from opop.imports.registers.columns import Column, header_key
from opop.imports.registers.context import Context
from opop.imports.registers.cooperatives import CooperativeRegister
from opop.imports.registers.enterprises import EnterpriseRegister
from opop.imports.registers.people import PeopleRegister
from opop.imports.registers.pesantren import PesantrenRegister

__all__ = [
    "CREATED",
    "REFUSED",
    "REGISTERS",
    "UNCHANGED",
    "UPDATED",
    "Column",
    "Context",
    "CooperativeRegister",
    "EnterpriseRegister",
    "PeopleRegister",
    "PesantrenRegister",
    "Register",
    "Row",
    "header_key",
    "register_choices",
]

REGISTERS: dict[str, Register] = {
    register.code: register
    for register in (
        PesantrenRegister(),
        CooperativeRegister(),
        PeopleRegister(),
        EnterpriseRegister(),
    )
}


def register_choices() -> list[tuple[str, Any]]:
    return [(code, register.label) for code, register in REGISTERS.items()]
