"""The import pages: templates, upload, progress, report, commit, the file, and who may see them."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from python_calamine import CalamineWorkbook

from opop.imports.models import ImportJob
from opop.imports.registers import REGISTERS
from opop.imports.tests.helpers import people_xlsx, person_row, run_import, xlsx
from opop.registry.models import Person

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def _upload(client, capture, data, register="people", name="data.xlsx"):
    with capture(execute=True):
        return client.post(
            reverse("imports:upload"),
            {"register": register, "file": SimpleUploadedFile(name, data)},
        )


def _commit(client, capture, job, mode="valid_only"):
    with capture(execute=True):
        return client.post(reverse("imports:commit", args=[job.pk]), {"mode": mode})


@pytest.mark.parametrize("register", sorted(REGISTERS))
def test_template_has_the_registers_headers_and_a_help_sheet(world, register):
    response = world.client("admin").get(reverse("imports:template", args=[register]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert workbook.sheet_names == ["Data", "Petunjuk"]
    headers = workbook.get_sheet_by_index(0).to_python()[0]
    assert headers == [column.header for column in REGISTERS[register].columns]
    help_rows = workbook.get_sheet_by_index(1).to_python()
    described = {row[0] for row in help_rows}
    assert set(headers) <= described


def test_people_template_has_the_pillar_columns(world):
    headers = [c.header for c in REGISTERS["people"].columns]
    assert {"Pilar", "Tahun Angkatan", "Status Pilar", "NIK"} <= set(headers)


def test_a_filled_in_template_imports(world, django_capture_on_commit_callbacks):
    from openpyxl import load_workbook

    client = world.client("admin")
    template = client.get(reverse("imports:template", args=["people"])).content
    workbook = load_workbook(io.BytesIO(template))
    workbook["Data"].append(["3578011508950011", "Dari Template"])
    workbook["Data"]["I2"] = "Kota Surabaya"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = _upload(client, django_capture_on_commit_callbacks, buffer.getvalue())
    job = ImportJob.objects.get()
    assert response.status_code == 302, response.content
    assert (job.status, job.created_count) == ("validated", 1), list(
        job.issues.values_list("message", flat=True)
    )


def test_upload_dry_run_then_commit_through_the_pages(world, django_capture_on_commit_callbacks):
    client = world.client("admin")
    data = people_xlsx([person_row("3578011508950011", "Lewat Halaman"), person_row("x", "Salah")])
    response = _upload(client, django_capture_on_commit_callbacks, data)
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("imports:detail", args=[job.pk])
    assert job.status == ImportJob.Status.VALIDATED
    assert not Person.objects.filter(full_name="Lewat Halaman").exists()
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert b"NIK" in page.content and b'value="valid_only"' in page.content
    _commit(client, django_capture_on_commit_callbacks, job)
    job.refresh_from_db()
    assert (job.status, job.created_count, job.refused_count) == ("done", 1, 1)
    assert Person.objects.filter(full_name="Lewat Halaman").count() == 1


def test_posting_commit_twice_imports_once(world, django_capture_on_commit_callbacks):
    client = world.client("admin")
    data = people_xlsx([person_row("3578011508950011", "Sekali Saja")])
    _upload(client, django_capture_on_commit_callbacks, data)
    job = ImportJob.objects.get()
    _commit(client, django_capture_on_commit_callbacks, job)
    second = _commit(client, django_capture_on_commit_callbacks, job, mode="all_or_nothing")
    assert second.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.mode, job.created_count) == ("done", "valid_only", 1)
    assert Person.objects.filter(full_name="Sekali Saja").count() == 1
    from opop.common.models import AuditEvent

    assert AuditEvent.objects.filter(target_type="imports.importjob", target_id=job.pk).count() == 1


def test_commit_is_a_single_state_change(world):
    from opop.imports.services import import_job_commit

    job = run_import(
        world, "people", people_xlsx([person_row("3578011508950011", "A")]), mode="dry_run"
    )
    _, first = import_job_commit(actor=world.user("admin"), job=job, mode="valid_only")
    _, second = import_job_commit(actor=world.user("admin"), job=job, mode="valid_only")
    assert (first, second) == (True, False)


def test_file_over_the_size_limit_is_refused(world, settings, django_capture_on_commit_callbacks):
    settings.IMPORT_MAX_BYTES = 1000
    data = people_xlsx([person_row("3578011508950011", "Besar")] * 20)
    assert len(data) > 1000
    response = _upload(world.client("admin"), django_capture_on_commit_callbacks, data)
    assert response.status_code == 400
    assert b"MB" in response.content
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("content", [PNG, b"NIK;Nama\n3578011508950011;Teks\n"])
def test_a_file_that_is_not_a_spreadsheet_is_refused_by_content(
    world, content, django_capture_on_commit_callbacks
):
    response = _upload(world.client("admin"), django_capture_on_commit_callbacks, content)
    assert response.status_code == 400
    assert b"xlsx" in response.content
    assert not ImportJob.objects.exists()


def test_a_zip_that_is_not_a_workbook_fails_with_a_message(world):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    job = run_import(world, "people", buffer.getvalue(), mode="dry_run")
    assert job.status == ImportJob.Status.FAILED
    assert "xlsx" in job.file_error


def test_wrong_headers_name_the_missing_and_unknown_columns(world):
    data = xlsx(
        ["Nomor KTP", "Nama Lengkap", "Kabupaten/Kota", "Hobi"], [["1", "A", "Kota Surabaya", "x"]]
    )
    job = run_import(world, "people", data, mode="dry_run")
    assert job.status == ImportJob.Status.FAILED
    assert "NIK" in job.file_error and "Nomor KTP" in job.file_error and "Hobi" in job.file_error


def test_wrong_register_is_recognised(world):
    data = xlsx(
        ["NSPP", "Nama Pesantren", "Kabupaten/Kota"], [["510035780099", "X", "Kota Surabaya"]]
    )
    job = run_import(world, "people", data, mode="dry_run")
    assert job.status == ImportJob.Status.FAILED
    assert "Pesantren" in job.file_error


def test_progress_fragment_polls_while_running_and_refreshes_when_done(world):
    job = run_import(
        world, "people", people_xlsx([person_row("3578011508950011", "A")]), mode="dry_run"
    )
    client = world.client("admin")
    url = reverse("imports:progress", args=[job.pk])
    done = client.get(url, HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"
    ImportJob.objects.filter(pk=job.pk).update(status="committing", processed_rows=1, total_rows=4)
    running = client.get(url, HTTP_HX_REQUEST="true")
    assert b'hx-trigger="every 1s"' in running.content and b"25%" in running.content


def test_long_reports_are_paginated_with_errors_first(world):
    rows = [person_row("3578011508950011", "Baik", phone="12")] + [
        person_row(f"salah{i}", f"Salah {i}") for i in range(60)
    ]
    job = run_import(world, "people", people_xlsx(rows), mode="dry_run")
    page = world.client("admin").get(reverse("imports:detail", args=[job.pk]))
    assert page.content.count(b"table-danger") == 50
    assert b"1 / 2" in page.content


def test_uploaded_file_is_served_to_the_uploader_only(world, django_capture_on_commit_callbacks):
    data = people_xlsx([person_row("3578011508950011", "A")])
    _upload(world.client("officer"), django_capture_on_commit_callbacks, data)
    job = ImportJob.objects.get()
    url = reverse("imports:file", args=[job.pk])
    assert b"".join(world.client("officer").get(url).streaming_content) == data
    assert world.client("admin").get(url).status_code == 200
    for persona in ("kalsel_admin", "auditor", "manager_a"):
        assert world.client(persona).get(url).status_code in (403, 404)
    assert str(job.file.path).startswith(str(job.file.storage.location))


# --- Who may see what ------------------------------------------------------------------------


def _job_of(world, persona):
    return run_import(
        world,
        "people",
        people_xlsx([person_row("3578011508950011", "A")]),
        mode="dry_run",
        persona=persona,
    )


@pytest.mark.parametrize(
    "name,args",
    [
        ("imports:list", []),
        ("imports:template", ["people"]),
        ("imports:detail", ["JOB"]),
        ("imports:progress", ["JOB"]),
        ("imports:file", ["JOB"]),
    ],
)
@pytest.mark.parametrize(
    "persona", ["manager_a", "juror", "auditor", "facilitator", "partner", "outsider"]
)
def test_roles_without_import_rights_are_refused(world, name, args, persona):
    job = _job_of(world, "admin")
    url = reverse(name, args=[job.pk if a == "JOB" else a for a in args])
    assert world.client(persona).get(url).status_code == 403


def test_anonymous_is_sent_to_login(world):
    job = _job_of(world, "admin")
    for url in (reverse("imports:list"), reverse("imports:detail", args=[job.pk])):
        response = world.client("anonymous").get(url)
        assert response.status_code == 302 and "login" in response["Location"]


def test_refused_roles_cannot_upload_or_commit(world):
    job = _job_of(world, "admin")
    for persona in ("manager_a", "auditor", "juror"):
        client = world.client(persona)
        data = people_xlsx([person_row("3578011508950011", "A")])
        upload = client.post(
            reverse("imports:upload"),
            {"register": "people", "file": SimpleUploadedFile("a.xlsx", data)},
        )
        commit = client.post(reverse("imports:commit", args=[job.pk]), {"mode": "valid_only"})
        assert (upload.status_code, commit.status_code) == (403, 403)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.VALIDATED


def test_another_programmes_admin_cannot_see_or_commit_a_job(world):
    job = _job_of(world, "admin")
    client = world.client("kalsel_admin")
    for name in ("imports:detail", "imports:progress", "imports:file"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    assert (
        client.post(reverse("imports:commit", args=[job.pk]), {"mode": "valid_only"}).status_code
        == 404
    )
    listing = client.get(reverse("imports:list")).content.decode()
    assert reverse("imports:detail", args=[job.pk]) not in listing
    job.refresh_from_db()
    assert job.status == ImportJob.Status.VALIDATED


def test_officer_sees_only_their_own_jobs_and_admin_sees_the_programmes(world):
    admin_job = _job_of(world, "admin")
    officer_job = _job_of(world, "officer")
    officer = world.client("officer")
    assert officer.get(reverse("imports:detail", args=[admin_job.pk])).status_code == 404
    listing = officer.get(reverse("imports:list")).content.decode()
    assert reverse("imports:detail", args=[officer_job.pk]) in listing
    assert reverse("imports:detail", args=[admin_job.pk]) not in listing
    admin_listing = world.client("admin").get(reverse("imports:list")).content.decode()
    assert reverse("imports:detail", args=[officer_job.pk]) in admin_listing
    kalsel_listing = world.client("kalsel_admin").get(reverse("imports:list")).content.decode()
    assert reverse("imports:detail", args=[admin_job.pk]) not in kalsel_listing
