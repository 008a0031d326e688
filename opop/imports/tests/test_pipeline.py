"""On PostgreSQL a commit outside a caller's transaction writes in a second thread while the
next chunk is checked. These tests run it for real (committed transactions), chunk by chunk."""

import pytest
from django.db import connection

from opop.imports import runner
from opop.imports.models import ImportJob
from opop.imports.tests.helpers import errors, people_xlsx, person_row, run_import
from opop.registry.models import Participation, Person

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the pipeline is PostgreSQL only"),
]


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(runner, "CHUNK", 2)


def _rows():
    return [
        person_row("3578011508950011", "Satu", pillar="Santripreneur", year=2024),
        person_row("3578011508950012", "Dua"),
        person_row("salah", "Tiga"),
        person_row("3578011508950014", "Empat"),
        person_row("3578011508950015", "Lima"),
    ]


def test_valid_only_commit_in_chunks_writes_every_valid_row(regions_restored, world, small_chunks):
    job = run_import(world, "people", people_xlsx(_rows()), mode="valid_only")
    assert (job.status, job.created_count, job.refused_count) == ("done", 4, 1)
    assert [(r, c) for r, c, _ in errors(job)] == [(4, "NIK")]
    assert Person.objects.filter(full_name__in=["Satu", "Dua", "Empat", "Lima"]).count() == 4
    assert Participation.objects.filter(person__full_name="Satu").count() == 1
    again = run_import(world, "people", people_xlsx(_rows()), mode="valid_only")
    assert (again.created_count, again.unchanged_count) == (0, 4)


def test_all_or_nothing_in_chunks_rolls_everything_back(regions_restored, world, small_chunks):
    job = run_import(world, "people", people_xlsx(_rows()), mode="all_or_nothing")
    assert (job.status, job.created_count, job.refused_count) == ("rejected", 0, 1)
    assert not Person.objects.filter(full_name__in=["Satu", "Dua", "Empat", "Lima"]).exists()


def test_a_failing_chunk_rolls_back_whole_and_a_rerun_finishes(
    regions_restored, world, small_chunks, monkeypatch
):
    real = runner.write_rows
    names = ["Satu", "Dua", "Empat", "Lima"]

    def failing(**kwargs):
        if any(row.data.get("full_name") == "Empat" for row in kwargs["rows"]):
            raise RuntimeError("database went away")
        return real(**kwargs)

    monkeypatch.setattr(runner, "write_rows", failing)
    job = run_import(world, "people", people_xlsx(_rows()), mode="valid_only")
    assert job.status == ImportJob.Status.FAILED and job.file_error
    stored = set(Person.objects.filter(full_name__in=names).values_list("full_name", flat=True))
    # The chunk holding rows 4-5 rolled back whole; the first chunk is in; the job's counters
    # match what was committed (the last chunk may or may not have been written before the stop).
    assert "Empat" not in stored and {"Satu", "Dua"} <= stored
    assert job.created_count == len(stored)
    monkeypatch.setattr(runner, "write_rows", real)
    rerun = run_import(world, "people", people_xlsx(_rows()), mode="valid_only")
    assert (rerun.created_count, rerun.unchanged_count) == (4 - len(stored), len(stored))
    assert Person.objects.filter(full_name__in=names).count() == 4
