"""The two demo programmes: Jawa Timur (the original) and Kalimantan Selatan (its adopter).

Targets, budgets, partners and agreement numbers are illustrative demo values, not official
figures (except the orders of magnitude DOMAIN.md gives: 1,000,000 santripreneur, 1,000
pesantrenpreneur and 1,000 sociopreneur for Jawa Timur; 2022: 250,000 santri and 200 pesantren).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

YEARS = tuple(range(2019, 2027))
COHORT_YEARS = tuple(range(2019, 2026))


@dataclass(frozen=True)
class PartnerSpec:
    name: str
    kind: str  # programmes.Partner.Kind value
    contribution: str
    agreements: tuple[tuple[str, str, dt.date, dt.date | None], ...]  # number, title, from, until


@dataclass(frozen=True)
class ProgrammeSpec:
    code: str
    name: str
    province: str
    legal_basis: str
    legal_basis_date: dt.date
    started_year: int
    share: float  # of the scale's pesantren and people
    targets: dict[str, dict[int, int]]  # pillar -> year -> target
    budgets: dict[int, int]
    cohort_weights: tuple[int, ...]  # per COHORT_YEARS
    # Regencies with many pesantren get more of them (a weight factor on their size).
    dense_regencies: frozenset[str] = field(default_factory=frozenset)
    partners: tuple[PartnerSpec, ...] = ()


JATIM = ProgrammeSpec(
    code="jatim",
    name="OPOP Jawa Timur",
    province="35",
    legal_basis="Pergub Jatim No. 62 Tahun 2020 tentang One Pesantren One Product",
    legal_basis_date=dt.date(2020, 9, 1),
    started_year=2019,
    share=0.85,
    targets={
        "santripreneur": {
            2019: 25_000,
            2020: 75_000,
            2021: 150_000,
            2022: 250_000,
            2023: 200_000,
            2024: 150_000,
            2025: 100_000,
            2026: 50_000,
        },
        "pesantrenpreneur": {
            2019: 50,
            2020: 100,
            2021: 150,
            2022: 200,
            2023: 200,
            2024: 150,
            2025: 100,
            2026: 50,
        },
        "sociopreneur": {
            2019: 50,
            2020: 100,
            2021: 150,
            2022: 200,
            2023: 200,
            2024: 150,
            2025: 100,
            2026: 50,
        },
    },
    budgets={
        2019: 18_500_000_000,
        2020: 22_000_000_000,
        2021: 35_750_000_000,
        2022: 42_000_000_000,
        2023: 40_500_000_000,
        2024: 38_000_000_000,
        2025: 36_250_000_000,
        2026: 30_000_000_000,
    },
    cohort_weights=(6, 10, 16, 22, 18, 15, 13),
    dense_regencies=frozenset(
        {
            "35.06",  # Kediri
            "35.07",  # Malang
            "35.09",  # Jember
            "35.11",  # Bondowoso
            "35.12",  # Situbondo
            "35.13",  # Probolinggo
            "35.14",  # Pasuruan
            "35.17",  # Jombang
            "35.23",  # Tuban
            "35.24",  # Lamongan
            "35.25",  # Gresik
            "35.26",  # Bangkalan
            "35.27",  # Sampang
            "35.28",  # Pamekasan
            "35.29",  # Sumenep
        }
    ),
    partners=(
        PartnerSpec(
            "Universitas Islam Negeri Sunan Ampel Surabaya",
            "academia",
            "OPOP Training Center: inkubasi bisnis, pelatihan manajemen koperasi dan "
            "keuangan syariah.",
            (
                (
                    "PKS/518/0411/114.3/2021",
                    "Pendampingan dan pelatihan santripreneur",
                    dt.date(2021, 3, 1),
                    dt.date(2023, 12, 31),
                ),
                (
                    "PKS/518/0127/114.3/2024",
                    "OPOP Training Center 2024-2026",
                    dt.date(2024, 1, 15),
                    dt.date(2026, 12, 31),
                ),
            ),
        ),
        PartnerSpec(
            "Bank Jatim Syariah",
            "business",
            "Virtual account OPOP Mart, Kartu OPOP Jatim Berdaya, pembiayaan KUR Syariah.",
            (
                (
                    "PKS/518/0702/114.3/2021",
                    "Layanan perbankan syariah dan Kartu OPOP Jatim Berdaya",
                    dt.date(2021, 7, 1),
                    dt.date(2026, 6, 30),
                ),
            ),
        ),
        PartnerSpec(
            "Radio Suara Santri Jawa Timur",
            "media",
            "Liputan OPOP Expo, profil produk unggulan dan siaran pelatihan.",
            (
                (
                    "PKS/518/0915/114.3/2022",
                    "Publikasi program OPOP",
                    dt.date(2022, 2, 1),
                    dt.date(2025, 12, 31),
                ),
            ),
        ),
        PartnerSpec(
            "Forum Komunikasi Koperasi Pondok Pesantren Jawa Timur",
            "community",
            "Jaringan koperasi pesantren, pendampingan sesama koppontren.",
            (
                (
                    "PKS/518/0320/114.3/2020",
                    "Penguatan jaringan koppontren",
                    dt.date(2020, 3, 20),
                    None,
                ),
            ),
        ),
        PartnerSpec(
            "Dinas Koperasi dan UKM Provinsi Jawa Timur",
            "government",
            "Sekretariat OPOP: perencanaan, verifikasi, hibah Rp50 juta per koppontren.",
            (
                (
                    "SK/188/0062/KPTS/013/2020",
                    "Penetapan sekretariat OPOP Jawa Timur",
                    dt.date(2020, 1, 2),
                    None,
                ),
            ),
        ),
    ),
)

KALSEL = ProgrammeSpec(
    code="kalsel",
    name="OPOP Kalimantan Selatan",
    province="63",
    # The number is an illustration for the demo, not a real regulation's number.
    legal_basis="Pergub Kalsel No. 045 Tahun 2022 tentang One Pesantren One Product (demo)",
    legal_basis_date=dt.date(2022, 4, 11),
    started_year=2019,
    share=0.15,
    targets={
        "santripreneur": {
            2019: 2_000,
            2020: 5_000,
            2021: 10_000,
            2022: 15_000,
            2023: 20_000,
            2024: 20_000,
            2025: 18_000,
            2026: 10_000,
        },
        "pesantrenpreneur": {
            2019: 5,
            2020: 10,
            2021: 20,
            2022: 30,
            2023: 40,
            2024: 40,
            2025: 35,
            2026: 20,
        },
        "sociopreneur": {
            2019: 5,
            2020: 10,
            2021: 20,
            2022: 30,
            2023: 40,
            2024: 40,
            2025: 35,
            2026: 20,
        },
    },
    budgets={
        2019: 1_500_000_000,
        2020: 2_000_000_000,
        2021: 3_250_000_000,
        2022: 5_000_000_000,
        2023: 6_500_000_000,
        2024: 7_000_000_000,
        2025: 7_250_000_000,
        2026: 6_000_000_000,
    },
    cohort_weights=(2, 4, 8, 16, 22, 24, 24),
    dense_regencies=frozenset({"63.03", "63.06", "63.07", "63.08"}),
    partners=(
        PartnerSpec(
            "Universitas Lambung Mangkurat",
            "academia",
            "Pelatihan manajemen usaha dan kurasi produk.",
            (
                (
                    "PKS/500/0034/DKUMKM/2022",
                    "Pendampingan santripreneur Kalimantan Selatan",
                    dt.date(2022, 5, 2),
                    dt.date(2025, 12, 31),
                ),
            ),
        ),
        PartnerSpec(
            "Bank Kalsel Syariah",
            "business",
            "Rekening koperasi pesantren dan pembiayaan syariah.",
            (
                (
                    "PKS/500/0051/DKUMKM/2022",
                    "Layanan perbankan syariah untuk koppontren",
                    dt.date(2022, 6, 1),
                    dt.date(2026, 5, 31),
                ),
            ),
        ),
        PartnerSpec(
            "Radio Banua Santri",
            "media",
            "Publikasi produk pesantren Banua.",
            (
                (
                    "PKS/500/0077/DKUMKM/2023",
                    "Publikasi program OPOP Kalsel",
                    dt.date(2023, 1, 9),
                    None,
                ),
            ),
        ),
        PartnerSpec(
            "Forum Pondok Pesantren Kalimantan Selatan",
            "community",
            "Sosialisasi program ke pesantren salaf.",
            (
                (
                    "PKS/500/0080/DKUMKM/2023",
                    "Sosialisasi OPOP",
                    dt.date(2023, 2, 1),
                    None,
                ),
            ),
        ),
        PartnerSpec(
            "Dinas Koperasi dan UKM Provinsi Kalimantan Selatan",
            "government",
            "Sekretariat OPOP Kalsel; kerja sama adopsi model OPOP dengan Jawa Timur.",
            (
                (
                    "PKS/120/0012/KSP/2022",
                    "Kerja sama antarprovinsi Jawa Timur - Kalimantan Selatan: adopsi OPOP",
                    dt.date(2022, 3, 14),
                    dt.date(2027, 3, 13),
                ),
            ),
        ),
    ),
)

PROGRAMMES = (JATIM, KALSEL)
