"""Programme settings pages: who may read and change them, validation, audit, scope."""

import datetime as dt

import pytest
from django.urls import reverse

from opop.common.models import AuditEvent
from opop.programmes.models import Indicator, Partner, PartnerAgreement, ProgrammeYear, YearlyTarget

pytestmark = pytest.mark.django_db

OTHERS = [
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
def partner(world):
    partner = Partner.objects.create(
        programme=world.jatim, name="Universitas Airlangga", kind=Partner.Kind.ACADEMIA
    )
    PartnerAgreement.objects.create(
        partner=partner, number="PKS/01/2025", title="Inkubator", starts_on=dt.date(2025, 1, 1)
    )
    return partner


@pytest.fixture
def kalsel_partner(world):
    return Partner.objects.create(
        programme=world.kalsel, name="ULM Banjarmasin", kind=Partner.Kind.ACADEMIA
    )


def read_urls(partner):
    agreement = partner.agreements.get()
    return [
        reverse("programmes:settings"),
        reverse("programmes:programme_edit"),
        reverse("programmes:targets"),
        reverse("programmes:partner_list"),
        reverse("programmes:partner_detail", args=[partner.pk]),
        reverse("programmes:partner_edit", args=[partner.pk]),
        reverse("programmes:agreement_edit", args=[agreement.pk]),
    ]


def create_urls(partner):
    return [
        reverse("programmes:year_create"),
        reverse("programmes:indicator_create"),
        reverse("programmes:partner_create"),
        reverse("programmes:agreement_create", args=[partner.pk]),
    ]


# --- Refusals --------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["admin", "auditor"])
def test_admin_and_auditor_read_the_settings(world, partner, persona):
    client = world.client(persona)
    for url in read_urls(partner):
        assert client.get(url).status_code == 200, url


def test_admin_opens_the_forms_that_create(world, partner):
    client = world.client("admin")
    for url in create_urls(partner):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", OTHERS)
def test_other_roles_are_refused(world, partner, persona):
    client = world.client(persona)
    for url in read_urls(partner) + create_urls(partner):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {}).status_code == 403, url


def test_anonymous_is_sent_to_login(world, partner):
    client = world.client("anonymous")
    for url in read_urls(partner):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_auditor_cannot_change_anything(world, partner):
    client = world.client("auditor")
    for url in read_urls(partner) + create_urls(partner):
        assert client.post(url, {"name": "Changed"}).status_code == 403, url
    for url in create_urls(partner):
        assert client.get(url).status_code == 403, url
    world.jatim.refresh_from_db()
    assert world.jatim.name == "OPOP Jawa Timur"
    assert not AuditEvent.objects.filter(actor=world.user("auditor")).exists()


def test_auditor_sees_no_edit_buttons(world, partner):
    html = world.client("auditor").get(reverse("programmes:settings")).content.decode()
    assert reverse("programmes:programme_edit") not in html
    assert reverse("programmes:year_create") not in html
    targets = world.client("auditor").get(reverse("programmes:targets")).content.decode()
    assert "disabled" in targets and 'type="submit"' not in targets


def test_admin_cannot_open_or_edit_another_programmes_partner(world, kalsel_partner):
    client = world.client("admin")
    for name in ("partner_detail", "partner_edit", "agreement_create"):
        url = reverse(f"programmes:{name}", args=[kalsel_partner.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"name": "Hijacked", "kind": "media"}).status_code == 404
    kalsel_partner.refresh_from_db()
    assert kalsel_partner.name == "ULM Banjarmasin"


def test_admin_cannot_edit_another_programmes_agreement(world):
    other = Partner.objects.create(programme=world.kalsel, name="Bank Kalsel", kind="business")
    agreement = PartnerAgreement.objects.create(
        partner=other, number="PKS/9", title="KUR", starts_on=dt.date(2025, 1, 1)
    )
    url = reverse("programmes:agreement_edit", args=[agreement.pk])
    assert world.client("admin").get(url).status_code == 404


def test_partner_list_never_shows_another_programme(world, partner, kalsel_partner):
    html = world.client("admin").get(reverse("programmes:partner_list")).content.decode()
    assert "Universitas Airlangga" in html
    assert "ULM Banjarmasin" not in html
    html = world.client("kalsel_admin").get(reverse("programmes:partner_list")).content.decode()
    assert "ULM Banjarmasin" in html and "Universitas Airlangga" not in html


def test_other_programmes_year_is_not_found(world):
    ProgrammeYear.objects.create(programme=world.kalsel, year=2031)
    assert world.client("admin").get("/programme/years/2031/").status_code == 404


# --- The programme and its years -------------------------------------------------------------


