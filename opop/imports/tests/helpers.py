"""Building test workbooks in code, and running imports the way the pages and the shell do."""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from openpyxl import Workbook

from opop.imports.models import ImportJob
from opop.imports.services import import_job_commit, import_job_create, import_job_run

PEOPLE_HEADERS = [
    "NIK",
    "Nama Lengkap",
    "Jenis Kelamin",
    "Tanggal Lahir",
    "No. HP",
    "Kabupaten/Kota",
    "Kecamatan",
    "NSPP Pesantren",
    "Nama Wali",
    "Tanggal Persetujuan Wali",
    "Pilar",
    "Tahun Angkatan",
    "Status Pilar",
]


def xlsx(headers, rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def person_row(nik, name, **values):
    """A people row in PEOPLE_HEADERS order; keyword names are the headers' first words."""
    row = dict.fromkeys(PEOPLE_HEADERS, None)
    row["NIK"], row["Nama Lengkap"] = nik, name
    row["Kabupaten/Kota"] = values.pop("regency", "Kota Surabaya")
    for key, header in (
        ("gender", "Jenis Kelamin"),
        ("birth", "Tanggal Lahir"),
        ("phone", "No. HP"),
        ("district", "Kecamatan"),
        ("nspp", "NSPP Pesantren"),
        ("guardian", "Nama Wali"),
        ("consent", "Tanggal Persetujuan Wali"),
        ("pillar", "Pilar"),
        ("year", "Tahun Angkatan"),
        ("status", "Status Pilar"),
    ):
        if key in values:
            row[header] = values.pop(key)
    assert not values, values
    return [row[h] for h in PEOPLE_HEADERS]


def people_xlsx(rows) -> bytes:
    return xlsx(PEOPLE_HEADERS, rows)


def run_import(world, register, data, *, mode="valid_only", persona="admin", name="data.xlsx"):
    """Upload, dry-run and (unless mode is dry_run) commit, as the pages do; returns the job."""
    user = world.user(persona)
    membership = user.memberships.get()
    job = import_job_create(
        actor=user,
        programme=membership.programme,
        register=register,
        upload=ContentFile(data, name=name),
        scope_regency=membership.regency_id,
        enqueue=False,
    )
    job = import_job_run(job_id=job.pk)
    if mode != ImportJob.Mode.DRY_RUN and job.status == ImportJob.Status.VALIDATED:
        import_job_commit(actor=user, job=job, mode=mode)
        job = import_job_run(job_id=job.pk)
    job.refresh_from_db()
    return job


def issues(job):
    return [(i.row, i.column, i.message) for i in job.issues.order_by("level", "row", "id")]


def errors(job):
    return [(i.row, i.column, i.message) for i in job.issues.filter(level="error")]
