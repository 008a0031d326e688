import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from opop.accounts.models import Membership
from opop.common import pii
from opop.common.identifiers import parse_nib, parse_npwp, parse_nspp, parse_phone
from opop.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from opop.demo.seed import demo_reset, demo_seed
from opop.programmes.models import Indicator, Partner, PartnerAgreement, Programme, ProgrammeYear
from opop.regions.models import Region
from opop.registry import rules
from opop.registry.models import Cooperative, Enterprise, Participation, Person, Pesantren

pytestmark = pytest.mark.django_db


def _snapshot() -> dict[str, list]:
    """Everything that must come out the same, in insertion order, without primary keys."""
    return {
        "pesantren": list(
            Pesantren.objects.order_by("id").values_list(
                "name", "nspp", "regency_id", "district_id", "leader_name", "santri_count"
            )
        ),
        "cooperatives": list(
            Cooperative.objects.order_by("id").values_list(
                "name", "legal_status", "nib", "pesantren__nspp"
            )
        ),
        "people": list(
            Person.objects.order_by("id").values_list(
                "full_name", "nik_hash", "nik_masked", "birth_date", "district_id", "phone"
            )
        ),
        "enterprises": list(
            Enterprise.objects.order_by("id").values_list("name", "nib", "owner__nik_hash")
        ),
        "participations": list(
            Participation.objects.order_by("id").values_list(
                "pillar", "cohort_year", "status", "person__nik_hash", "regency_id"
            )
        ),
    }


def test_seeding_twice_with_the_same_seed_gives_identical_data():
    demo_seed(scale="tiny")
    first = _snapshot()
    demo_reset()
    assert not Person.objects.exists()
    demo_seed(scale="tiny")
    assert _snapshot() == first


def test_another_seed_gives_other_people():
    demo_seed(scale="tiny", seed=1)
    first = _snapshot()["people"]
    demo_reset()
    demo_seed(scale="tiny", seed=2)
    assert _snapshot()["people"] != first


def test_if_empty_does_nothing_the_second_time():
    call_command("seed_demo", "--scale", "tiny", "--if-empty", stdout=StringIO())
    before = _snapshot()
    out = StringIO()
    call_command("seed_demo", "--scale", "tiny", "--if-empty", stdout=out)
    assert "skipped" in out.getvalue()
    assert _snapshot() == before


def test_it_refuses_to_seed_over_existing_data_without_reset():
    call_command("seed_demo", "--scale", "tiny", stdout=StringIO())
    with pytest.raises(CommandError, match="--reset"):
        call_command("seed_demo", "--scale", "tiny", stdout=StringIO())
    call_command("seed_demo", "--scale", "tiny", "--reset", stdout=StringIO())
    # 85 % of 600 seeded people; demo intake files accepted into a cohort add their own
    seeded = Person.objects.filter(programme__code="jatim", applications__isnull=True)
    assert seeded.count() == 510


@override_settings(SETTINGS_MODULE="config.settings.production")
def test_it_refuses_to_run_with_production_settings():
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo", "--scale", "tiny", stdout=StringIO())
    assert not Programme.objects.filter(code="jatim").exists()


