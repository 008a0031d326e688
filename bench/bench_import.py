"""Benchmark of the spreadsheet import: a 100,000-row people workbook, read bare by python-calamine
and by openpyxl (the baseline), then imported for real (dry run, commit, and a second import of
the same file, which finds every row unchanged).

`run(scale, programme_code)` returns one dict per measurement:
`{"name", "scale", "rows", "rows_per_s", "seconds"}`. Called by `bench/run.py`; on its own:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/opop_bench_import \\
        .venv/bin/python bench/bench_import.py --scale medium

The workbook is generated deterministically (fixed seed) with valid NIKs and the messy formats
real files hold: NIK as text or as a number cell, phones as `0812-3456-7890`, `+62 812 …` or a
number that lost its 0, dates as Excel dates or text in four forms, kab/kota as `Kab. X`,
`Kabupaten X`, `KOTA Y`, pillar columns on most rows. The file has 100,000 rows at every scale
(the issue's benchmark); `BENCH_IMPORT_ROWS` changes that for a quick try. What the benchmark
imported is deleted afterwards, so other benchmarks see the database as seeded.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import random
import sys
import time
from pathlib import Path

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
SEED = 20250817
# Serial numbers from 5001 on keep the benchmark's NIKs apart from seeded people (low serials).
SERIAL_BASE = 5000
DAYS = 12000  # birth dates from 1970-01-01 on: every generated person is an adult
MONTHS_ID = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]


def _setup_django() -> None:
    root = Path(__file__).resolve().parent.parent
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()


def _programme(programme_code: str):
    from opop.programmes.models import Programme
    from opop.regions.models import Region
    from opop.regions.services import regions_load

    if not Region.objects.filter(code="35").exists():
        regions_load()
    programme = Programme.objects.filter(code=programme_code).first()
    if programme is None:
        programme = Programme.objects.create(
            code=programme_code, name="OPOP Jawa Timur", province_id="35", started_year=2019
        )
    return programme


def _regencies(province: str) -> list[tuple[str, list[str], list[tuple[str, str]]]]:
    """(code, ways people write its name, its kecamatan) for each kab/kota of the province."""
    from opop.regions.models import Region

    out = []
    for regency in Region.objects.filter(parent_id=province, level=2).order_by("code"):
        bare = regency.name.split(" ", 1)[1]
        districts = list(
            Region.objects.filter(parent_id=regency.code)
            .order_by("code")
            .values_list("code", "name")
        )
        if regency.kind == "kota":
            spellings = [f"Kota {bare}", f"KOTA {bare.upper()}", f"  kota {bare.lower()} "]
        else:
            spellings = [f"Kab. {bare}", f"Kabupaten {bare}", f"KABUPATEN {bare.upper()}"]
        out.append((regency.code, spellings, districts))
    return out


def _phone(rng: random.Random):
    number = f"812{rng.randrange(10_000_000, 99_999_999)}"
    match rng.randrange(4):
        case 0:
            return f"0{number[:3]}-{number[3:7]}-{number[7:]}"
        case 1:
            return f"+62 {number[:3]} {number[3:7]} {number[7:]}"
        case 2:
            return int(number)  # a number cell that lost its leading 0
        case _:
            return f"0{number}"


def _birth_cell(rng: random.Random, birth: dt.date):
    match rng.randrange(6):
        case 0:
            return birth  # an Excel date cell
        case 1:
            return birth.strftime("%d-%m-%Y")
        case 2:
            return birth.strftime("%d/%m/%Y")
        case 3:
            return birth.isoformat()
        case 4:
            return f"{birth.day} {MONTHS_ID[birth.month - 1]} {birth.year}"
        case _:
            return None  # taken from the NIK


def people_workbook(province: str, rows: int = ROWS) -> tuple[bytes, list[str]]:
    """The workbook and the NIKs it holds; the same bytes for the same arguments."""
    from openpyxl import Workbook

    from opop.imports.registers import REGISTERS

    rng = random.Random(SEED)
    regencies = _regencies(province)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Data")
    sheet.append([column.header for column in REGISTERS["people"].columns])
    niks = []
    epoch = dt.date(1970, 1, 1)
    for i in range(rows):
        code, spellings, districts = regencies[i % len(regencies)]
        district_code, district_name = districts[rng.randrange(len(districts))]
        birth = epoch + dt.timedelta(days=i % DAYS)
        female = rng.random() < 0.5
        day = birth.day + (40 if female else 0)
        serial = SERIAL_BASE + 1 + i // DAYS
        nik = f"{district_code.replace('.', '')}{day:02d}{birth:%m%y}{serial:04d}"
        niks.append(nik)
        pillar = rng.random()
        sheet.append(
            [
                int(nik) if i % 3 == 0 else nik,
                f"  Peserta Bench {i} " if i % 7 == 0 else f"Peserta Bench {i}",
                ("P" if female else "L") if i % 4 == 0 else None,
                _birth_cell(rng, birth),
                "Surabaya" if i % 5 == 0 else None,
                _phone(rng),
                f"peserta{i}@contoh.id" if i % 10 == 0 else None,
                f"Jl. Pesantren No. {i % 200 + 1}",
                spellings[i % len(spellings)],
                district_name if i % 10 == 0 else None,
                None,
                ("Santri", "Alumni", "Ustadz", "Masyarakat")[i % 4],
                None,
                None,
                None,
                "Santripreneur" if pillar < 0.6 else ("Sociopreneur" if pillar < 0.7 else None),
                2019 + i % 7 if pillar < 0.7 else None,
                ("Aktif", "Kandidat", "Lulus", None)[i % 4] if pillar < 0.7 else None,
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), niks


def _measure(name: str, scale: str, rows: int, seconds: float) -> dict:
    return {
        "name": name,
        "scale": scale,
        "rows": rows,
        "rows_per_s": round(rows / seconds) if seconds else None,
        "seconds": round(seconds, 3),
    }


def _forget(programme, niks: list[str], job_ids: list[int]) -> None:
    """Delete what the benchmark imported (people, their pillar rows, history, jobs)."""
    from django.db import transaction

    from opop.common import pii
    from opop.common.models import AuditEvent
    from opop.imports.models import ImportJob
    from opop.registry.models import Participation, Person

    hashes = [pii.nik_hash(nik) for nik in niks]
    with transaction.atomic():
        for start in range(0, len(hashes), 5000):
            ids = list(
                Person.objects.filter(
                    programme=programme, nik_hash__in=hashes[start : start + 5000]
                ).values_list("id", flat=True)
            )
            if not ids:
                continue
            Participation.objects.filter(person_id__in=ids).delete()
            AuditEvent.objects.filter(target_type="registry.person", target_id__in=ids).delete()
            Person.objects.filter(id__in=ids).delete()
        for job in ImportJob.objects.filter(pk__in=job_ids):
            job.file.delete(save=False)
            AuditEvent.objects.filter(target_type="imports.importjob", target_id=job.pk).delete()
            job.delete()
    _vacuum()


def _vacuum() -> None:
    """Clear the dead rows the deletes left (autovacuum may be off, as on this machine's
    PostgreSQL), so each run measures the same table rather than a growing heap of them."""
    from django.db import connection

    from opop.common.models import AuditEvent
    from opop.imports.models import ImportIssue
    from opop.registry.models import Participation, Person

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (Person, Participation, AuditEvent, ImportIssue):
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _import(programme, data: bytes) -> tuple[float, float, object]:
    from django.core.files.base import ContentFile

    from opop.imports.models import ImportJob
    from opop.imports.services import import_job_commit, import_job_create, import_job_run

    started = time.perf_counter()
    job = import_job_create(
        actor=None,
        programme=programme,
        register="people",
        upload=ContentFile(data, name="bench-people.xlsx"),
        enqueue=False,
    )
    job = import_job_run(job_id=job.pk)
    dry = time.perf_counter() - started
    assert job.status == ImportJob.Status.VALIDATED, (job.status, job.file_error)
    started = time.perf_counter()
    import_job_commit(actor=None, job=job, mode=ImportJob.Mode.VALID_ONLY)
    job = import_job_run(job_id=job.pk)
    commit = time.perf_counter() - started
    assert job.status == ImportJob.Status.DONE, (job.status, job.file_error)
    return dry, commit, job


def run(scale: str, programme_code: str = "jatim") -> list[dict]:
    from django.conf import settings
    from openpyxl import load_workbook
    from python_calamine import CalamineWorkbook

    programme = _programme(programme_code)
    data, niks = people_workbook(programme.province_id, ROWS)
    rows = len(niks)
    debug, settings.DEBUG = settings.DEBUG, False  # no query log eating memory
    limit = settings.IMPORT_MAX_BYTES
    settings.IMPORT_MAX_BYTES = max(limit, len(data) + 1)
    results = []
    try:
        started = time.perf_counter()
        read = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
        results.append(
            _measure("import_read_calamine", scale, len(read) - 1, time.perf_counter() - started)
        )
        del read
        started = time.perf_counter()
        workbook = load_workbook(io.BytesIO(data), read_only=True)
        count = sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True)) - 1
        workbook.close()
        results.append(
            _measure("import_read_openpyxl", scale, count, time.perf_counter() - started)
        )

        _forget(programme, niks, [])
        dry, commit, job = _import(programme, data)
        assert job.created_count == rows, (job.created_count, job.refused_count)
        results.append(_measure("import_people_dry_run", scale, rows, dry))
        results.append(_measure("import_people_commit", scale, rows, commit))
        results.append(_measure("import_people_full", scale, rows, dry + commit))
        again_dry, again_commit, again = _import(programme, data)
        assert again.unchanged_count == rows, (again.unchanged_count, again.updated_count)
        results.append(_measure("import_people_reimport", scale, rows, again_dry + again_commit))
        _forget(programme, niks, [job.pk, again.pk])
    finally:
        settings.DEBUG = debug
        settings.IMPORT_MAX_BYTES = limit
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--scale", default="medium")
    parser.add_argument("--programme", default="jatim")
    args = parser.parse_args()
    _setup_django()
    for result in run(args.scale, args.programme):
        print(json.dumps(result))


if __name__ == "__main__":
    main()
