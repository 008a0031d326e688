import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from opop.common.models import AuditEvent
from opop.logistics.models import Tariff
from opop.logistics.services import tariffs_import
from opop.logistics.tests.helpers import tariff, xlsx

pytestmark = pytest.mark.django_db

GOOD = [
    ("35.78", "35.17", 9000, 4000, 2),
    ("35.78", "35.78", "Rp6.000", "2.000", 1),
    ("35.17", "63.71", 25000.0, 12000, ""),
]


def run(world, upload, dry_run=False, programme=None):
    return tariffs_import(
        actor=world.user("admin"),
        programme=programme or world.jatim,
        upload=upload,
        dry_run=dry_run,
    )


def table(programme):
    return sorted(
        Tariff.objects.filter(programme=programme).values_list(
            "origin_id", "destination_id", "first_kg", "next_kg", "days"
        )
    )


def test_import_writes_every_route(world):
    report = run(world, xlsx(GOOD))
    assert report.ok and report.committed
    assert (report.rows, report.created) == (3, 3)
    assert table(world.jatim) == [
        ("35.17", "63.71", 25000, 12000, 3),
        ("35.78", "35.17", 9000, 4000, 2),
        ("35.78", "35.78", 6000, 2000, 1),
    ]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).count() == 1


def test_dry_run_reports_and_writes_nothing(world):
    report = run(world, xlsx(GOOD), dry_run=True)
    assert report.ok and not report.committed
    assert report.created == 3
    assert not Tariff.objects.exists()


def test_bad_rows_are_reported_with_row_numbers_and_columns(world):
    rows = [
        ("35.78", "35.17", 9000, 4000, 2),  # row 2: good
        ("99.99", "35.17", 9000, 4000, 2),  # row 3: unknown origin
        ("35.78", "35", "abc", 4000, 2),  # row 4: province code, bad first kg
        ("63.71", "35.17", 9000, 4000, 2),  # row 5: origin outside the programme
        ("35.78", "35.17", 9000, 4000, 2),  # row 6: repeats row 2
        ("35.78", "35.15", 9000, 4000, 99),  # row 7: days out of range
    ]
    report = run(world, xlsx(rows), dry_run=True)
    found = {(e.row, e.column) for e in report.errors}
    assert found == {
        (3, "origin code"),
        (4, "destination code"),
        (4, "first kg"),
        (5, "origin code"),
        (6, "destination code"),
        (7, "days"),
    }
    assert not Tariff.objects.exists()


def test_one_bad_row_imports_nothing(world):
    tariff(world.jatim, first_kg=1000, next_kg=500)
    report = run(world, xlsx([*GOOD, ("35.78", "35.16", -5, 1000, 2)]))
    assert not report.ok and not report.committed
    assert report.errors[0].row == 5
    assert table(world.jatim) == [("35.78", "35.17", 1000, 500, 2)]


def test_reimport_updates_by_route_without_duplicates(world):
    run(world, xlsx(GOOD))
    again = run(world, xlsx(GOOD))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    changed = run(world, xlsx([("35.78", "35.17", 9500, 4000, 2)]))
    assert (changed.created, changed.updated) == (0, 1)
    assert Tariff.objects.filter(programme=world.jatim).count() == 3
    assert ("35.78", "35.17", 9500, 4000, 2) in table(world.jatim)


def test_missing_columns_refuse_the_file(world):
    report = run(world, xlsx([("35.78", "35.17")], headers=("origin code", "destination code")))
    assert "first kg" in report.file_error
    assert not Tariff.objects.exists()


def test_indonesian_headers_are_understood(world):
    headers = ("Kode Asal", "Kode Tujuan", "KG Pertama", "KG Berikutnya", "Hari")
    assert run(world, xlsx(GOOD[:1], headers=headers)).committed


def test_a_file_that_is_not_a_workbook_is_refused(world):
    upload = SimpleUploadedFile("tariffs.xlsx", b"origin,destination\n35.78,35.17\n")
    report = run(world, upload)
    assert report.file_error
    assert not Tariff.objects.exists()


def test_formula_cells_are_refused(world):
    report = run(world, xlsx([("35.78", "35.17", "=2*4500", 4000, 2)]), dry_run=True)
    assert [(e.row, e.column) for e in report.errors] == [(2, "first kg")]


def test_programmes_keep_their_own_tables(world):
    run(world, xlsx(GOOD))
    report = run(world, xlsx([("63.71", "35.78", 30000, 15000, 4)]), programme=world.kalsel)
    assert report.committed
    assert table(world.kalsel) == [("63.71", "35.78", 30000, 15000, 4)]
    assert len(table(world.jatim)) == 3
