"""The arithmetic of assessment: totals, entry scores, ranking, cut-off and outliers.

Pure functions on plain values (no ORM, no I/O), so they can be checked by property tests and
reasoned about by the people whose results they decide. Every number is a `Decimal` computed in
one fixed context (28 significant digits, half-even rounding), never a float, so that the same
scores give the same result on every machine and database. Rounding to the stored precision is
the caller's business (`rounded`), and happens before ranking so that the ranking is explained
by the figures people see.

Vocabulary:
- a *sheet* is one juror's scores of one entry, `{criterion id: value}`;
- a *total* is a sheet's weighted mean, on the round's scale;
- an entry's *score* is the mean of its jurors' totals, optionally trimmed of extremes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any

CONTEXT = Context(prec=28)
STORED_PLACES = Decimal("0.001")  # Entry.final_score and Assignment.total keep 3 decimals
MIN_TO_TRIM = 3  # trimming two of fewer than three totals would leave nothing to average
MIN_FOR_OUTLIERS = 3


def _mean(values: Sequence[Decimal]) -> Decimal:
    total = sum(values, Decimal(0))
    return CONTEXT.divide(total, Decimal(len(values)))


def _median(values: Sequence[Decimal]) -> Decimal:
    ordered = sorted(Decimal(v) for v in values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return _mean(ordered[middle - 1 : middle + 1])


def rounded(value: Decimal | None, places: Decimal = STORED_PLACES) -> Decimal | None:
    """Round half up to the stored precision (what people read, and what is ranked)."""
    if value is None:
        return None
    return value.quantize(places, rounding=ROUND_HALF_UP)


def weighted_total(values: Mapping[Any, Decimal], weights: Mapping[Any, int]) -> Decimal:
    """A sheet's total: sum(weight × value) / sum(weight), over the criteria in `weights`.

    The result stays on the round's scale (a weighted mean of values on that scale), so a
    total of 8 means "8 out of 10" whatever the weights are. Every weighted criterion must be
    scored: a missing value is an error, not a zero, because a zero would be a score the juror
    never gave.
    """
    if not weights:
        raise ValueError("a rubric needs at least one criterion")
    missing = [key for key in weights if key not in values]
    if missing:
        raise ValueError(f"criteria not scored: {missing}")
    weight_sum = sum(int(w) for w in weights.values())
    if weight_sum <= 0:
        raise ValueError("weights must be positive")
    weighted = sum((Decimal(values[key]) * int(w) for key, w in weights.items()), Decimal(0))
    return CONTEXT.divide(weighted, Decimal(weight_sum))


def trimmed(totals: Sequence[Decimal], trim_from: int) -> list[Decimal]:
    """The totals that count: all of them, or without one highest and one lowest.

    Trimming applies when `trim_from` is set (> 0) and the entry has at least `trim_from`
    totals, and never below three totals (dropping two of two would leave nothing, and of three
    leaves the median, which is the point of trimming).
    """
    values = sorted(totals)
    if trim_from > 0 and len(values) >= max(trim_from, MIN_TO_TRIM):
        return values[1:-1]
    return values


def entry_score(totals: Sequence[Decimal], trim_from: int = 0) -> Decimal | None:
    """An entry's score: the mean of its jurors' totals (trimmed, see `trimmed`).

    None when no juror has submitted: such an entry has no score, which is not a low score.
    """
    if not totals:
        return None
    return _mean(trimmed(totals, trim_from))


def criterion_means(sheets: Iterable[Mapping[Any, Decimal]]) -> dict[Any, Decimal]:
    """Per criterion, the plain mean of the values the jurors gave (the applicant's feedback,
    and the ranking's tie-breaks). Not trimmed: feedback shows what the panel as a whole said."""
    collected: dict[Any, list[Decimal]] = {}
    for sheet in sheets:
        for key, value in sheet.items():
            collected.setdefault(key, []).append(Decimal(value))
    return {key: _mean(values) for key, values in collected.items()}


def criteria_heaviest_first(weights: Mapping[Any, int], positions: Mapping[Any, int]) -> list:
    """The order in which criteria break ties: heaviest first; equal weights by rubric position,
    then by id, so that the order is the one the rubric shows."""
    return sorted(weights, key=lambda key: (-int(weights[key]), positions.get(key, 0), key))


@dataclass(frozen=True)
class RankItem:
    """What ranking needs to know of an entry."""

    id: Any
    score: Decimal | None
    submitted_at: Any  # anything ordered (a datetime in practice)
    means: Mapping[Any, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class Ranked:
    item: RankItem
    rank: int | None  # None: the entry has no score and is not ranked


def _rank_key(item: RankItem, order: Sequence[Any]) -> tuple:
    # Smaller key = better place. Missing criterion means sort after any present one.
    means = tuple((0, -item.means[key]) if key in item.means else (1, Decimal(0)) for key in order)
    return (-item.score, means, item.submitted_at, item.id)


def rank(items: Iterable[RankItem], criteria_order: Sequence[Any] = ()) -> list[Ranked]:
    """Order entries best first and number them.

    Keys, in order: higher score; then, criterion by criterion in `criteria_order` (heaviest
    first, see `criteria_heaviest_first`), the higher mean; then the earlier submission; then
    the lower id. Because ids are unique, real entries never tie and ranks run 1..n. Items
    equal on every key (only possible when ids repeat, e.g. unsaved rows) share the same rank
    and the next rank is skipped ("1, 2, 2, 4"), so equal things are never told apart by
    chance.

    Entries without a score come last, with rank None, in submission order.
    """
    items = list(items)
    scored = sorted(
        (i for i in items if i.score is not None), key=lambda i: _rank_key(i, criteria_order)
    )
    unscored = sorted((i for i in items if i.score is None), key=lambda i: (i.submitted_at, i.id))
    result: list[Ranked] = []
    previous_key, previous_rank = None, 0
    for position, item in enumerate(scored, start=1):
        key = _rank_key(item, criteria_order)
        current = previous_rank if key == previous_key else position
        result.append(Ranked(item=item, rank=current))
        previous_key, previous_rank = key, current
    result.extend(Ranked(item=item, rank=None) for item in unscored)
    return result


def apply_cutoff(
    ranked: Sequence[Ranked], cutoff_score: Decimal | None = None, quota: int | None = None
) -> set:
    """The ids that pass: a score at or above `cutoff_score` (when set) and a place within the
    best `quota` (when set); both when both are set. An entry without a score never passes.

    A group of entries sharing one rank that straddles the quota's boundary is left out as a
    whole: the quota is never exceeded and equals are never separated by chance. (Real entries
    never share a rank, see `rank`.) With neither rule set, every scored entry passes.
    """
    group_sizes = Counter(r.rank for r in ranked if r.rank is not None)
    passed = set()
    for ranked_item in ranked:
        item, place = ranked_item.item, ranked_item.rank
        if place is None or item.score is None:
            continue
        if cutoff_score is not None and item.score < Decimal(cutoff_score):
            continue
        if quota is not None and place + group_sizes[place] - 1 > quota:
            continue
        passed.add(item.id)
    return passed


def flag_outliers(
    totals_by_juror: Mapping[Hashable, Decimal],
    scale_min: Decimal | int,
    scale_max: Decimal | int,
    share: Decimal | str | float,
) -> set:
    """Jurors whose total differs from the median of the OTHER jurors' totals by more than
    `share` of the scale's range (share 0.30 on a 1–10 scale: more than 2.7 points).

    Comparing with the others (not with a median that includes the juror) keeps one extreme
    score from pulling its own yardstick towards it. At least three totals are needed: with two,
    each is "far from the other" by exactly the same amount, so there is no telling which one is
    unusual, and flagging both would only tell the chair that two people disagree. With three,
    the others' median is the mean of two, so a lone dissent of d points flags the dissenter
    when d > limit and the two who agree only when d / 2 > limit as well.
    """
    if len(totals_by_juror) < MIN_FOR_OUTLIERS:
        return set()
    limit = Decimal(str(share)) * (Decimal(scale_max) - Decimal(scale_min))
    flagged = set()
    for juror, total in totals_by_juror.items():
        others = [value for key, value in totals_by_juror.items() if key != juror]
        median = _median(others)
        if abs(Decimal(total) - median) > limit:
            flagged.add(juror)
    return flagged