def test_every_demo_account_logs_in_with_the_demo_password():
    demo_seed(scale="tiny")
    for account in DEMO_ACCOUNTS:
        client = Client()
        response = client.post(
            reverse("accounts:login"), {"email": account.email, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, account.email
        assert client.session.get("_auth_user_id"), account.email


def test_demo_accounts_have_scopes_with_data_behind_them():
    demo_seed(scale="tiny")
    # Demo applicants and the extra demo jurors have memberships too; these are the named ones.
    memberships = {
        m.user.email: m
        for m in Membership.objects.select_related(
            "user", "programme", "pesantren", "partner"
        ).filter(user__email__in=[a.email for a in DEMO_ACCOUNTS])
    }
    assert {email: m.role for email, m in memberships.items()} == {
        a.email: a.role for a in DEMO_ACCOUNTS
    }
    assert memberships["admin.kalsel@demo.opop.id"].programme.code == "kalsel"
    assert memberships["officer.surabaya@demo.opop.id"].regency_id == "35.78"
    assert Person.objects.filter(programme__code="jatim", regency_id="35.78").exists()
    facilitator = memberships["facilitator@demo.opop.id"]
    assert facilitator.assigned_pesantren.count() == 5
    managed = [memberships[f"manager.{x}@demo.opop.id"].pesantren for x in "ab"]
    assert managed[0] != managed[1]
    for pesantren in managed:
        assert pesantren.programme.code == "jatim"
        assert pesantren.cooperatives.exists()
        assert pesantren.people.count() >= 12
        assert pesantren.enterprises.exists()
    person = memberships["participant@demo.opop.id"].person
    assert not rules.is_minor(person.birth_date)
    assert person.participations.filter(pillar="santripreneur").exists()
    assert person.enterprises.exists()
    assert memberships["partner@demo.opop.id"].partner.name == "Bank Jatim Syariah"


def test_demo_logins_lists_existing_accounts_and_the_url(monkeypatch):
    out = StringIO()
    call_command("demo_logins", stdout=out)
    assert "No demo accounts" in out.getvalue()
    demo_seed(scale="tiny")
    monkeypatch.setenv("PORT", "8080")
    out = StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    for account in DEMO_ACCOUNTS:
        assert account.email in text
    assert "Kota Surabaya" in text
    assert "http://127.0.0.1:8080" in text
    assert DEMO_PASSWORD in text


def test_programmes_get_years_targets_and_partners():
    demo_seed(scale="tiny")
    jatim = Programme.objects.get(code="jatim")
    assert jatim.province_id == "35"
    assert "Pergub" in jatim.legal_basis
    assert list(
        ProgrammeYear.objects.filter(programme=jatim).values_list("year", flat=True)
    ) == list(range(2019, 2027))
    santri = Indicator.objects.get(programme=jatim, code="santripreneur")
    assert santri.overall_target == 1_000_000
    assert santri.targets.get(year=2022).target == 250_000
    pesantren_2022 = Indicator.objects.get(programme=jatim, code="pesantrenpreneur").targets.get(
        year=2022
    )
    assert pesantren_2022.target == 200
    assert set(Partner.objects.filter(programme=jatim).values_list("kind", flat=True)) == {
        "academia",
        "business",
        "community",
        "government",
        "media",
    }
    assert PartnerAgreement.objects.filter(partner__programme=jatim).count() >= 5
    kalsel = Programme.objects.get(code="kalsel")
    assert kalsel.province_id == "63"
    kalsel_target = Indicator.objects.get(programme=kalsel, code="santripreneur").overall_target
    assert kalsel_target < santri.overall_target


def test_small_scale_spreads_valid_records_over_every_kab_kota():
    call_command("seed_demo", "--scale", "small", stdout=StringIO())
    # Records made by accepting demo intake files come on top of the seeded registry.
    assert Pesantren.objects.filter(applications__isnull=True).count() == 200
    assert Person.objects.filter(applications__isnull=True).count() == 2_000

    for programme, province, regencies in (("jatim", "35", 38), ("kalsel", "63", 13)):
        people = Person.objects.filter(programme__code=programme)
        assert Region.objects.filter(parent_id=province, level=2).count() == regencies
        assert people.values("regency_id").distinct().count() == regencies
        assert people.values("district_id").distinct().count() > regencies
        # 2019–2025 seeded, plus this year's cohorts filled by the demo intake.
        assert set(
            Participation.objects.filter(programme__code=programme).values_list(
                "cohort_year", flat=True
            )
        ) == set(range(2019, 2026)) | {timezone.localdate().year}
        assert set(
            Participation.objects.filter(programme__code=programme).values_list("pillar", flat=True)
        ) == {"santripreneur", "pesantrenpreneur", "sociopreneur"}
    assert set(Cooperative.objects.values_list("legal_status", flat=True)) == {
        "none",
        "in_process",
        "incorporated",
    }

    hashes = set()
    for person in Person.objects.all():
        nik = pii.decrypt(person.nik_cipher)
        info = rules.nik_checked(nik, gender=person.gender, birth_date=person.birth_date)
        assert not info.warnings
        assert nik[:6] == person.district_id.replace(".", "")
        assert person.district.parent_id == person.regency_id
        assert person.nik_hash == pii.nik_hash(nik)
        hashes.add(person.nik_hash)
        if person.phone:
            assert parse_phone(person.phone, mobile=True) == person.phone
        rules.guardian_consent_required(
            birth_date=person.birth_date,
            guardian_name=person.guardian_name,
            guardian_consent_at=person.guardian_consent_at,
        )
    assert len(hashes) == Person.objects.count()  # every NIK once, intake people included
    assert (
        Person.objects.filter(birth_date__gte=dt.date(2009, 1, 1))
        .exclude(guardian_name="")
        .exists()
    )

    for pesantren in Pesantren.objects.exclude(nspp=""):
        assert parse_nspp(pesantren.nspp) == pesantren.nspp
    for cooperative in Cooperative.objects.exclude(nib=""):
        assert parse_nib(cooperative.nib) == cooperative.nib
    for cooperative in Cooperative.objects.exclude(npwp=""):
        assert parse_npwp(cooperative.npwp) == cooperative.npwp and len(cooperative.npwp) == 16

    for participation in Participation.objects.select_related("person", "pesantren"):
        subject = participation.pesantren or participation.person
        assert participation.regency_id == subject.regency_id
    for enterprise in Enterprise.objects.select_related("owner", "pesantren"):
        assert enterprise.regency_id == (enterprise.owner or enterprise.pesantren).regency_id
