import pytest

from opop.accounts.access import access_for
from opop.coophealth import status as health
from opop.coophealth.figures import dashboard_figures
from opop.coophealth.journey import journey_events
from opop.coophealth.tests.helpers import file_report

pytestmark = pytest.mark.django_db
YEAR = health.this_year()
LAST = YEAR - 1


def _access(world, persona):
    return access_for(world.user(persona))


def test_dashboard_figures_by_kab_kota_and_year_scoped(world, django_assert_max_num_queries):
    file_report(world, year=LAST - 1, members_total=100, business_volume=500, surplus=-20)
    file_report(world, year=LAST, members_total=120, business_volume=900, surplus=35)
    file_report(
        world, world.coop_b, year=LAST, rat_date=None, members_total=30, members_women=10, surplus=5
    )
    access = _access(world, "admin")
    with django_assert_max_num_queries(2):
        figures = dashboard_figures(access, year=YEAR)
    assert figures["cooperatives"] == {"total": 2, "active": 1, "inactive": 1, "no_report": 0}
    by_regency = {row["regency_code"]: row for row in figures["by_regency"]}
    assert by_regency["35.78"]["active"] == 1 and by_regency["35.17"]["inactive"] == 1
    by_year = {row["year"]: row for row in figures["by_year"]}
    assert by_year[LAST]["members"] == 150
    assert by_year[LAST]["surplus"] == 40
    assert by_year[LAST - 1]["business_volume"] == 500
    # As of an earlier year, the later reports do not count yet.
    earlier = dashboard_figures(access, year=LAST - 1)
    assert earlier["cooperatives"] == {"total": 2, "active": 1, "inactive": 0, "no_report": 1}
    assert [row["year"] for row in earlier["by_year"]] == [LAST - 1]
    # Three years on, nothing recent: no report anywhere.
    later = dashboard_figures(access, year=YEAR + 2)
    assert later["cooperatives"]["no_report"] == 2


@pytest.mark.parametrize(
    ("persona", "total"),
    [("officer", 1), ("manager_b", 1), ("facilitator", 1), ("participant", 0), ("kalsel_admin", 0)],
)
def test_dashboard_figures_stay_in_scope(world, persona, total):
    file_report(world)
    figures = dashboard_figures(_access(world, persona), year=YEAR)
    assert figures["cooperatives"]["total"] == total
    members = sum(row["members"] for row in figures["by_year"])
    if persona in ("officer", "facilitator"):
        assert members == 120
    else:
        assert members == 0


def test_journey_shows_reports_and_rat_for_those_in_scope(world, django_assert_max_num_queries):
    file_report(world)
    file_report(world, year=LAST - 1, rat_date=None)
    access = _access(world, "manager_a")
    with django_assert_max_num_queries(1):
        events = journey_events(world.pesantren_a.pk, access)
    kinds = sorted(e.kind for e in events)
    assert kinds == ["coophealth.rat", "coophealth.report", "coophealth.report"]
    report = next(e for e in events if e.kind == "coophealth.report" and str(LAST) in e.title)
    assert "Rp900.000.000" in report.detail and "120" in report.detail
    rat = next(e for e in events if e.kind == "coophealth.rat")
    assert rat.on.year == LAST + 1
    assert journey_events(world.pesantren_a.pk, _access(world, "manager_b")) == []
    assert journey_events(world.pesantren_a.pk, _access(world, "kalsel_admin")) == []
    assert journey_events(world.pesantren_a.pk, _access(world, "juror")) == []
