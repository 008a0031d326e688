"""`manage.py import_registry`: the same report as the pages, and an exit code to script on."""

import pytest
from django.core.management import CommandError, call_command

from opop.imports.models import ImportJob
from opop.imports.tests.helpers import people_xlsx, person_row
from opop.registry.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def sheet(tmp_path):
    def write(rows, name="people.xlsx"):
        path = tmp_path / name
        path.write_bytes(people_xlsx(rows))
        return path

    return write


def test_command_imports_and_prints_the_row_report_and_summary(world, sheet, capsys):
    path = sheet([person_row("3578011508950011", "Dari Shell"), person_row("salah", "Rusak")])
    call_command("import_registry", "people", str(path), "--programme", "jatim")
    out = capsys.readouterr().out
    assert "3\tNIK\terror\t" in out
    assert "created 1" in out and "refused 1" in out
    assert Person.objects.filter(full_name="Dari Shell").exists()
    job = ImportJob.objects.get()
    assert (job.created_by, job.mode, job.status) == (None, "valid_only", "done")


def test_command_dry_run_saves_nothing(world, sheet, capsys):
    path = sheet([person_row("3578011508950011", "Coba")])
    call_command("import_registry", "people", str(path), "--programme", "jatim", "--dry-run")
    assert "to create 1" in capsys.readouterr().out
    assert not Person.objects.filter(full_name="Coba").exists()


def test_command_exits_non_zero_when_nothing_could_be_imported(world, sheet):
    path = sheet([person_row("salah", "Rusak")])
    with pytest.raises(CommandError) as raised:
        call_command(
            "import_registry",
            "people",
            str(path),
            "--programme",
            "jatim",
            "--mode",
            "all-or-nothing",
        )
    assert raised.value.returncode == 1


def test_command_refuses_a_file_that_is_not_a_workbook(world, tmp_path):
    path = tmp_path / "data.xlsx"
    path.write_text("NIK,Nama\n")
    with pytest.raises(CommandError, match="xlsx"):
        call_command("import_registry", "people", str(path), "--programme", "jatim")


def test_command_applies_the_actors_scope(world, sheet, capsys):
    path = sheet([person_row("3517011508950012", "Warga Jombang", regency="Kab. Jombang")])
    with pytest.raises(CommandError):
        call_command(
            "import_registry",
            "people",
            str(path),
            "--programme",
            "jatim",
            "--actor",
            world.user("officer").email,
        )
    assert "kabupaten/kota" in capsys.readouterr().out
    with pytest.raises(CommandError, match="may not import"):
        call_command(
            "import_registry",
            "people",
            str(path),
            "--programme",
            "jatim",
            "--actor",
            world.user("auditor").email,
        )
