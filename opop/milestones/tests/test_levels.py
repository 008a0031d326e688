"""The level rule: the highest level whose items, and all lower levels' items, are verified."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opop.milestones.levels import level_from_counts, level_from_items


def brute_force(items: list[tuple[int, bool]]) -> int:
    """The rule as written in the issue: try every level from the top."""
    levels_with_items = sorted({level for level, _ in items})
    for candidate in reversed(levels_with_items):
        if all(done for level, done in items if level <= candidate):
            return candidate
    return 0


def test_nothing_verified_is_level_zero():
    assert level_from_items([(1, False), (2, True)]) == 0


def test_an_open_lower_item_holds_back_higher_verified_levels():
    assert level_from_items([(1, True), (1, True), (2, False), (3, True)]) == 1


def test_all_verified_reaches_the_top():
    assert level_from_items([(1, True), (2, True), (3, True), (4, True)]) == 4


def test_a_level_without_items_is_skipped():
    assert level_from_items([(1, True), (3, True), (4, False)]) == 3
    assert level_from_counts({1: 2, 2: 0, 3: 1}, {1: 2, 3: 1}) == 3


def test_no_checklist_is_level_zero():
    assert level_from_items([]) == 0


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(min_value=1, max_value=4), st.booleans()), max_size=30))
def test_level_matches_the_rule(items):
    level = level_from_items(items)
    assert level == brute_force(items)
    # Verifying one more item never lowers the level.
    for index, (lvl, done) in enumerate(items):
        if not done:
            more = items[:index] + [(lvl, True)] + items[index + 1 :]
            assert level_from_items(more) >= level
