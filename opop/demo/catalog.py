"""Demo products of the seeded enterprises, with halal and P-IRT certificates for some.

Runs after the registry is written: it reads the programme's enterprises back (ids, sector,
name) and writes products in bulk with the same `RowWriter`, so `large` (100,000 products)
stays a matter of seconds. Deterministic for a given seed.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from opop.catalog.categories import categories_ensure
from opop.catalog.models import Category, Certification, Product
from opop.demo.writer import RowWriter
from opop.registry.models import Enterprise

# sector: [(category slug, product name, unit, grams, price range in Rp)]
PRODUCTS: dict[str, list[tuple[str, str, str, int, tuple[int, int]]]] = {
    "food": [
        ("keripik-camilan", "Keripik Singkong Pedas", "bungkus", 200, (12_000, 25_000)),
        ("keripik-camilan", "Keripik Tempe", "bungkus", 150, (10_000, 20_000)),
        ("keripik-camilan", "Kerupuk Ikan", "bungkus", 250, (15_000, 30_000)),
        ("sambal-bumbu", "Sambal Bawang", "botol", 200, (18_000, 35_000)),
        ("sambal-bumbu", "Bumbu Pecel", "bungkus", 250, (12_000, 22_000)),
        ("kopi-teh", "Kopi Robusta Bubuk", "bungkus", 250, (25_000, 60_000)),
        ("kopi-teh", "Teh Rosella", "kotak", 100, (20_000, 40_000)),
        ("minuman-herbal", "Jahe Merah Instan", "kotak", 250, (20_000, 45_000)),
        ("kue-roti", "Kue Kering Nastar", "toples", 500, (45_000, 90_000)),
        ("madu", "Madu Hutan", "botol", 500, (75_000, 150_000)),
        ("air-minum", "Air Minum Santri 600 ml", "dus", 12_000, (35_000, 50_000)),
    ],
    "fashion": [
        ("batik", "Batik Tulis Motif Pesantren", "lembar", 400, (150_000, 600_000)),
        ("batik", "Batik Cap", "lembar", 400, (85_000, 200_000)),
        ("busana-muslim", "Gamis Santri", "potong", 450, (120_000, 280_000)),
        ("sarung-songkok", "Sarung Tenun", "lembar", 500, (90_000, 350_000)),
        ("sarung-songkok", "Songkok Beludru", "buah", 150, (35_000, 90_000)),
    ],
    "craft": [
        ("anyaman", "Tas Anyaman Pandan", "buah", 300, (60_000, 175_000)),
        ("kaligrafi-ukiran", "Kaligrafi Kayu Jati", "buah", 2_000, (250_000, 1_500_000)),
    ],
    "agri": [
        ("beras-palawija", "Beras Organik", "karung 5 kg", 5_000, (70_000, 110_000)),
        ("hasil-ternak-ikan", "Telur Ayam Kampung", "tray", 1_800, (55_000, 75_000)),
        ("hasil-ternak-ikan", "Lele Asap", "bungkus", 250, (30_000, 55_000)),
    ],
    "other": [
        ("sabun-herbal", "Sabun Sereh Herbal", "batang", 100, (10_000, 25_000)),
        ("kitab", "Kitab Safinah Terjemah", "buah", 300, (25_000, 60_000)),
    ],
}
# Sectors without goods of their own sell what a pesantren shop sells most.
PRODUCTS["trade"] = PRODUCTS["food"][:4] + PRODUCTS["other"]
PRODUCTS["services"] = PRODUCTS["other"]
PRODUCTS["digital"] = PRODUCTS["other"] + PRODUCTS["craft"]

STATUS_WEIGHTS = {Product.Status.ACTIVE: 85, Product.Status.DRAFT: 10, Product.Status.INACTIVE: 5}


def seed_products(*, programme, count: int, rng: random.Random, writer: RowWriter) -> Counter:
    """Write `count` products for the programme's enterprises: every pesantren enterprise gets
    one first (so each demo cooperative has something to sell), the rest go at random."""
    categories_ensure()
    category_of = dict(Category.objects.values_list("slug", "id"))
    enterprises = list(
        Enterprise.objects.filter(programme=programme)
        .order_by("id")
        .values_list("id", "sector", "owner_id")
    )
    counts: Counter = Counter()
    if not enterprises or count <= 0:
        return counts
    pesantren_owned = [e for e in enterprises if e[2] is None]
    chosen = pesantren_owned[:count]
    chosen += rng.choices(enterprises, k=count - len(chosen))
    products, certifications = [], []
    for enterprise_id, sector, _owner in chosen:
        slug, name, unit, grams, (low, high) = rng.choice(PRODUCTS.get(sector, PRODUCTS["other"]))
        product_id = writer.new_id(Product)
        products.append(
            {
                "id": product_id,
                "programme_id": programme.pk,
                "enterprise_id": enterprise_id,
                "category_id": category_of[slug],
                "name": name,
                "description": f"{name} produksi usaha binaan OPOP, dikemas higienis.",
                "price": rng.randrange(low, high, 500),
                "unit": unit,
                "weight_grams": grams,
                "monthly_capacity": rng.choice((100, 250, 500, 1_000, 2_500)),
                "status": rng.choices(list(STATUS_WEIGHTS), weights=STATUS_WEIGHTS.values())[0],
            }
        )
        certifications += _certifications(rng, product_id, sector, writer)
    writer.write(Product, products)
    writer.write(Certification, certifications)
    counts.update(products=len(products), certifications=len(certifications))
    return counts


def _certifications(rng: random.Random, product_id: int, sector: str, writer) -> list[dict]:
    if sector not in {"food", "trade"}:
        return []
    rows = []
    if rng.random() < 0.45:
        issued = rng.randint(2021, 2025)
        rows.append(
            {
                "id": writer.new_id(Certification),
                "product_id": product_id,
                "kind": Certification.Kind.HALAL,
                "number": f"ID{rng.randint(10**13, 10**14 - 1)}",
                "issued_on": dt.date(issued, rng.randint(1, 12), rng.randint(1, 28)),
                "document": "",
            }
        )
    if rng.random() < 0.55:
        expiry = rng.randint(2026, 2030)
        rows.append(
            {
                "id": writer.new_id(Certification),
                "product_id": product_id,
                "kind": Certification.Kind.PIRT,
                "number": f"{rng.randint(10**12, 10**13 - 1)}-{expiry % 100:02d}",
                # A P-IRT runs five years; dated without a draw, so the rest of the seed stays
                # the same.
                "issued_on": dt.date(expiry - 4, 1, 1),
                "expires_on": dt.date(expiry, 12, 31),
                "document": "",
            }
        )
    return rows
