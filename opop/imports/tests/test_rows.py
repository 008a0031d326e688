"""Row checks of the import: what is accepted, what is reported, and where."""

import datetime as dt

import pytest
from django.utils import timezone

from opop.imports.models import ImportJob
from opop.imports.tests.helpers import errors, issues, people_xlsx, person_row, run_import, xlsx
from opop.registry.models import Participation, Person

pytestmark = pytest.mark.django_db

DRY = ImportJob.Mode.DRY_RUN


def test_invalid_nik_is_reported_with_row_and_column(world):
    job = run_import(
        world,
        "people",
        people_xlsx(
            [
                person_row("357801150895000", "Kurang Satu Digit"),
                person_row("3578019908950001", "Tanggal Salah"),
                person_row("3578011508950005", "Benar"),
            ]
        ),
        mode=DRY,
    )
    assert job.status == ImportJob.Status.VALIDATED
    found = errors(job)
    assert [(row, column) for row, column, _ in found] == [(2, "NIK"), (3, "NIK")]
    assert "16" in found[0][2]
    assert (job.created_count, job.refused_count) == (1, 2)


def test_nik_and_typed_gender_or_birth_date_must_agree(world):
    job = run_import(
        world,
        "people",
        people_xlsx(
            [
                person_row("3578015508950006", "Siti", gender="L"),
                person_row("3578011508950005", "Ahmad", birth="16-08-1995"),
                person_row("3578011508950007", "Budi", gender="Laki-laki", birth="15-08-1995"),
            ]
        ),
        mode=DRY,
    )
    assert [(row, column) for row, column, _ in errors(job)] == [
        (2, "Jenis Kelamin"),
        (3, "Tanggal Lahir"),
    ]
    assert job.created_count == 1


def test_gender_and_birth_date_come_from_the_nik_when_empty(world):
    run_import(world, "people", people_xlsx([person_row("3578015508950006", "Siti Rahma")]))
    person = Person.objects.get(full_name="Siti Rahma")
    assert (person.gender, person.birth_date) == ("P", dt.date(1995, 8, 15))
    assert person.nik_masked == "3578••••••••0006" and "3578015508950006" not in person.nik_cipher


def test_nik_in_a_number_cell_is_read(world):
    job = run_import(world, "people", people_xlsx([person_row(3578011508950005, "Angka")]))
    assert job.created_count == 1 and not errors(job)


def test_unknown_province_prefix_is_a_warning_not_an_error(world):
    job = run_import(world, "people", people_xlsx([person_row("9978011508950005", "Baru")]))
    assert job.created_count == 1
    assert issues(job)[0][:2] == (2, "NIK")
    assert job.issues.get().level == "warning"


def test_duplicate_nik_in_the_file_reports_the_second_occurrence(world):
    job = run_import(
        world,
        "people",
        people_xlsx(
            [
                person_row("3578011508950005", "Pertama"),
                person_row("3578011508950007", "Lain"),
                person_row("3578011508950005", "Kedua"),
            ]
        ),
    )
    assert [(row, column) for row, column, _ in errors(job)] == [(4, "NIK")]
    assert "2" in errors(job)[0][2]
    assert Person.objects.filter(full_name="Pertama").exists()
    assert not Person.objects.filter(full_name="Kedua").exists()


def test_nik_already_in_the_register_updates_that_person(world):
    job = run_import(
        world,
        "people",
        people_xlsx([person_row("3578011508950001", "Ahmad Fauzi Baru", nspp="510035780001")]),
    )
    assert (job.created_count, job.updated_count) == (0, 1)
    world.person_a.refresh_from_db()
    assert world.person_a.full_name == "Ahmad Fauzi Baru"
    assert Person.objects.filter(programme=world.jatim).count() == 2


def test_duplicate_nspp_in_the_file_is_reported(world):
    headers = ["NSPP", "Nama Pesantren", "Kabupaten/Kota"]
    job = run_import(
        world,
        "pesantren",
        xlsx(
            headers,
            [
                ["510035780099", "Pesantren Satu", "Kota Surabaya"],
                ["510035780099", "Pesantren Dua", "Kota Surabaya"],
            ],
        ),
    )
    assert [(row, column) for row, column, _ in errors(job)] == [(3, "NSPP")]
    assert job.created_count == 1


