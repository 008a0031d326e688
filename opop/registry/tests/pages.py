"""Helpers for the registry page tests."""

from __future__ import annotations

import io

from django.urls import reverse
from openpyxl import load_workbook

REGISTERS = ["pesantren", "cooperative", "person", "enterprise"]
# The world's record of each register in pesantren A (Surabaya) and pesantren B (Jombang).
RECORD_A = {
    "pesantren": "pesantren_a",
    "cooperative": "coop_a",
    "person": "person_a",
    "enterprise": "enterprise_a",
}
RECORD_B = {
    "pesantren": "pesantren_b",
    "cooperative": "coop_b",
    "person": "person_b",
    "enterprise": "enterprise_b",
}
NEW_NIK = "3578014107050003"  # woman born 01-07-2005, Kota Surabaya
MINOR_NIK = "3578011203150004"  # boy born 12-03-2015


def url(name: str, *args) -> str:
    return reverse(f"registry:{name}", args=args)


def html(response) -> str:
    return response.content.decode()


def person_post(**changes) -> dict:
    data = {
        "full_name": "Nur Laila",
        "nik": NEW_NIK,
        "gender": "",
        "birth_date": "",
        "phone": "0812-3456-7890",
        "email": "laila@example.id",
        "address": "Jl. Kenanga 3",
        "regency": "35.78",
        "district": "35.78.01",
        "affiliation": "santri",
        "consent": "on",
        "consent_purpose": "OPOP",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def pesantren_post(**changes) -> dict:
    data = {
        "name": "Pondok Pesantren Nurul Huda",
        "nspp": "5100.3578.0099",
        "kind": "salaf",
        "regency": "35.78",
        "district": "35.78.01",
        "phone": "+62 812-3456-7890",
        "status": "active",
    }
    data.update(changes)
    return data


def xlsx_rows(response) -> list[list]:
    assert response.status_code == 200, response.content[:500]
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    return [list(row) for row in book.active.iter_rows(values_only=True)]
