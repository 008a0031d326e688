"""The standard product category tree, loaded by `manage.py load_categories` (and the demo).

Names are Indonesian data, as staff and buyers know them; admins may add or rename categories
in the Django admin afterwards, and loading again never undoes that (rows are matched by slug
and only missing ones are created).
"""

from django.db import transaction

from opop.catalog.models import Category

# slug: (name, [(child slug, child name), ...])
STANDARD_TREE: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "makanan-minuman": (
        "Makanan & Minuman",
        [
            ("keripik-camilan", "Keripik & Camilan"),
            ("sambal-bumbu", "Sambal & Bumbu"),
            ("kopi-teh", "Kopi & Teh"),
            ("minuman-herbal", "Minuman Herbal"),
            ("kue-roti", "Kue & Roti"),
            ("madu", "Madu"),
            ("air-minum", "Air Minum Kemasan"),
        ],
    ),
    "fashion-tekstil": (
        "Fashion & Tekstil",
        [
            ("batik", "Batik"),
            ("busana-muslim", "Busana Muslim"),
            ("sarung-songkok", "Sarung & Songkok"),
        ],
    ),
    "kerajinan": (
        "Kerajinan",
        [("anyaman", "Anyaman"), ("kaligrafi-ukiran", "Kaligrafi & Ukiran")],
    ),
    "pertanian-peternakan": (
        "Pertanian, Peternakan & Perikanan",
        [("beras-palawija", "Beras & Palawija"), ("hasil-ternak-ikan", "Hasil Ternak & Ikan")],
    ),
    "kesehatan-kecantikan": (
        "Kesehatan & Kecantikan",
        [("sabun-herbal", "Sabun & Perawatan Herbal")],
    ),
    "kitab-buku": ("Kitab & Buku", [("kitab", "Kitab & Buku Islami")]),
}


@transaction.atomic
def categories_ensure() -> int:
    """Create the standard categories that are missing. Returns the number created."""
    existing = set(Category.objects.values_list("slug", flat=True))
    created = 0
    for position, (slug, (name, children)) in enumerate(STANDARD_TREE.items()):
        if slug not in existing:
            Category.objects.create(slug=slug, name=name, position=position)
            created += 1
        parent = Category.objects.get(slug=slug)
        for child_position, (child_slug, child_name) in enumerate(children):
            if child_slug not in existing:
                Category.objects.create(
                    slug=child_slug, name=child_name, parent=parent, position=child_position
                )
                created += 1
    return created
