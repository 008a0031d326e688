"""Cohorts: created and edited by the programme admin, read by the auditor, quotas per kab/kota,
figures per kab/kota, and acceptance from the cohort page."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from opop.common.models import AuditEvent
from opop.intake.models import Application, Cohort, CohortQuota
from opop.intake.services.acceptance import applications_accept
from opop.intake.services.cohorts import cohort_quotas_save, cohort_save
from opop.intake.tests.factories import make_application, make_cohort, make_quota
from opop.programmes.models import Pillar

S = Application.Status
LIST = reverse("intake:staff_cohort_list")
CREATE = reverse("intake:staff_cohort_create")
NOT_COHORT_READERS = [
    "officer",
    "facilitator",
    "manager_a",
    "participant",
    "juror",
    "partner",
    "buyer",
    "outsider",
]


@pytest.fixture
def cohort(world):
    return make_cohort(world.jatim, pillar=Pillar.SANTRIPRENEUR, total_quota=10)


def _url(name, cohort):
    return reverse(f"intake:staff_cohort_{name}", args=[cohort.pk])


FORM = {
    "year": "2027",
    "pillar": Pillar.PESANTRENPRENEUR,
    "name": "Angkatan 2027",
    "status": Cohort.Status.DRAFT,
    "opens_on": "2027-01-10",
    "closes_on": "2027-03-31",
    "total_quota": "100",
    "require_nspp": "on",
    "min_age": "18",
    "max_age": "55",
    "required_documents": ["nib", "npwp", "identity"],
    "notes": "Bring the originals to the verification.",
}


# --- Creating and editing --------------------------------------------------------------------


def test_the_admin_creates_a_cohort_with_its_rules(world):
    response = world.client("admin").post(CREATE, FORM)
    assert response.status_code == 302
    cohort = Cohort.objects.get(name="Angkatan 2027")
    assert (cohort.programme, cohort.year, cohort.min_age, cohort.max_age) == (
        world.jatim,
        2027,
        18,
        55,
    )
    assert cohort.require_nspp and not cohort.exclude_earlier_cohorts
    assert cohort.required_documents == ["nib", "npwp", "identity"]
    assert AuditEvent.objects.filter(target_type="intake.cohort", target_id=cohort.pk).exists()


def test_a_cohort_closing_before_it_opens_is_refused_at_the_form(world):
    response = world.client("admin").post(CREATE, {**FORM, "closes_on": "2026-12-31"})
    assert response.status_code == 200
    assert not Cohort.objects.filter(name="Angkatan 2027").exists()


def test_a_second_cohort_of_the_same_pillar_and_year_is_refused(world, cohort):
    with pytest.raises(ValidationError):
        cohort_save(
            actor=world.user("admin"),
            programme=world.jatim,
            data={
                "year": cohort.year,
                "pillar": cohort.pillar,
                "name": "Again",
                "opens_on": cohort.opens_on,
                "closes_on": cohort.closes_on,
            },
        )


def test_unknown_document_kinds_are_refused(world, cohort):
    with pytest.raises(ValidationError):
        cohort_save(
            actor=world.user("admin"),
            programme=world.jatim,
            instance=cohort,
            data={"required_documents": ["passport"]},
        )


def test_year_and_pillar_are_fixed_once_files_were_sent(world, cohort):
    make_application(cohort)
    with pytest.raises(ValidationError) as refused:
        cohort_save(
            actor=world.user("admin"), programme=world.jatim, instance=cohort, data={"year": 2030}
        )
    assert "year" in refused.value.message_dict
    saved = cohort_save(
        actor=world.user("admin"),
        programme=world.jatim,
        instance=cohort,
        data={"status": Cohort.Status.CLOSED},
    )
    assert saved.status == Cohort.Status.CLOSED


def test_the_admin_edits_a_cohort(world, cohort):
    response = world.client("admin").post(
        _url("edit", cohort),
        {**FORM, "year": cohort.year, "pillar": cohort.pillar, "name": "Santri 2026 (revised)"},
    )
    assert response.status_code == 302
    cohort.refresh_from_db()
    assert cohort.name == "Santri 2026 (revised)"


@pytest.mark.parametrize("persona", ["auditor", *NOT_COHORT_READERS])
def test_only_the_admin_may_open_the_create_and_edit_pages(world, cohort, persona):
    assert world.client(persona).get(CREATE).status_code == 403
    assert world.client(persona).get(_url("edit", cohort)).status_code == 403
    assert world.client(persona).post(CREATE, FORM).status_code == 403
    assert not Cohort.objects.filter(name="Angkatan 2027").exists()


def test_another_programmes_admin_cannot_edit_or_read_the_cohort(world, cohort):
    client = world.client("kalsel_admin")
    assert client.get(_url("edit", cohort)).status_code == 404
    assert client.get(_url("detail", cohort)).status_code == 404
    assert client.get(_url("quotas", cohort)).status_code == 404
    assert cohort.name not in client.get(LIST).content.decode()


# --- Reading ---------------------------------------------------------------------------------


def test_the_auditor_reads_the_list_and_the_cohort_page_without_actions(world, cohort):
    make_application(cohort, status=S.VERIFIED)
    client = world.client("auditor")
    listing = client.get(LIST)
    assert listing.status_code == 200
    assert cohort.name in listing.content.decode()
    page = client.get(_url("detail", cohort))
    assert page.status_code == 200
    assert not page.context["may_change"]
    assert 'name="selected"' not in page.content.decode()


@pytest.mark.parametrize("persona", NOT_COHORT_READERS)
def test_other_roles_cannot_read_cohort_pages(world, cohort, persona):
    client = world.client(persona)
    for url in (LIST, _url("detail", cohort), _url("quotas", cohort)):
        assert client.get(url).status_code == 403


def test_the_cohort_page_counts_files_per_kab_kota(world, cohort):
    make_quota(cohort, "35.78", 3)
    make_application(cohort, status=S.VERIFIED)
    make_application(cohort, status=S.SUBMITTED)
    make_application(cohort, status=S.SUBMITTED, regency="35.17")
    make_application(cohort, status=S.DRAFT, regency="35.17")
    accepted = make_application(cohort, status=S.VERIFIED)
    applications_accept(actor=world.user("admin"), cohort=cohort, applications=[accepted])
    page = world.client("admin").get(_url("detail", cohort))
    rows = {row["code"]: row for row in page.context["rows"]}
    surabaya, jombang = rows["35.78"], rows["35.17"]
    assert (surabaya["quota"], surabaya["accepted"], surabaya["verified"]) == (3, 1, 1)
    assert surabaya["submitted"] == 1
    assert (jombang["quota"], jombang["accepted"], jombang["submitted"]) == (None, 0, 1)
    assert set(rows) == {"35.78", "35.17"}


# --- Quotas ----------------------------------------------------------------------------------


def test_the_admin_sets_and_clears_quotas_per_kab_kota(world, cohort):
    make_quota(cohort, "35.17", 4)
    url = _url("quotas", cohort)
    page = world.client("admin").get(url)
    assert page.status_code == 200
    assert len(page.context["form"].regencies) == 38  # every kab/kota of Jawa Timur
    response = world.client("admin").post(url, {"quota_35.78": "5", "quota_35.17": ""})
    assert response.status_code == 302
    assert dict(cohort.quotas.values_list("regency_id", "quota")) == {"35.78": 5}


def test_a_quota_is_not_set_below_the_files_already_accepted(world, cohort):
    accepted = make_application(cohort, status=S.VERIFIED)
    applications_accept(actor=world.user("admin"), cohort=cohort, applications=[accepted])
    with pytest.raises(ValidationError) as refused:
        cohort_quotas_save(actor=world.user("admin"), cohort=cohort, quotas={"35.78": 0})
    assert "Kota Surabaya" in str(refused.value)
    assert not CohortQuota.objects.exists()


def test_a_quota_outside_the_programmes_province_is_refused(world, cohort):
    with pytest.raises(ValidationError):
        cohort_quotas_save(actor=world.user("admin"), cohort=cohort, quotas={"63.71": 2})


def test_the_auditor_sees_the_quotas_but_cannot_change_them(world, cohort):
    url = _url("quotas", cohort)
    page = world.client("auditor").get(url)
    assert page.status_code == 200
    assert " disabled" in page.content.decode()
    assert world.client("auditor").post(url, {"quota_35.78": "5"}).status_code == 403
    assert not CohortQuota.objects.exists()


# --- Accepting from the cohort page ----------------------------------------------------------


def test_the_admin_accepts_one_file_from_the_cohort_page(world, cohort):
    application = make_application(cohort, status=S.VERIFIED)
    page = world.client("admin").get(_url("detail", cohort))
    assert application.reference in page.content.decode()
    response = world.client("admin").post(_url("accept", cohort), {"one": application.pk})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.ACCEPTED


def test_accepting_beyond_a_quota_from_the_page_shows_the_kab_kota(world, cohort):
    make_quota(cohort, "35.78", 1)
    files = [make_application(cohort, status=S.VERIFIED) for _ in range(2)]
    client = world.client("admin")
    response = client.post(_url("accept", cohort), {"selected": [f.pk for f in files]}, follow=True)
    assert "Kota Surabaya" in response.content.decode()
    assert not Application.objects.filter(status=S.ACCEPTED).exists()


def test_accept_in_order_from_the_page(world, cohort):
    make_quota(cohort, "35.78", 1)
    first = make_application(cohort, status=S.VERIFIED, submitted_days_ago=5)
    make_application(cohort, status=S.VERIFIED, submitted_days_ago=1)
    world.client("admin").post(_url("accept", cohort), {"in_order": "on"})
    assert list(Application.objects.filter(status=S.ACCEPTED)) == [first]


@pytest.mark.parametrize("persona", ["auditor", *NOT_COHORT_READERS])
def test_only_the_admin_accepts(world, cohort, persona):
    application = make_application(cohort, status=S.VERIFIED)
    response = world.client(persona).post(_url("accept", cohort), {"one": application.pk})
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == S.VERIFIED


def test_another_programmes_admin_cannot_accept(world, cohort):
    application = make_application(cohort, status=S.VERIFIED)
    response = world.client("kalsel_admin").post(_url("accept", cohort), {"one": application.pk})
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.status == S.VERIFIED
