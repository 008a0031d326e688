"""Each register imports, and importing the same file again creates no duplicates."""

import pytest

from opop.imports.models import ImportJob
from opop.imports.tests.helpers import errors, people_xlsx, person_row, run_import, xlsx
from opop.registry.models import Cooperative, Enterprise, Person, Pesantren

pytestmark = pytest.mark.django_db

PESANTREN = xlsx(
    [
        "NSPP",
        "Nama Pesantren",
        "Jenis",
        "Kabupaten/Kota",
        "Kecamatan",
        "No. Telepon",
        "Tahun Berdiri",
        "Jumlah Santri",
        "Status",
    ],
    [
        [
            "510035780010",
            "PP Nurul Huda",
            "Salaf",
            "Kota Surabaya",
            None,
            "031-5678901",
            1985,
            "1.200",
            "Aktif",
        ],
        [
            510035170011,
            " PP Tebu Ireng Baru ",
            "modern",
            "Kab. Jombang",
            "Jombang",
            None,
            None,
            300,
            None,
        ],
    ],
)


def test_pesantren_import_creates_records(world):
    job = run_import(world, "pesantren", PESANTREN)
    assert (job.status, job.created_count, job.refused_count) == ("done", 2, 0), errors(job)
    huda = Pesantren.objects.get(nspp="510035780010")
    assert (huda.kind, huda.regency_id, huda.santri_count, huda.founded_year) == (
        "salaf",
        "35.78",
        1200,
        1985,
    )
    assert huda.phone == "+62315678901"
    other = Pesantren.objects.get(nspp="510035170011")
    assert (other.name, other.kind, other.district_id, other.status) == (
        "PP Tebu Ireng Baru",
        "khalaf",
        "35.17.09",
        "active",
    )


def test_reimporting_the_same_pesantren_file_changes_nothing(world):
    run_import(world, "pesantren", PESANTREN)
    before = Pesantren.objects.count()
    job = run_import(world, "pesantren", PESANTREN)
    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 0, 2)
    assert Pesantren.objects.count() == before


COOPERATIVES = xlsx(
    [
        "NSPP Pesantren",
        "Nama Koperasi",
        "NIB",
        "Status Badan Hukum",
        "Tanggal Badan Hukum",
        "NPWP",
        "Jumlah Anggota",
    ],
    [
        [
            "510035780001",
            "Kopontren Al-Hikmah",
            "1234567890123",
            "Berbadan hukum",
            "15-08-2019",
            "01.234.567.8-901.234",
            120,
        ],
        ["510035170002", "Kopontren Darul Ulum", None, "proses", None, None, "85"],
        ["510035170002", "Koperasi Santri Mandiri", None, None, None, None, None],
    ],
)


def test_cooperative_import_upserts_by_nib_or_by_pesantren_and_name(world):
    job = run_import(world, "cooperatives", COOPERATIVES)
    assert (job.created_count, job.updated_count, job.refused_count) == (1, 2, 0), errors(job)
    world.coop_a.refresh_from_db()
    assert (world.coop_a.members_count, world.coop_a.npwp) == (120, "0012345678901234")
    world.coop_b.refresh_from_db()
    assert (world.coop_b.legal_status, world.coop_b.members_count) == ("in_process", 85)
    assert Cooperative.objects.filter(name="Koperasi Santri Mandiri").count() == 1
    again = run_import(world, "cooperatives", COOPERATIVES)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 3)
    assert Cooperative.objects.filter(programme=world.jatim).count() == 3


def test_cooperative_of_an_unknown_pesantren_is_refused(world):
    data = xlsx(["NSPP Pesantren", "Nama Koperasi"], [["510035789999", "Koperasi Hilang"]])
    job = run_import(world, "cooperatives", data)
    assert [(r, c) for r, c, _ in errors(job)] == [(2, "NSPP Pesantren")]
    assert job.status == ImportJob.Status.REJECTED


def test_cooperative_nib_of_another_pesantren_is_refused(world):
    data = xlsx(
        ["NSPP Pesantren", "Nama Koperasi", "NIB"],
        [["510035170002", "Nama Lain", "1234567890123"]],
    )
    job = run_import(world, "cooperatives", data)
    assert [(r, c) for r, c, _ in errors(job)] == [(2, "NIB")]