def test_empty_rows_are_skipped_and_row_numbers_stay_those_of_excel(world):
    job = run_import(
        world,
        "people",
        people_xlsx(
            [
                person_row("3578011508950005", "Satu"),
                [None] * 13,
                ["  ", "", None, None, None, None, None, None, None, None, None, None, None],
                person_row("bukan nik", "Empat"),
            ]
        ),
        mode=DRY,
    )
    assert job.total_rows == 2
    assert [row for row, _, _ in errors(job)] == [5]


def test_formula_cells_are_reported_and_never_evaluated(world):
    rows = [person_row("3578011508950005", '=HYPERLINK("http://x","klik")')]
    data = people_xlsx(rows)
    job = run_import(world, "people", data, mode=DRY)
    assert [(row, column) for row, column, _ in errors(job)] == [(2, "Nama Lengkap")]
    assert "formula" in errors(job)[0][2].lower() or "rumus" in errors(job)[0][2].lower()


def test_a_formula_whose_cached_value_is_text_is_still_refused(world):
    # A formula cell as Excel saves it: the formula and the value it showed.
    data = people_xlsx([person_row("3578011508950005", "Nama")])
    data = _with_cached_formula(data, "B2", 'CONCAT("Na","ma")', "Nama")
    job = run_import(world, "people", data, mode=DRY)
    assert [(row, column) for row, column, _ in errors(job)] == [(2, "Nama Lengkap")]


def _with_cached_formula(data: bytes, ref: str, formula: str, value: str) -> bytes:
    import io
    import re
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(
                    rb'<c r="' + ref.encode() + rb'"[^>]*>.*?</c>',
                    f'<c r="{ref}" t="str"><f>{formula}</f><v>{value}</v></c>'.encode(),
                    content,
                )
            target.writestr(item, content)
    return out.getvalue()


def test_dates_as_text_in_usual_forms_and_as_excel_dates(world):
    births = ["15-08-1995", "15/08/1995", "1995-08-15", "15 Agustus 1995", dt.date(1995, 8, 15)]
    rows = [
        person_row(f"35780115089500{index + 10}", f"Orang {index}", birth=birth)
        for index, birth in enumerate(births)
    ]
    rows.append(person_row("3578011508950020", "Ragu", birth="08/15/1995"))
    job = run_import(world, "people", people_xlsx(rows))
    assert job.created_count == 5
    assert [(row, column) for row, column, _ in errors(job)] == [(7, "Tanggal Lahir")]


def test_messy_phones_and_regency_names_are_understood(world):
    rows = [
        person_row("3578011508950011", "A", phone="0812-3456-7890", regency="KOTA SURABAYA"),
        person_row("3517011508950012", "B", phone="+62 812 3456 7891", regency="Kab. Jombang"),
        person_row("3517011508950013", "C", phone=81234567892, regency="Kabupaten Jombang"),
        person_row("3517011508950014", "D", phone=" 0812 3456 7893 ", regency="  jombang "),
    ]
    job = run_import(world, "people", people_xlsx(rows))
    assert job.created_count == 4 and not errors(job)
    people = {p.full_name: p for p in Person.objects.filter(full_name__in=["A", "B", "C", "D"])}
    assert people["A"].regency_id == "35.78" and people["A"].phone == "+6281234567890"
    assert {people[n].regency_id for n in "BCD"} == {"35.17"}
    assert people["C"].phone == "+6281234567892"


def test_ambiguous_or_unknown_regency_and_bad_phone_are_reported(world):
    rows = [
        person_row("3578011508950011", "A", regency="Malang"),
        person_row("3578011508950012", "B", regency="Kota Banjarmasin"),
        person_row("3578011508950013", "C", phone="12345"),
    ]
    job = run_import(world, "people", people_xlsx(rows), mode=DRY)
    found = errors(job)
    assert [(row, column) for row, column, _ in found] == [
        (2, "Kabupaten/Kota"),
        (3, "Kabupaten/Kota"),
        (4, "No. HP"),
    ]
    assert "Kota Malang" in found[0][2] and "Kab. Malang" in found[0][2]


def test_minor_needs_a_guardian_and_consent_date(world):
    rows = [
        person_row("3578011508120001", "Santri Kecil"),
        person_row(
            "3578011508120002", "Santri Berwali", guardian="Bapak Wali", consent="01-07-2025"
        ),
    ]
    job = run_import(world, "people", people_xlsx(rows))
    assert [(row, column) for row, column, _ in errors(job)] == [(2, "Nama Wali")]
    person = Person.objects.get(full_name="Santri Berwali")
    assert timezone.localtime(person.guardian_consent_at).date() == dt.date(2025, 7, 1)


