"""Region look-ups. Regions are public reference data: no scope applies."""

from __future__ import annotations

import re
from functools import lru_cache

from django.db.models import QuerySet

from opop.regions.models import Region

_PREFIXES = re.compile(
    r"^(kabupaten|kab\.?|kota|kec\.?|kecamatan|provinsi|prov\.?)\s+", flags=re.IGNORECASE
)


def region_children(*, parent_code: str | None) -> QuerySet[Region]:
    if not parent_code:
        return Region.objects.filter(level=Region.Level.PROVINCE)
    return Region.objects.filter(parent_id=parent_code)


def regencies_of(province_code: str) -> QuerySet[Region]:
    return Region.objects.filter(parent_id=province_code, level=Region.Level.REGENCY)


def _normalise(name: str) -> str:
    return re.sub(r"\s+", " ", name.strip().lower())


@lru_cache(maxsize=64)
def _regency_index(province_code: str) -> dict[str, list[str]]:
    """Names a person may type for a kab/kota of one province, mapped to codes.

    `Kab. Jombang`, `Kabupaten Jombang` and `Jombang` all name 35.17; a bare name shared by a
    kabupaten and a kota (`Malang`) maps to both, so the caller can report it as ambiguous.
    """
    index: dict[str, list[str]] = {}
    for code, name, kind in regencies_of(province_code).values_list("code", "name", "kind"):
        bare = _PREFIXES.sub("", name)
        keys = {_normalise(name), _normalise(f"{kind} {bare}"), _normalise(bare), code}
        if kind == "kabupaten":
            keys.add(_normalise(f"kab {bare}"))
            keys.add(_normalise(f"kab. {bare}"))
        for key in keys:
            index.setdefault(key, [])
            if code not in index[key]:
                index[key].append(code)
    return index


def regency_lookup(province_code: str, text: str) -> list[str]:
    """Codes of the kab/kota of a province that `text` may name (0, 1 or several)."""
    key = _normalise(text)
    index = _regency_index(province_code)
    if key in index:
        return index[key]
    stripped = _normalise(_PREFIXES.sub("", key))
    if key.startswith(("kota", "kab")):
        kind = "kota" if key.startswith("kota") else "kabupaten"
        return [c for c in index.get(stripped, []) if (kind == "kota") == (int(c[3:5]) >= 71)]
    return index.get(stripped, [])


@lru_cache(maxsize=64)
def _district_index(regency_code: str) -> dict[str, str]:
    index = {}
    for code, name in Region.objects.filter(parent_id=regency_code).values_list("code", "name"):
        index[_normalise(name)] = code
        index[code] = code
    return index


def district_lookup(regency_code: str, text: str) -> str | None:
    key = _normalise(text)
    index = _district_index(regency_code)
    return index.get(key) or index.get(_normalise(_PREFIXES.sub("", key)))


def clear_caches() -> None:
    _regency_index.cache_clear()
    _district_index.cache_clear()
