import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from opop.common.models import AuditEvent
from opop.coophealth import status as health
from opop.coophealth.models import CooperativeHealth, CooperativeReport
from opop.coophealth.services import CREATED, UNCHANGED, UPDATED
from opop.coophealth.tests.helpers import figures, file_report

pytestmark = pytest.mark.django_db
LAST = health.this_year() - 1


# --- Saving: one report per cooperative and year, audited --------------------------------------


def test_a_second_save_for_the_same_year_updates_the_report_and_audits_the_change(world):
    first = file_report(world)
    assert first.outcome == CREATED
    again = file_report(world, surplus=-5_000_000)
    assert again.outcome == UPDATED
    assert CooperativeReport.objects.filter(cooperative=world.coop_a).count() == 1
    report = CooperativeReport.objects.get(cooperative=world.coop_a)
    assert report.surplus == -5_000_000  # a loss is allowed
    events = AuditEvent.objects.filter(target_type="coophealth.cooperativereport")
    assert list(events.order_by("id").values_list("action", flat=True)) == ["create", "update"]
    assert events.order_by("id").last().changes == {"surplus": [35_000_000, -5_000_000]}


def test_saving_the_same_figures_again_changes_nothing(world):
    file_report(world)
    assert file_report(world).outcome == UNCHANGED
    assert AuditEvent.objects.filter(target_type="coophealth.cooperativereport").count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"business_volume": -1}, "business_volume"),
        ({"own_capital": -10}, "own_capital"),
        ({"external_capital": -10}, "external_capital"),
        ({"members_total": -1}, "members_total"),
        ({"members_women": 500}, "members_women"),
        ({"assets": -1}, "assets"),
        ({"rat_date": dt.date(LAST - 1, 12, 1)}, "rat_date"),  # before the book year
        ({"rat_date": dt.date(LAST + 2, 1, 10)}, "rat_date"),  # long after it
    ],
)
def test_invalid_figures_are_refused_and_nothing_is_saved(world, changes, field):
    with pytest.raises(ValidationError) as caught:
        file_report(world, **changes)
    assert field in caught.value.message_dict
    assert not CooperativeReport.objects.exists()
    assert not CooperativeHealth.objects.exists()


def test_a_future_year_and_a_future_rat_are_refused(world):
    this_year = health.this_year()
    with pytest.raises(ValidationError) as caught:
        file_report(world, year=this_year + 1, rat_date=None)
    assert "year" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        file_report(world, year=this_year, rat_date=dt.date(this_year, 12, 31) + dt.timedelta(1))
    assert "rat_date" in caught.value.message_dict


# --- Status: derived, stored as the years it depends on ---------------------------------------


def _status(world, coop):
    summary = CooperativeHealth.objects.filter(cooperative=coop).first()
    year = health.this_year()
    stored = (
        health.status_from(summary.latest_year, summary.latest_active_year, year=year)
        if summary
        else health.NO_REPORT
    )
    derived = health.status_of_reports(
        CooperativeReport.objects.filter(cooperative=coop), year=year
    )
    assert stored == derived  # the summary row agrees with the reports themselves
    return stored


def test_status_is_derived_from_the_reports(world):
    assert _status(world, world.coop_a) == health.NO_REPORT
    file_report(world, rat_date=None)  # last year, no RAT held
    assert _status(world, world.coop_a) == health.INACTIVE
    file_report(world, business_volume=0)  # RAT held, no business
    assert _status(world, world.coop_a) == health.INACTIVE
    file_report(world)  # RAT held and business done
    assert _status(world, world.coop_a) == health.ACTIVE
    file_report(world, world.coop_b, year=LAST - 3)  # an old active report is not enough
    assert _status(world, world.coop_b) == health.NO_REPORT


def test_status_moves_on_with_the_year_without_a_save():
    assert health.status_from(2024, 2024, year=2025) == health.ACTIVE
    assert health.status_from(2024, 2024, year=2026) == health.NO_REPORT
    assert health.status_from(2025, 2023, year=2026) == health.INACTIVE
    assert health.status_from(None, None, year=2026) == health.NO_REPORT


def test_summary_filters_agree_with_the_status(world):
    file_report(world)
    from opop.registry.models import Cooperative

    year = health.this_year()
    active = Cooperative.objects.filter(health.summary_q(health.ACTIVE, year=year))
    no_report = Cooperative.objects.filter(health.summary_q(health.NO_REPORT, year=year))
    assert world.coop_a in active and world.coop_b not in active
    assert world.coop_b in no_report and world.coop_a not in no_report


# --- Pages ------------------------------------------------------------------------------------


