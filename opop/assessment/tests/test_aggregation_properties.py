"""Properties of the assessment arithmetic, checked on many generated cases (hypothesis)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from opop.assessment import aggregation as agg

TOLERANCE = Decimal("1e-20")
# No deadline: the machine is shared and a slow example is not a wrong one.
checked = settings(max_examples=150, deadline=None)


@st.composite
def scales(draw):
    low = draw(st.integers(0, 10))
    return low, low + draw(st.integers(1, 20))


def on_scale(low, high):
    return st.integers(low * 100, high * 100).map(lambda n: Decimal(n) / 100)


@st.composite
def totals_on_a_scale(draw, min_size=1, max_size=9):
    low, high = draw(scales())
    totals = draw(st.lists(on_scale(low, high), min_size=min_size, max_size=max_size))
    return low, high, totals


@st.composite
def sheets(draw):
    low, high = draw(scales())
    n = draw(st.integers(1, 6))
    weights = {cid: draw(st.integers(1, 50)) for cid in range(n)}
    values = {cid: draw(on_scale(low, high)) for cid in range(n)}
    return low, high, weights, values


BASE = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


@st.composite
def rank_items(draw, max_size=12):
    n = draw(st.integers(0, max_size))
    criteria = [1, 2, 3]
    items = []
    for entry_id in draw(st.lists(st.integers(1, 10_000), min_size=n, max_size=n, unique=True)):
        score = draw(st.one_of(st.none(), st.integers(0, 20).map(Decimal)))
        means = {c: Decimal(draw(st.integers(0, 3))) for c in criteria}
        submitted = BASE + dt.timedelta(minutes=draw(st.integers(0, 5)))
        items.append(agg.RankItem(id=entry_id, score=score, submitted_at=submitted, means=means))
    return items


# Totals and scores -----------------------------------------------------------------------------


@checked
@given(sheets())
def test_a_total_lies_between_the_lowest_and_highest_value_given(case):
    low, high, weights, values = case
    total = agg.weighted_total(values, weights)
    assert min(values.values()) <= total <= max(values.values())
    assert low <= total <= high


@checked
@given(sheets(), st.integers(2, 9))
def test_scaling_every_weight_leaves_the_total_unchanged(case, factor):
    _low, _high, weights, values = case
    scaled = {cid: w * factor for cid, w in weights.items()}
    assert abs(agg.weighted_total(values, scaled) - agg.weighted_total(values, weights)) < TOLERANCE


def test_a_missing_criterion_is_an_error_not_a_zero():
    with pytest.raises(ValueError):
        agg.weighted_total({1: Decimal(8)}, {1: 50, 2: 50})


@checked
@given(totals_on_a_scale(), st.integers(0, 6))
def test_an_entry_score_stays_on_the_scale_and_between_its_totals(case, trim_from):
    low, high, totals = case
    score = agg.entry_score(totals, trim_from)
    assert low <= score <= high
    assert min(totals) <= score <= max(totals)


@checked
@given(totals_on_a_scale(), st.integers(0, 6), st.randoms(use_true_random=False))
def test_the_order_of_jurors_does_not_change_the_score(case, trim_from, random):
    _low, _high, totals = case
    shuffled = list(totals)
    random.shuffle(shuffled)
    assert agg.entry_score(shuffled, trim_from) == agg.entry_score(totals, trim_from)


@checked
@given(totals_on_a_scale(), st.integers(0, 6))
def test_trimming_never_widens_the_spread(case, trim_from):
    _low, _high, totals = case
    kept = agg.trimmed(totals, trim_from)
    assert kept and max(kept) - min(kept) <= max(totals) - min(totals)
    assert len(kept) in (len(totals), len(totals) - 2)


@checked
@given(totals_on_a_scale(min_size=3), st.integers(1, 3))
def test_trimming_drops_exactly_one_highest_and_one_lowest(case, trim_from):
    _low, _high, totals = case
    kept = agg.trimmed(totals, trim_from)
    assert sorted(kept) == sorted(totals)[1:-1]


@checked
@given(totals_on_a_scale(max_size=2), st.integers(0, 6))
def test_fewer_than_three_totals_are_never_trimmed(case, trim_from):
    _low, _high, totals = case
    assert sorted(agg.trimmed(totals, trim_from)) == sorted(totals)


@checked
@given(
    totals_on_a_scale(), st.integers(0, 6), st.integers(-500, 500).map(lambda n: Decimal(n) / 100)
)
def test_adding_a_constant_to_every_total_shifts_the_score_by_it(case, trim_from, shift):
    _low, _high, totals = case
    moved = agg.entry_score([t + shift for t in totals], trim_from)
    assert abs(moved - (agg.entry_score(totals, trim_from) + shift)) < TOLERANCE


def test_no_totals_means_no_score():
    assert agg.entry_score([], 3) is None


@checked
@given(st.lists(st.dictionaries(st.integers(1, 4), on_scale(1, 10), min_size=1), min_size=1))
def test_criterion_means_lie_within_the_values_given(sheet_list):
    means = agg.criterion_means(sheet_list)
    for cid, mean in means.items():
        given_values = [s[cid] for s in sheet_list if cid in s]
        assert min(given_values) <= mean <= max(given_values)


# Ranking and cut-off ---------------------------------------------------------------------------


@checked
@given(rank_items())
def test_ranking_is_a_total_order_consistent_with_scores(items):
    ranked = agg.rank(items, [1, 2, 3])
    scored = [r for r in ranked if r.rank is not None]
    assert [r.rank for r in scored] == list(range(1, len(scored) + 1))  # ids unique: no ties
    for better, worse in zip(scored, scored[1:], strict=False):
        assert better.item.score >= worse.item.score
    assert all(r.item.score is None for r in ranked[len(scored) :])
    assert {r.item.id for r in ranked} == {i.id for i in items}


@checked
@given(rank_items(), st.randoms(use_true_random=False))
def test_ranking_does_not_depend_on_the_input_order(items, random):
    shuffled = list(items)
    random.shuffle(shuffled)
    first = [(r.item.id, r.rank) for r in agg.rank(items, [1, 2, 3])]
    assert [(r.item.id, r.rank) for r in agg.rank(shuffled, [1, 2, 3])] == first


@checked
@given(rank_items())
def test_a_higher_score_always_ranks_better(items):
    ranked = {r.item.id: r for r in agg.rank(items, [1, 2, 3])}
    for a in items:
        for b in items:
            if a.score is not None and b.score is not None and a.score > b.score:
                assert ranked[a.id].rank < ranked[b.id].rank


def test_ties_break_on_the_heaviest_criterion_then_the_next_then_time_then_id():
    t0 = BASE
    items = [
        agg.RankItem(id=1, score=Decimal(8), submitted_at=t0, means={"w30": 7, "w20": 9}),
        agg.RankItem(id=2, score=Decimal(8), submitted_at=t0, means={"w30": 9, "w20": 1}),
        agg.RankItem(id=3, score=Decimal(8), submitted_at=t0, means={"w30": 7, "w20": 10}),
        agg.RankItem(id=5, score=Decimal(8), submitted_at=t0, means={"w30": 7, "w20": 9}),
        agg.RankItem(
            id=4, score=Decimal(8), submitted_at=t0 + dt.timedelta(1), means={"w30": 7, "w20": 9}
        ),
    ]
    order = agg.criteria_heaviest_first({"w20": 20, "w30": 30}, {"w20": 0, "w30": 1})
    assert order == ["w30", "w20"]
    assert [r.item.id for r in agg.rank(items, order)] == [2, 3, 1, 5, 4]


def test_equal_weights_break_ties_in_rubric_order():
    assert agg.criteria_heaviest_first({10: 5, 11: 5, 12: 9}, {10: 2, 11: 1, 12: 3}) == [12, 11, 10]


def test_entries_identical_on_every_key_share_a_rank_and_the_next_is_skipped():
    same = agg.RankItem(id=None, score=Decimal(7), submitted_at=BASE)
    items = [agg.RankItem(id=1, score=Decimal(9), submitted_at=BASE), same, same]
    items.append(agg.RankItem(id=2, score=Decimal(5), submitted_at=BASE))
    assert [r.rank for r in agg.rank(items)] == [1, 2, 2, 4]


@checked
@given(
    rank_items(),
    st.one_of(st.none(), st.integers(0, 20).map(Decimal)),
    st.one_of(st.none(), st.integers(0, 12)),
)
def test_the_passed_set_is_a_prefix_of_the_ranking_within_quota_and_mark(items, mark, quota):
    ranked = agg.rank(items, [1, 2, 3])
    passed = agg.apply_cutoff(ranked, mark, quota)
    order = [r.item.id for r in ranked]
    assert set(order[: len(passed)]) == passed
    if quota is not None:
        assert len(passed) <= quota
    for r in ranked:
        if r.item.id in passed:
            assert r.item.score is not None
            assert mark is None or r.item.score >= mark


@checked
@given(rank_items())
def test_without_rules_every_scored_entry_passes(items):
    ranked = agg.rank(items, [1, 2, 3])
    assert agg.apply_cutoff(ranked) == {i.id for i in items if i.score is not None}


def test_a_tie_straddling_the_quota_is_left_out_as_a_whole():
    same = agg.RankItem(id=7, score=Decimal(7), submitted_at=BASE)
    ranked = agg.rank([agg.RankItem(id=1, score=Decimal(9), submitted_at=BASE), same, same])
    assert agg.apply_cutoff(ranked, quota=2) == {1}
    assert agg.apply_cutoff(ranked, quota=3) == {1, 7}


# Outliers ---------------------------------------------------------------------------------------


@st.composite
def panels(draw):
    low, high, totals = draw(totals_on_a_scale(min_size=0, max_size=7))
    return low, high, dict(enumerate(totals))


@checked
@given(panels(), st.randoms(use_true_random=False))
def test_outlier_flags_do_not_depend_on_the_order_of_jurors(case, random):
    low, high, panel = case
    keys = list(panel)
    random.shuffle(keys)
    reordered = {k: panel[k] for k in keys}
    assert agg.flag_outliers(reordered, low, high, "0.3") == agg.flag_outliers(
        panel, low, high, "0.3"
    )


@checked
@given(panels(), st.integers(-300, 300).map(lambda n: Decimal(n) / 100))
def test_outlier_flags_do_not_move_when_everyone_scores_higher(case, shift):
    low, high, panel = case
    moved = {k: v + shift for k, v in panel.items()}
    assert agg.flag_outliers(moved, low, high, "0.3") == agg.flag_outliers(panel, low, high, "0.3")


@checked
@given(panels())
def test_fewer_than_three_totals_flag_nobody(case):
    low, high, panel = case
    assume(len(panel) < 3)
    assert agg.flag_outliers(panel, low, high, "0.01") == set()


@checked
@given(panels())
def test_a_panel_in_agreement_flags_nobody(case):
    low, high, panel = case
    same = dict.fromkeys(panel, Decimal(low))
    assert agg.flag_outliers(same, low, high, "0.01") == set()


def test_one_far_score_among_agreeing_jurors_is_flagged():
    panel = {"a": Decimal(8), "b": Decimal("8.5"), "c": Decimal(8), "d": Decimal(2)}
    assert agg.flag_outliers(panel, 1, 10, Decimal("0.30")) == {"d"}


@checked
@given(panels())
def test_a_wider_threshold_never_flags_more(case):
    low, high, panel = case
    assert agg.flag_outliers(panel, low, high, "0.5") <= agg.flag_outliers(panel, low, high, "0.2")
