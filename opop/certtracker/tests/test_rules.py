import datetime as dt

import pytest

from opop.certtracker import rules
from opop.certtracker.models import TrackStatus

TODAY = dt.date(2026, 6, 1)


@pytest.mark.parametrize(
    ("src", "dst", "allowed"),
    [
        ("planned", "preparing", True),
        ("preparing", "submitted", True),
        ("submitted", "issued", True),
        ("submitted", "rejected", True),
        ("planned", "issued", False),
        ("planned", "submitted", False),
        ("preparing", "issued", False),
        ("issued", "preparing", False),
        ("rejected", "submitted", False),
        ("issued", "expired", False),
        ("submitted", "planned", False),
    ],
)
def test_moves(src, dst, allowed):
    assert rules.may_move(src, dst) is allowed


def test_expiring_and_expired_are_derived_from_the_expiry_date():
    issued = TrackStatus.ISSUED
    assert rules.shown_status(issued, TODAY + dt.timedelta(days=91), TODAY) == "issued"
    assert rules.shown_status(issued, TODAY + dt.timedelta(days=90), TODAY) == "expiring"
    assert rules.shown_status(issued, TODAY, TODAY) == "expiring"
    assert rules.shown_status(issued, TODAY - dt.timedelta(days=1), TODAY) == "expired"
    assert rules.shown_status(issued, None, TODAY) == "issued"
    assert rules.shown_status("submitted", TODAY - dt.timedelta(days=5), TODAY) == "submitted"


def test_reminder_threshold_picks_the_nearest_one_reached():
    assert rules.reminder_threshold(TODAY + dt.timedelta(days=91), TODAY) is None
    assert rules.reminder_threshold(TODAY + dt.timedelta(days=90), TODAY) == 90
    assert rules.reminder_threshold(TODAY + dt.timedelta(days=31), TODAY) == 90
    assert rules.reminder_threshold(TODAY + dt.timedelta(days=30), TODAY) == 30
    assert rules.reminder_threshold(TODAY, TODAY) == 30
    assert rules.reminder_threshold(TODAY - dt.timedelta(days=1), TODAY) is None


def _yes(**overrides):
    answers = {
        "nib": "1234567890123",
        "monthly_revenue": None,
        "small_business": True,
        "simple_process": True,
        "low_risk_ingredients": True,
        "slaughtering": False,
    }
    answers.update(overrides)
    return rules.halal_self_declare(**answers)


def test_self_declare_eligible_when_every_rule_is_met():
    result = _yes()
    assert result.eligible
    assert result.unmet == []


@pytest.mark.parametrize(
    ("overrides", "code", "words"),
    [
        ({"nib": ""}, "nib", "OSS"),
        ({"small_business": False}, "size", "micro and small"),
        ({"simple_process": False}, "process", "not simple"),
        ({"low_risk_ingredients": False}, "ingredients", "certified"),
        ({"slaughtering": True}, "slaughter", "slaughtering"),
        ({"monthly_revenue": 2_000_000_000}, "size", "15 billion"),
    ],
)
def test_each_unmet_rule_is_explained(overrides, code, words):
    result = _yes(**overrides)
    assert not result.eligible
    assert [o.code for o in result.unmet] == [code]
    assert words in result.unmet[0].text


def test_registry_revenue_wins_over_the_answer():
    # Rp1 billion a month is Rp12 billion a year: small, whatever the user answered.
    result = _yes(monthly_revenue=1_000_000_000, small_business=False)
    assert result.eligible


def test_unanswered_questions_are_not_eligible():
    result = _yes(simple_process=None, nib=None)
    assert not result.eligible
    assert {o.code for o in result.unmet} == {"process", "nib"}
    assert all(o.met is None for o in result.unmet)
