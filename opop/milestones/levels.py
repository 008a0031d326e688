"""How a pesantren's level follows from its verified items: the one rule, as pure functions.

A pesantren reaches level L when every item in use of level L and of every lower level is
verified. A level without items in use is skipped (it can neither hold a pesantren back nor be
reached by itself): the level is the highest level that has items, all of whose items — and all
lower levels' items — are verified. Nothing verified, or level-1 items open: level 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def level_from_counts(items: Mapping[int, int], verified: Mapping[int, int]) -> int:
    """`items`: active items per level; `verified`: this pesantren's verified active items per
    level. Grouped queries give both, so a whole programme is recomputed in two queries."""
    reached = 0
    for level in sorted(lvl for lvl, count in items.items() if count > 0):
        if verified.get(level, 0) < items[level]:
            break
        reached = level
    return reached


def level_from_items(items: Iterable[tuple[int, bool]]) -> int:
    """`items`: (level, verified) of every active item of the programme for one pesantren."""
    counts: dict[int, int] = {}
    done: dict[int, int] = {}
    for level, is_verified in items:
        counts[level] = counts.get(level, 0) + 1
        done[level] = done.get(level, 0) + (1 if is_verified else 0)
    return level_from_counts(counts, done)