def test_pillar_participation_is_created_and_updated(world):
    row = person_row("3578011508950005", "Peserta", pillar="Santripreneur", year=2024)
    run_import(world, "people", people_xlsx([row]))
    person = Person.objects.get(full_name="Peserta")
    participation = Participation.objects.get(person=person)
    assert (participation.pillar, participation.cohort_year, participation.status) == (
        "santripreneur",
        2024,
        "active",
    )
    assert participation.regency_id == "35.78"
    row = person_row(
        "3578011508950005", "Peserta", pillar="Santripreneur", year=2024, status="Lulus"
    )
    job = run_import(world, "people", people_xlsx([row]))
    assert job.updated_count == 1
    participation.refresh_from_db()
    assert participation.status == "graduated"


def test_pillar_without_cohort_year_is_reported(world):
    row = person_row("3578011508950005", "Peserta", pillar="Sociopreneur")
    job = run_import(world, "people", people_xlsx([row]), mode=DRY)
    assert [(r, c) for r, c, _ in errors(job)] == [(2, "Tahun Angkatan")]


def test_officer_imports_only_rows_of_their_own_regency(world):
    rows = [
        person_row("3578011508950011", "Warga Surabaya", regency="Kota Surabaya"),
        person_row("3517011508950012", "Warga Jombang", regency="Kab. Jombang"),
        # Siti Aminah is registered in Jombang: an officer of Surabaya may not take her over.
        person_row("3517015208970002", "Siti Aminah", regency="Kota Surabaya"),
    ]
    job = run_import(world, "people", people_xlsx(rows), persona="officer")
    assert (job.created_count, job.refused_count) == (1, 2)
    assert [(r, c) for r, c, _ in errors(job)] == [(3, "Kabupaten/Kota"), (4, "NIK")]
    world.person_b.refresh_from_db()
    assert world.person_b.regency_id == "35.17"
    assert not Person.objects.filter(full_name="Warga Jombang").exists()


def test_valid_only_imports_the_good_rows_and_reports_the_rest(world):
    rows = [person_row("3578011508950011", "Baik"), person_row("salah", "Buruk")]
    job = run_import(world, "people", people_xlsx(rows), mode=ImportJob.Mode.VALID_ONLY)
    assert job.status == ImportJob.Status.DONE
    assert (job.created_count, job.refused_count) == (1, 1)
    assert Person.objects.filter(full_name="Baik").exists()


def test_all_or_nothing_imports_nothing_when_a_row_is_wrong(world):
    rows = [person_row("3578011508950011", "Baik"), person_row("salah", "Buruk")]
    job = run_import(world, "people", people_xlsx(rows), mode=DRY)
    from opop.imports.services import import_job_commit, import_job_run

    import_job_commit(actor=world.user("admin"), job=job, mode="all_or_nothing")
    job = import_job_run(job_id=job.pk)
    assert job.status == ImportJob.Status.REJECTED
    assert (job.created_count, job.refused_count) == (0, 1)
    assert not Person.objects.filter(full_name="Baik").exists()
    assert [(r, c) for r, c, _ in errors(job)] == [(3, "NIK")]


def test_all_or_nothing_imports_everything_when_all_rows_are_valid(world):
    rows = [person_row("3578011508950011", "Satu"), person_row("3578011508950012", "Dua")]
    job = run_import(world, "people", people_xlsx(rows), mode=ImportJob.Mode.ALL_OR_NOTHING)
    assert job.status == ImportJob.Status.DONE and job.created_count == 2


def test_one_audit_row_per_job_and_history_for_each_changed_record(world):
    from opop.common.models import AuditEvent

    rows = [person_row("3578011508950011", "Satu"), person_row("3578011508950012", "Dua")]
    job = run_import(world, "people", people_xlsx(rows))
    job_events = AuditEvent.objects.filter(target_type="imports.importjob", target_id=job.pk)
    assert job_events.count() == 1
    assert job_events.get().changes["created"] == 2
    assert job_events.get().actor == world.user("admin")
    rows[0] = person_row("3578011508950011", "Satu Berubah")
    run_import(world, "people", people_xlsx(rows))
    person = Person.objects.get(full_name="Satu Berubah")
    event = AuditEvent.objects.get(target_type="registry.person", target_id=person.pk)
    assert event.action == "update" and event.changes["full_name"] == ["Satu", "Satu Berubah"]