def test_people_import_creates_people_and_pillar_participation(world):
    rows = [
        person_row("3578011508950011", "Ahmad Santri", pillar="Santripreneur", year=2024),
        person_row("3517015508960012", "Fatimah", regency="Kab. Jombang", nspp="510035170002"),
    ]
    job = run_import(world, "people", people_xlsx(rows))
    assert (job.created_count, job.refused_count) == (2, 0), errors(job)
    fatimah = Person.objects.get(full_name="Fatimah")
    assert (fatimah.gender, fatimah.pesantren, fatimah.regency_id) == (
        "P",
        world.pesantren_b,
        "35.17",
    )
    assert Person.objects.get(full_name="Ahmad Santri").participations.count() == 1


def test_reimporting_people_reports_unchanged_then_updated(world):
    rows = [
        person_row("3578011508950011", "Satu", pillar="Santripreneur", year=2024),
        person_row("3578011508950012", "Dua"),
    ]
    run_import(world, "people", people_xlsx(rows))
    again = run_import(world, "people", people_xlsx(rows))
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 2)
    rows[1] = person_row("3578011508950012", "Dua Berubah", phone="081234567890")
    third = run_import(world, "people", people_xlsx(rows))
    assert (third.created_count, third.updated_count, third.unchanged_count) == (0, 1, 1)
    assert Person.objects.filter(programme=world.jatim).count() == 4
    assert Person.objects.get(full_name="Dua Berubah").phone == "+6281234567890"


def test_an_empty_cell_keeps_the_stored_value(world):
    run_import(
        world, "people", people_xlsx([person_row("3578011508950011", "A", phone="081234567890")])
    )
    job = run_import(world, "people", people_xlsx([person_row("3578011508950011", "A")]))
    assert job.unchanged_count == 1
    assert Person.objects.get(full_name="A").phone == "+6281234567890"


ENTERPRISES = xlsx(
    [
        "Nama Usaha",
        "NIB",
        "NIK Pemilik",
        "NSPP Pesantren",
        "Sektor",
        "Kabupaten/Kota",
        "Omzet per Bulan",
        "Jumlah Karyawan",
    ],
    [
        [
            "Keripik Al-Hikmah",
            "2234567890123",
            None,
            None,
            "Makanan",
            "Kota Surabaya",
            "Rp1.500.000",
            4,
        ],
        [
            "Batik Darul Ulum",
            None,
            "3517015208970002",
            None,
            "Batik",
            "Kab. Jombang",
            2500000,
            None,
        ],
        [
            "Toko Santri",
            None,
            None,
            "510035780001",
            "Perdagangan",
            "Kota Surabaya",
            "750.000",
            None,
        ],
    ],
)


def test_enterprise_import_upserts_by_nib_or_owner_nik_and_name(world):
    job = run_import(world, "enterprises", ENTERPRISES)
    assert (job.created_count, job.updated_count, job.refused_count) == (1, 2, 0), errors(job)
    world.enterprise_a.refresh_from_db()
    assert (world.enterprise_a.monthly_revenue, world.enterprise_a.employees) == (1_500_000, 4)
    world.enterprise_b.refresh_from_db()
    assert world.enterprise_b.monthly_revenue == 2_500_000
    shop = Enterprise.objects.get(name="Toko Santri")
    assert (shop.pesantren, shop.sector, shop.monthly_revenue) == (
        world.pesantren_a,
        "trade",
        750_000,
    )
    again = run_import(world, "enterprises", ENTERPRISES)
    assert (again.created_count, again.unchanged_count) == (0, 3)
    assert Enterprise.objects.filter(programme=world.jatim).count() == 3


def test_enterprise_owner_must_be_in_the_register(world):
    data = xlsx(
        ["Nama Usaha", "NIK Pemilik", "Sektor", "Kabupaten/Kota"],
        [["Usaha Baru", "3578011508950099", "Jasa", "Kota Surabaya"]],
    )
    job = run_import(world, "enterprises", data)
    assert [(r, c) for r, c, _ in errors(job)] == [(2, "NIK Pemilik")]
