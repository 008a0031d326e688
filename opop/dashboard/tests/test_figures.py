"""The dashboard's figures equal the registry, for every scope, and follow registry changes."""

import pytest

from opop.accounts.access import access_for
from opop.common.testing.personas import JOMBANG, SURABAYA
from opop.dashboard import selectors
from opop.dashboard.models import DashboardState, PillarCount
from opop.dashboard.services import dashboard_ensure_computed, dashboard_refresh
from opop.dashboard.tests.helpers import MALANG, add_rows, expected, shown
from opop.programmes.models import Pillar, YearlyTarget
from opop.registry import selectors as registry
from opop.registry import services as registry_services
from opop.registry.models import Cooperative, Participation, Person, Pesantren

pytestmark = pytest.mark.django_db


def figures(world, persona, year):
    access = access_for(world.user(persona))
    state = None
    if selectors.uses_summary(access):
        state = dashboard_ensure_computed(programme_id=access.programme_id)
    return selectors.dashboard_for(access, year=year, state=state)


@pytest.mark.parametrize("year", [2023, 2024, 2025, 2026])
@pytest.mark.parametrize(
    "persona",
    ["admin", "auditor", "officer", "facilitator", "manager_a", "manager_b", "participant"],
)
def test_figures_equal_registry_counts_in_the_readers_scope(world, persona, year):
    add_rows(world)
    dashboard_refresh(programme_id=world.jatim.pk)
    access = access_for(world.user(persona))
    want = expected(
        registry.participations_visible_to(access),
        registry.cooperatives_visible_to(access),
        registry.pesantren_visible_to(access),
        year=year,
    )
    assert shown(figures(world, persona, year)) == want


def test_partner_sees_programme_wide_aggregates(world):
    add_rows(world)
    dashboard_refresh(programme_id=world.jatim.pk)
    want = expected(
        Participation.objects.filter(programme=world.jatim),
        Cooperative.objects.filter(programme=world.jatim),
        Pesantren.objects.filter(programme=world.jatim),
        year=2025,
    )
    partner = figures(world, "partner", 2025)
    assert shown(partner) == want
    assert partner.scope == selectors.Scope.PROGRAMME
    assert shown(partner) == shown(figures(world, "admin", 2025))


def test_rows_by_regency_add_up_to_the_totals_and_list_every_kab_kota(world):
    add_rows(world)
    dashboard = figures(world, "admin", 2025)
    codes = [row.code for row in dashboard.regencies]
    assert len([c for c in codes if c]) == 38  # every kab/kota of Jawa Timur, zeros included
    assert codes[-1] is None  # a participant whose kab/kota is unknown still counts
    for attr in ("santripreneur", "pesantrenpreneur", "sociopreneur", "cooperatives", "pesantren"):
        assert sum(getattr(r, attr) for r in dashboard.regencies) == getattr(dashboard.totals, attr)
    by_code = {row.code: row for row in dashboard.regencies}
    counted = Participation.objects.filter(
        programme=world.jatim, status__in=Participation.COUNTED, cohort_year__lte=2025
    )
    for code in (SURABAYA, JOMBANG, MALANG):
        for pillar in Pillar.values:
            want = counted.filter(regency_id=code, pillar=pillar).count()
            assert by_code[code].pillars[pillar] == want, (code, pillar)
    assert by_code["35.01"].santripreneur == 0


def test_officer_sees_only_own_kab_kota(world):
    add_rows(world)
    dashboard = figures(world, "officer", 2025)
    assert dashboard.scope == selectors.Scope.REGENCY
    assert dashboard.regency_name == "Kota Surabaya"
    assert [row.code for row in dashboard.regencies] == [SURABAYA]
    surabaya = Participation.objects.filter(
        programme=world.jatim, regency_id=SURABAYA, status__in=Participation.COUNTED
    )
    assert dashboard.totals.santripreneur == surabaya.filter(pillar="santripreneur").count()
    assert dashboard.totals.pesantren == 1  # the inactive Surabaya pesantren is not counted


def test_targets_are_the_years_and_the_overall_ones(world):
    indicator = world.jatim.indicators.get(pillar=Pillar.SANTRIPRENEUR)
    YearlyTarget.objects.create(indicator=indicator, year=2024, target=200)
    dashboard = figures(world, "admin", 2024)
    santri = dashboard.pillars[0]
    assert (santri.year.target, santri.cumulative.target) == (200, 1_000_000)
    dashboard = figures(world, "admin", 2025)
    santri = dashboard.pillars[0]
    assert (santri.year.count, santri.year.target) == (2, 250_000)
    assert figures(world, "admin", 2030).pillars[0].year.target is None


