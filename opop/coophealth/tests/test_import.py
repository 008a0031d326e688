import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from opop.common.models import AuditEvent
from opop.coophealth import importing
from opop.coophealth import status as health
from opop.coophealth.models import CooperativeReport, ReportImport
from opop.coophealth.tests.helpers import file_report

pytestmark = pytest.mark.django_db
LAST = health.this_year() - 1
HEADERS = [c.header for c in importing.COLUMNS]


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def xlsx(rows, headers=HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def row(coop, year=LAST, **changes):
    values = {
        "cooperative_id": coop.pk,
        "nib": coop.nib or None,
        "name": coop.name,
        "year": year,
        "members_total": 150,
        "members_women": 60,
        "own_capital": "Rp120.000.000",
        "external_capital": 0,
        "business_volume": "1.250.000.000",
        "surplus": "(2.500.000)",
        "rat_date": f"20-03-{year + 1}",
        "assets": None,
    }
    values.update(changes)
    return [values[c.key] for c in importing.COLUMNS]


def upload(client, data: bytes, name="laporan.xlsx"):
    file = io.BytesIO(data)
    file.name = name
    response = client.post(reverse("coophealth:import"), {"file": file})
    assert response.status_code == 302, response.content[:500]
    return ReportImport.objects.latest("id")


def commit(client, batch, mode="all"):
    return client.post(reverse("coophealth:import_commit", args=[batch.pk]), {"mode": mode})


def test_dry_run_writes_nothing_then_commit_writes_and_a_reimport_changes_nothing(world):
    client = world.client("admin")
    data = xlsx([row(world.coop_a), row(world.coop_b, members_women=None)])
    batch = upload(client, data)
    assert (batch.status, batch.total_rows, batch.valid_rows, batch.created_count) == (
        "checked",
        2,
        2,
        2,
    )
    assert not CooperativeReport.objects.exists()  # the dry run wrote nothing
    page = client.get(reverse("coophealth:import_detail", args=[batch.pk]))
    assert page.status_code == 200
    commit(client, batch)
    batch.refresh_from_db()
    assert (batch.status, batch.created_count) == ("committed", 2)
    report = CooperativeReport.objects.get(cooperative=world.coop_a, year=LAST)
    assert (report.surplus, report.own_capital, report.source) == (
        -2_500_000,
        120_000_000,
        "import",
    )
    assert report.cooperative.health.latest_active_year == LAST
    audits = AuditEvent.objects.filter(target_type="coophealth.cooperativereport").count()

    again = upload(client, data)  # the same file again
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 2)
    commit(client, again)
    again.refresh_from_db()
    assert (again.status, again.unchanged_count) == ("committed", 2)
    assert CooperativeReport.objects.count() == 2
    assert AuditEvent.objects.filter(target_type="coophealth.cooperativereport").count() == audits
    assert (
        "already imported"
        in client.get(reverse("coophealth:import_detail", args=[again.pk])).content.decode()
    )


def test_a_batch_is_committed_only_once(world):
    client = world.client("admin")
    batch = upload(client, xlsx([row(world.coop_a)]))
    commit(client, batch)
    CooperativeReport.objects.update(members_total=1000)  # corrected since by hand
    commit(client, batch)
    assert CooperativeReport.objects.get().members_total == 1000


def test_row_errors_are_explained_and_the_user_chooses(world):
    client = world.client("admin")
    data = xlsx(
        [
            row(world.coop_a),
            row(world.coop_b, business_volume="-5", members_women=999),
            row(world.coop_b, year=LAST - 1, rat_date=f"01-01-{LAST + 2}"),
            row(world.coop_a),  # the same cooperative and year twice
            row(world.coop_a, cooperative_id=999_999, nib=None),
            row(world.coop_b, year=LAST - 2, members_total="=1+1"),
        ]
    )
    batch = upload(client, data)
    errors = {e["row"]: e["errors"] for e in batch.row_errors}
    assert set(errors) == {3, 4, 5, 6, 7}
    assert {c for c, _m in errors[3]} == {"Business volume"}  # "-5" is not an amount
    assert any(c == "RAT date" for c, _m in errors[4])
    assert "Row 2" in errors[5][0][1]
    assert "No cooperative" in errors[6][0][1]
    assert "Formulas" in errors[7][0][1]
    # All or nothing: refused while any row has an error.
    commit(client, batch, mode="all")
    assert not CooperativeReport.objects.exists()
    batch.refresh_from_db()
    assert batch.status == "checked"
    commit(client, batch, mode="valid_only")
    assert list(CooperativeReport.objects.values_list("cooperative_id", "year")) == [
        (world.coop_a.pk, LAST)
    ]