def test_the_manager_files_a_report_for_their_own_cooperative(world):
    url = reverse("coophealth:report", args=[world.coop_a.pk])
    client = world.client("manager_a")
    assert client.get(url).status_code == 200
    data = {"year": LAST, **figures(LAST)}
    data["rat_date"] = data["rat_date"].isoformat()
    response = client.post(url, data)
    assert response.status_code == 302
    report = CooperativeReport.objects.get(cooperative=world.coop_a, year=LAST)
    assert report.created_by == world.user("manager_a")
    detail = client.get(reverse("coophealth:cooperative", args=[world.coop_a.pk]))
    assert detail.status_code == 200
    assert "Rp900.000.000" in detail.content.decode()


def test_the_form_shows_errors_at_their_field(world):
    url = reverse("coophealth:report", args=[world.coop_a.pk])
    data = {"year": LAST, **figures(LAST, members_women=999, rat_date="")}
    response = world.client("manager_a").post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors.get("members_women")
    assert not CooperativeReport.objects.exists()


def test_history_shows_growth_year_on_year(world):
    file_report(world, year=LAST - 1, business_volume=800_000_000)
    file_report(world, year=LAST, business_volume=1_000_000_000)
    response = world.client("officer").get(
        reverse("coophealth:cooperative", args=[world.coop_a.pk])
    )
    history = response.context["history"]
    assert [row["report"].year for row in history] == [LAST, LAST - 1]
    assert history[0]["growth"]["business_volume"] == 25.0
    assert history[1]["growth"]["business_volume"] is None


def test_the_list_filters_by_kab_kota_and_status(world):
    file_report(world)
    client = world.client("admin")
    url = reverse("coophealth:list")
    names = lambda r: {row["coop"].name for row in r.context["rows"]}  # noqa: E731
    assert names(client.get(url)) == {world.coop_a.name, world.coop_b.name}
    assert names(client.get(url, {"status": "active"})) == {world.coop_a.name}
    assert names(client.get(url, {"status": "no_report"})) == {world.coop_b.name}
    assert names(client.get(url, {"regency": "35.17"})) == {world.coop_b.name}


def test_the_list_query_count_does_not_grow_with_rows(world, django_assert_max_num_queries):
    file_report(world)
    file_report(world, world.coop_b)
    client = world.client("admin")
    client.get(reverse("coophealth:list"))  # warm caches (regions, session)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("coophealth:list")).status_code == 200


# --- Refusals ---------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["manager_b", "officer"])
def test_out_of_scope_staff_and_managers_get_404_on_another_cooperative(world, persona):
    # coop_a is in Surabaya (the officer's) - use coop_b for the officer, coop_a for manager_b.
    coop = world.coop_a if persona == "manager_b" else world.coop_b
    file_report(world, coop)
    client = world.client(persona)
    for name in ("coophealth:cooperative", "coophealth:report"):
        assert client.get(reverse(name, args=[coop.pk])).status_code == 404
    post = client.post(reverse("coophealth:report", args=[coop.pk]), {"year": LAST})
    assert post.status_code == 404
    assert CooperativeReport.objects.get(cooperative=coop).updated_by == world.user("admin")


def test_manager_b_does_not_see_manager_a_cooperative_in_the_list_or_export(world):
    file_report(world)
    response = world.client("manager_b").get(reverse("coophealth:list"))
    assert {row["coop"].pk for row in response.context["rows"]} == {world.coop_b.pk}
    export = world.client("manager_b").get(reverse("coophealth:export"))
    assert export.status_code == 200
    assert world.coop_a.name.encode() not in export.content


@pytest.mark.parametrize("persona", ["juror", "partner", "buyer", "outsider"])
def test_roles_without_coaching_reads_are_refused(world, persona):
    client = world.client(persona)
    for url in (
        reverse("coophealth:list"),
        reverse("coophealth:export"),
        reverse("coophealth:cooperative", args=[world.coop_a.pk]),
        reverse("coophealth:report", args=[world.coop_a.pk]),
        reverse("coophealth:import"),
    ):
        assert client.get(url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_log_in(world):
    response = world.client("anonymous").get(reverse("coophealth:list"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_auditor_reads_but_cannot_report(world):
    client = world.client("auditor")
    assert client.get(reverse("coophealth:cooperative", args=[world.coop_a.pk])).status_code == 200
    assert client.get(reverse("coophealth:report", args=[world.coop_a.pk])).status_code == 403
    assert client.get(reverse("coophealth:import")).status_code == 403


def test_another_programme_cooperative_is_404(world):
    client = world.client("kalsel_admin")
    assert client.get(reverse("coophealth:cooperative", args=[world.coop_a.pk])).status_code == 404
    assert client.get(reverse("coophealth:report", args=[world.coop_a.pk])).status_code == 404


def test_a_manager_cannot_import(world):
    assert world.client("manager_a").get(reverse("coophealth:import")).status_code == 403