def test_adding_a_participation_through_the_registry_shows_on_the_dashboard(
    world, django_capture_on_commit_callbacks
):
    admin = world.user("admin")
    dashboard_refresh(programme_id=world.jatim.pk)
    before = figures(world, "admin", 2025).pillars[2].year.count
    person = Person.objects.create(programme=world.jatim, full_name="Baru", regency_id=JOMBANG)
    with django_capture_on_commit_callbacks(execute=True):
        registry_services.participation_save(
            actor=admin,
            programme=world.jatim,
            data={"pillar": Pillar.SOCIOPRENEUR, "cohort_year": 2025, "person": person},
        )
    dashboard = figures(world, "admin", 2025)
    assert dashboard.pillars[2].year.count == before + 1
    assert not dashboard.pending
    assert figures(world, "officer", 2025).totals.sociopreneur == 0  # Jombang, not Surabaya


def test_withdrawing_a_participation_takes_it_off_the_dashboard(
    world, django_capture_on_commit_callbacks
):
    dashboard_refresh(programme_id=world.jatim.pk)
    assert figures(world, "officer", 2025).totals.santripreneur == 1
    participation = Participation.objects.get(person=world.person_a)
    with django_capture_on_commit_callbacks(execute=True):
        registry_services.participation_save(
            actor=world.user("officer"),
            programme=world.jatim,
            data={"status": Participation.Status.WITHDRAWN},
            instance=participation,
        )
    assert figures(world, "officer", 2025).totals.santripreneur == 0
    assert figures(world, "admin", 2025).pillars[0].cumulative.count == 1


def test_a_new_cooperative_and_pesantren_show_after_commit(
    world, django_capture_on_commit_callbacks
):
    admin = world.user("admin")
    dashboard_refresh(programme_id=world.jatim.pk)
    with django_capture_on_commit_callbacks(execute=True):
        pesantren = registry_services.pesantren_save(
            actor=admin,
            programme=world.jatim,
            data={"name": "Pondok Baru", "regency_id": MALANG},
        )
        registry_services.cooperative_save(
            actor=admin,
            programme=world.jatim,
            data={
                "pesantren": pesantren,
                "name": "Kopontren Baru",
                "legal_status": Cooperative.LegalStatus.IN_PROCESS,
            },
        )
    dashboard = figures(world, "admin", 2025)
    malang = next(row for row in dashboard.regencies if row.code == MALANG)
    assert (malang.pesantren, malang.cooperatives) == (1, 1)
    assert {c.legal_status: c.count for c in dashboard.cooperatives}["in_process"] == 1


def test_a_change_not_yet_counted_is_flagged_pending(world, django_capture_on_commit_callbacks):
    dashboard_refresh(programme_id=world.jatim.pk)
    # The registry's write queued a refresh; with the job not yet run the page says so.
    DashboardState.objects.filter(programme=world.jatim).update(dirty_version=5)
    assert figures(world, "admin", 2025).pending
    dashboard_refresh(programme_id=world.jatim.pk, only_if_stale=True)
    assert not figures(world, "admin", 2025).pending


def test_a_refresh_replaces_rows_instead_of_adding_to_them(world):
    dashboard_refresh(programme_id=world.jatim.pk)
    rows = PillarCount.objects.filter(programme=world.jatim).count()
    dashboard_refresh(programme_id=world.jatim.pk)
    assert PillarCount.objects.filter(programme=world.jatim).count() == rows
    assert figures(world, "admin", 2025).pillars[0].year.count == 2


def test_programmes_do_not_mix(world):
    add_rows(world)
    kalsel = figures(world, "kalsel_admin", 2025)
    assert kalsel.totals.santripreneur == 0
    assert kalsel.totals.pesantren == 1
    assert {row.code[:2] for row in kalsel.regencies if row.code} == {"63"}


def test_years_offered_come_from_programme_years_targets_and_cohorts(world):
    add_rows(world)
    dashboard_refresh(programme_id=world.jatim.pk)
    world.jatim.years.create(year=2021)
    access = access_for(world.user("officer"))
    years = selectors.dashboard_years(access)
    assert {2021, 2023, 2024, 2025, 2026} <= set(years)
    assert years == sorted(years, reverse=True)