def test_an_officer_imports_only_their_kab_kota(world):
    client = world.client("officer")
    batch = upload(client, xlsx([row(world.coop_a), row(world.coop_b)]))
    assert [e["row"] for e in batch.row_errors] == [3]  # coop_b is in Jombang
    commit(client, batch, mode="valid_only")
    assert set(CooperativeReport.objects.values_list("cooperative_id", flat=True)) == {
        world.coop_a.pk
    }


def test_csv_files_with_semicolons_are_read(world):
    lines = [";".join(HEADERS), f"{world.coop_a.pk};;X;{LAST};10;;1000;0;5000;-300;;"]
    batch = upload(world.client("admin"), "\n".join(lines).encode(), name="laporan.csv")
    assert (batch.status, batch.valid_rows) == ("checked", 1), batch.row_errors
    commit(world.client("admin"), batch)
    report = CooperativeReport.objects.get()
    assert (report.surplus, report.rat_date) == (-300, None)


def test_an_empty_optional_cell_keeps_the_stored_value(world):
    file_report(world)  # women 45, assets 260,000,000
    batch = upload(world.client("admin"), xlsx([row(world.coop_a, members_women=None)]))
    commit(world.client("admin"), batch)
    report = CooperativeReport.objects.get()
    assert (report.members_women, report.assets, report.members_total) == (45, 260_000_000, 150)


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"hello, world", "laporan.xlsx", "neither"),
        (b"PK\x03\x04 broken zip", "laporan.xlsx", "not an Excel"),
        (";".join(HEADERS).encode(), "laporan.csv", "no rows"),
        (b"ID koperasi,Tahun buku\n1,2024\n", "laporan.csv", "Missing"),
        (None, "laporan.xlsx", "no rows"),
    ],
)
def test_bad_files_are_refused_with_a_reason(world, data, name, message):
    if data is None:
        data = xlsx([])
    batch = upload(world.client("admin"), data, name=name)
    assert batch.status == "refused"
    assert message in batch.file_error
    assert not batch.file
    response = world.client("admin").get(reverse("coophealth:import_detail", args=[batch.pk]))
    assert message in response.content.decode()


def test_an_empty_upload_is_refused_at_the_field(world):
    file = io.BytesIO(b"")
    file.name = "laporan.csv"
    response = world.client("admin").post(reverse("coophealth:import"), {"file": file})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not ReportImport.objects.exists()


def test_the_export_neutralises_formulas_and_imports_back(world):
    world.coop_a.name = '=HYPERLINK("http://evil")'
    world.coop_a.save()
    file_report(world)
    client = world.client("admin")
    response = client.get(reverse("coophealth:export"), {"year": LAST})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [r[2] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("http://evil")' in names
    batch = upload(client, response.content)
    # coop_b (Jombang, listed first) has no report yet: its row is incomplete.
    assert batch.unchanged_count == 1
    assert [e["row"] for e in batch.row_errors] == [2]


def test_imports_of_others_are_hidden(world):
    batch = upload(world.client("officer"), xlsx([row(world.coop_a)]))
    assert (
        world.client("facilitator")
        .get(reverse("coophealth:import_detail", args=[batch.pk]))
        .status_code
        == 404
    )
    assert (
        world.client("kalsel_admin")
        .get(reverse("coophealth:import_detail", args=[batch.pk]))
        .status_code
        == 404
    )
    assert commit(world.client("manager_a"), batch).status_code == 403
    assert commit(world.client("facilitator"), batch).status_code == 404
    assert (
        world.client("admin").get(reverse("coophealth:import_detail", args=[batch.pk])).status_code
        == 200
    )