def test_admin_edits_name_and_legal_basis_with_an_audit_row(world):
    response = world.client("admin").post(
        reverse("programmes:programme_edit"),
        {
            "name": "OPOP Jatim",
            "legal_basis": "Pergub Jatim No. 62 Tahun 2020",
            "legal_basis_date": "2020-09-01",
        },
    )
    assert response.status_code == 302
    world.jatim.refresh_from_db()
    assert world.jatim.legal_basis == "Pergub Jatim No. 62 Tahun 2020"
    assert world.jatim.legal_basis_date == dt.date(2020, 9, 1)
    event = AuditEvent.objects.get(target_type="programmes.programme", target_id=world.jatim.pk)
    assert event.actor == world.user("admin")
    assert event.changes["name"] == ["OPOP Jawa Timur", "OPOP Jatim"]


def test_admin_adds_a_year_with_budget_in_rupiah(world):
    client = world.client("admin")
    response = client.post(
        reverse("programmes:year_create"), {"year": "2026", "budget": "1.500.000.000"}
    )
    assert response.status_code == 302
    year = ProgrammeYear.objects.get(programme=world.jatim, year=2026)
    assert year.budget == 1_500_000_000
    assert "Rp1.500.000.000" in client.get(reverse("programmes:settings")).content.decode()
    assert AuditEvent.objects.filter(target_type="programmes.programmeyear").count() == 1


def test_a_year_cannot_be_added_twice(world):
    ProgrammeYear.objects.create(programme=world.jatim, year=2026)
    response = world.client("admin").post(reverse("programmes:year_create"), {"year": "2026"})
    assert response.status_code == 200
    assert "already a year" in response.content.decode()
    assert ProgrammeYear.objects.filter(programme=world.jatim, year=2026).count() == 1


@pytest.mark.parametrize("budget", ["-5", "1,5", "abc"])
def test_a_year_budget_must_be_whole_rupiah(world, budget):
    response = world.client("admin").post(
        reverse("programmes:year_create"), {"year": "2027", "budget": budget}
    )
    assert response.status_code == 200
    assert not ProgrammeYear.objects.filter(programme=world.jatim, year=2027).exists()


def test_editing_a_year_keeps_the_year_and_changes_the_budget(world):
    ProgrammeYear.objects.create(programme=world.jatim, year=2025, budget=10)
    response = world.client("admin").post(
        "/programme/years/2025/", {"year": "1999", "budget": "20", "notes": "APBD"}
    )
    assert response.status_code == 302
    year = ProgrammeYear.objects.get(programme=world.jatim, year=2025)
    assert (year.budget, year.notes) == (20, "APBD")


# --- Indicators and targets ------------------------------------------------------------------


def targets_post(world, **overrides):
    """The whole targets form as the page would send it, with some fields changed."""
    data = {}
    for ind in Indicator.objects.filter(programme=world.jatim):
        data[f"name_{ind.pk}"] = ind.name
        data[f"overall_{ind.pk}"] = str(ind.overall_target or "")
        for t in ind.targets.all():
            data[f"target_{ind.pk}_{t.year}"] = str(t.target)
    data.update(overrides)
    return data


def test_admin_edits_the_yearly_breakdown_in_one_form(world):
    world.jatim.years.create(year=2024)
    world.jatim.years.create(year=2026)
    santri = world.jatim.indicators.get(pillar="santripreneur")
    socio = world.jatim.indicators.get(pillar="sociopreneur")
    data = targets_post(
        world,
        **{
            f"target_{santri.pk}_2024": "200.000",
            f"target_{santri.pk}_2026": "300000",
            f"target_{socio.pk}_2025": "",  # removes the 2025 target
            f"overall_{santri.pk}": "1.000.000",
        },
    )
    response = world.client("admin").post(reverse("programmes:targets"), data)
    assert response.status_code == 302
    assert dict(santri.targets.values_list("year", "target")) == {
        2024: 200_000,
        2025: 250_000,
        2026: 300_000,
    }
    assert not socio.targets.filter(year=2025).exists()
    event = AuditEvent.objects.get(target_type="programmes.indicator", target_id=santri.pk)
    assert event.changes == {"target 2024": [None, 200000], "target 2026": [None, 300000]}


@pytest.mark.parametrize("bad", ["-1", "2.5", "1,5", "abc", "10e3", "99999999999"])
def test_targets_must_be_whole_non_negative_numbers(world, bad):
    santri = world.jatim.indicators.get(pillar="santripreneur")
    pesantren = world.jatim.indicators.get(pillar="pesantrenpreneur")
    data = targets_post(
        world,
        **{f"target_{santri.pk}_2025": bad, f"target_{pesantren.pk}_2025": "999"},
    )
    response = world.client("admin").post(reverse("programmes:targets"), data)
    assert response.status_code == 400
    assert "whole number" in response.content.decode() or "too large" in response.content.decode()
    # Nothing is saved, not even the valid field.
    assert YearlyTarget.objects.get(indicator=pesantren, year=2025).target == 250
    assert YearlyTarget.objects.get(indicator=santri, year=2025).target == 250_000


def test_admin_adds_an_indicator_but_not_a_second_one_for_a_pillar(world):
    client = world.client("admin")
    response = client.post(
        reverse("programmes:indicator_create"),
        {
            "code": "agen-pos",
            "name": "Agen Pos Pesantren",
            "unit": "agen",
            "overall_target": "1000",
        },
    )
    assert response.status_code == 302
    assert world.jatim.indicators.get(code="agen-pos").overall_target == 1000
    response = client.post(
        reverse("programmes:indicator_create"),
        {"code": "santri-2", "name": "Santri", "pillar": "santripreneur"},
    )
    assert response.status_code == 200
    assert "already has an indicator" in response.content.decode()


# --- Partners and agreements -----------------------------------------------------------------


def test_partner_list_filters_by_penta_helix_group(world, partner):
    Partner.objects.create(programme=world.jatim, name="Bank Jatim Syariah", kind="business")
    client = world.client("admin")
    html = client.get(reverse("programmes:partner_list"), {"kind": "business"}).content.decode()
    assert "Bank Jatim Syariah" in html and "Universitas Airlangga" not in html
    html = client.get(reverse("programmes:partner_list"), {"q": "airlangga"}).content.decode()
    assert "Universitas Airlangga" in html and "Bank Jatim" not in html


def test_partner_list_query_count_is_flat(world, partner, django_assert_max_num_queries):
    for i in range(10):
        Partner.objects.create(programme=world.jatim, name=f"Media {i}", kind="media")
    client = world.client("admin")
    with django_assert_max_num_queries(6):
        client.get(reverse("programmes:partner_list"))


def test_admin_registers_a_partner_with_contact(world):
    response = world.client("admin").post(
        reverse("programmes:partner_create"),
        {
            "name": "Jawa Pos",
            "kind": "media",
            "contact_name": "Redaksi",
            "contact_email": "redaksi@example.id",
            "contact_phone": "0812-3456-7890",
        },
    )
    assert response.status_code == 302
    created = Partner.objects.get(programme=world.jatim, name="Jawa Pos")
    assert created.contact_phone == "+6281234567890"
    assert AuditEvent.objects.filter(
        target_type="programmes.partner", target_id=created.pk, action="create"
    ).exists()


def test_partner_names_are_unique_in_a_programme(world, partner):
    response = world.client("admin").post(
        reverse("programmes:partner_create"), {"name": "universitas airlangga", "kind": "media"}
    )
    assert response.status_code == 200
    assert "already registered" in response.content.decode()


def test_admin_edits_a_partner_with_history(world, partner):
    url = reverse("programmes:partner_edit", args=[partner.pk])
    response = world.client("admin").post(
        url, {"name": partner.name, "kind": "academia", "contribution": "Inkubator bisnis"}
    )
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.contribution == "Inkubator bisnis"
    event = AuditEvent.objects.get(target_type="programmes.partner", target_id=partner.pk)
    assert event.changes == {"contribution": ["", "Inkubator bisnis"]}


def test_admin_adds_an_agreement(world, partner):
    response = world.client("admin").post(
        reverse("programmes:agreement_create", args=[partner.pk]),
        {
            "number": "PKS/02/2026",
            "title": "Kurasi produk",
            "scope": "Kurasi",
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
        },
    )
    assert response.status_code == 302
    assert partner.agreements.filter(number="PKS/02/2026").exists()
    html = (
        world.client("auditor")
        .get(reverse("programmes:partner_detail", args=[partner.pk]))
        .content.decode()
    )
    assert "PKS/02/2026" in html


def test_an_agreement_cannot_end_before_it_starts(world, partner):
    agreement = partner.agreements.get()
    response = world.client("admin").post(
        reverse("programmes:agreement_edit", args=[agreement.pk]),
        {
            "number": agreement.number,
            "title": agreement.title,
            "starts_on": "2025-06-01",
            "ends_on": "2025-05-31",
        },
    )
    assert response.status_code == 200
    assert "cannot be before the start date" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.ends_on is None


def test_the_service_refuses_an_agreement_ending_before_its_start(world, partner):
    from django.core.exceptions import ValidationError

    from opop.programmes.services import agreement_save

    with pytest.raises(ValidationError) as exc:
        agreement_save(
            actor=world.user("admin"),
            partner=partner,
            data={
                "number": "X",
                "title": "Y",
                "starts_on": dt.date(2025, 2, 1),
                "ends_on": dt.date(2025, 1, 1),
            },
        )
    assert "ends_on" in exc.value.message_dict


def test_saving_the_targets_page_unchanged_changes_nothing(world):
    client = world.client("admin")
    form = client.get(reverse("programmes:targets")).context["form"]
    shown = {name: form[name].value() for name in form.fields}
    assert shown[f"overall_{world.jatim.indicators.get(pillar='santripreneur').pk}"] == "1.000.000"
    assert client.post(reverse("programmes:targets"), shown).status_code == 302
    assert not AuditEvent.objects.filter(target_type="programmes.indicator").exists()
