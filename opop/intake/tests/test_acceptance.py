"""Acceptance into a cohort: quotas, registry records without retyping, matching, idempotence."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection

from opop.accounts.models import Membership, Role
from opop.intake.models import Application, ApplicationEvent
from opop.intake.services import acceptance
from opop.intake.services.acceptance import applications_accept, applications_accept_in_order
from opop.intake.tests.factories import make_application, make_cohort, make_quota
from opop.notifications.models import Notification
from opop.programmes.models import Pillar
from opop.registry.models import Cooperative, Enterprise, Participation, Person, Pesantren

S = Application.Status
VERIFIED = S.VERIFIED


@pytest.fixture
def pesantren_cohort(world):
    return make_cohort(world.jatim, pillar=Pillar.PESANTRENPRENEUR, year=2026)


@pytest.fixture
def santri_cohort(world):
    return make_cohort(world.jatim, pillar=Pillar.SANTRIPRENEUR, year=2026)


def _accept(world, cohort, *applications):
    return applications_accept(
        actor=world.user("admin"), cohort=cohort, applications=list(applications)
    )


def test_a_pesantren_file_becomes_pesantren_cooperative_person_and_participation(
    world, pesantren_cohort, monkeypatch
):
    stale = []
    monkeypatch.setattr(acceptance, "dashboard_mark_stale", lambda **kw: stale.append(kw))
    application = make_application(pesantren_cohort, status=VERIFIED)
    _accept(world, pesantren_cohort, application)
    application.refresh_from_db()
    assert application.status == S.ACCEPTED
    pesantren = application.pesantren
    assert (pesantren.name, pesantren.nspp, pesantren.regency_id) == (
        application.pesantren_name,
        application.nspp,
        "35.78",
    )
    assert application.cooperative.pesantren == pesantren
    assert application.cooperative.name == application.cooperative_name
    person = application.person
    assert (person.full_name, person.nik_hash, person.nik_cipher) == (
        application.full_name,
        application.nik_hash,
        application.nik_cipher,
    )
    assert person.pesantren == pesantren
    participation = application.participation
    assert (participation.pillar, participation.cohort_year, participation.pesantren) == (
        Pillar.PESANTRENPRENEUR,
        2026,
        pesantren,
    )
    assert application.events.filter(action=ApplicationEvent.Action.ACCEPTED).count() == 1
    assert stale == [{"programme_id": world.jatim.pk}]


def test_the_applicant_becomes_manager_of_the_pesantren_and_is_told(world, pesantren_cohort):
    application = make_application(pesantren_cohort, status=VERIFIED)
    _accept(world, pesantren_cohort, application)
    application.refresh_from_db()
    membership = Membership.objects.get(user=application.applicant, programme=world.jatim)
    assert (membership.role, membership.pesantren) == (Role.MANAGER, application.pesantren)
    note = Notification.objects.get(user=application.applicant, kind="intake.accepted")
    assert application.pesantren_name in note.share_text
    assert pesantren_cohort.name in note.share_text
    assert note.share_text.startswith("Alhamdulillah")


def test_a_participant_file_becomes_person_enterprise_and_pillar_participation(
    world, santri_cohort
):
    application = make_application(santri_cohort, status=VERIFIED, regency="35.17")
    _accept(world, santri_cohort, application)
    application.refresh_from_db()
    person, enterprise = application.person, application.enterprise
    assert person.regency_id == "35.17"
    assert (enterprise.name, enterprise.owner, enterprise.sector) == (
        application.business_name,
        person,
        "food",
    )
    participation = application.participation
    assert (participation.pillar, participation.person, participation.enterprise) == (
        Pillar.SANTRIPRENEUR,
        person,
        enterprise,
    )
    assert (participation.cohort_year, participation.regency_id) == (2026, "35.17")
    membership = Membership.objects.get(user=application.applicant, programme=world.jatim)
    assert (membership.role, membership.person) == (Role.PARTICIPANT, person)


def test_an_existing_pesantren_is_matched_by_nspp_instead_of_duplicated(world, pesantren_cohort):
    before = Pesantren.objects.count()
    application = make_application(
        pesantren_cohort, status=VERIFIED, nspp=world.pesantren_a.nspp, cooperative_name=""
    )
    _accept(world, pesantren_cohort, application)
    application.refresh_from_db()
    assert application.pesantren == world.pesantren_a
    assert Pesantren.objects.count() == before
    # Pesantren A already takes part since 2025: that participation is linked, not doubled.
    assert Participation.objects.filter(pesantren=world.pesantren_a, person=None).count() == 1
    assert application.participation.cohort_year == 2025


def test_an_existing_person_is_matched_by_nik(world):
    cohort = make_cohort(world.jatim, pillar=Pillar.SOCIOPRENEUR)
    person = world.person_a
    application = make_application(
        cohort, status=VERIFIED, nik_hash=person.nik_hash, full_name="Typed Differently"
    )
    people = Person.objects.count()
    _accept(world, cohort, application)
    application.refresh_from_db()
    assert application.person == person
    assert Person.objects.count() == people
    assert person.participations.filter(pillar=Pillar.SOCIOPRENEUR, cohort_year=2026).exists()


def test_accepting_an_accepted_file_again_changes_nothing(world, santri_cohort):
    application = make_application(santri_cohort, status=VERIFIED)
    assert len(_accept(world, santri_cohort, application)) == 1
    counts = (Person.objects.count(), Enterprise.objects.count(), Participation.objects.count())
    assert _accept(world, santri_cohort, application) == []
    assert counts == (
        Person.objects.count(),
        Enterprise.objects.count(),
        Participation.objects.count(),
    )
    assert application.events.filter(action="accepted").count() == 1
    assert Notification.objects.filter(kind="intake.accepted").count() == 1


@pytest.mark.parametrize("status", [S.SUBMITTED, S.NEEDS_FIXING, S.REJECTED, S.DRAFT])
def test_only_complete_files_can_be_accepted(world, santri_cohort, status):
    application = make_application(santri_cohort, status=status)
    with pytest.raises(ValidationError, match=application.reference):
        _accept(world, santri_cohort, application)
    application.refresh_from_db()
    assert application.status == status


def test_a_file_of_another_cohort_is_refused(world, santri_cohort, pesantren_cohort):
    application = make_application(pesantren_cohort, status=VERIFIED)
    with pytest.raises(ValidationError):
        _accept(world, santri_cohort, application)


def test_a_kab_kota_quota_refuses_the_whole_selection_naming_the_kab_kota(world, pesantren_cohort):
    make_quota(pesantren_cohort, "35.78", 1)
    first = make_application(pesantren_cohort, status=VERIFIED)
    second = make_application(pesantren_cohort, status=VERIFIED)
    pesantren = Pesantren.objects.count()
    with pytest.raises(ValidationError, match="Kota Surabaya"):
        _accept(world, pesantren_cohort, first, second)
    assert Pesantren.objects.count() == pesantren
    assert not Application.objects.filter(status=S.ACCEPTED).exists()


def test_the_total_quota_is_kept(world):
    cohort = make_cohort(world.jatim, pillar=Pillar.SANTRIPRENEUR, total_quota=1)
    first = make_application(cohort, status=VERIFIED)
    second = make_application(cohort, status=VERIFIED, regency="35.17")
    _accept(world, cohort, first)
    with pytest.raises(ValidationError, match="total quota is 1"):
        _accept(world, cohort, second)


def test_two_accepts_from_stale_pages_cannot_both_pass_the_quota(world, pesantren_cohort):
    """Each admin's page was loaded before either accepted: the second is counted afresh."""
    make_quota(pesantren_cohort, "35.78", 1)
    first = make_application(pesantren_cohort, status=VERIFIED)
    second = make_application(pesantren_cohort, status=VERIFIED)
    page_a, page_b = (type(pesantren_cohort).objects.get(pk=pesantren_cohort.pk) for _ in range(2))
    _accept(world, page_a, first)
    with pytest.raises(ValidationError, match="Kota Surabaya"):
        _accept(world, page_b, second)
    assert Application.objects.filter(status=S.ACCEPTED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_accepts_beyond_the_quota_cannot_both_pass(world):
    cohort = make_cohort(world.jatim, pillar=Pillar.SANTRIPRENEUR)
    make_quota(cohort, "35.78", 1)
    files = [make_application(cohort, status=VERIFIED) for _ in range(2)]
    start, outcomes = threading.Barrier(2), []

    def accept(application):
        try:
            start.wait()
            _accept(world, cohort, application)
            outcomes.append("accepted")
        except (ValidationError, OperationalError):  # refused, or locked out (SQLite)
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(f,)) for f in files]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["accepted", "refused"]
    assert Application.objects.filter(status=S.ACCEPTED).count() == 1


def test_accept_in_order_fills_each_quota_with_the_earliest_files(world, santri_cohort):
    make_quota(santri_cohort, "35.78", 1)
    early = make_application(santri_cohort, status=VERIFIED, submitted_days_ago=9)
    late = make_application(santri_cohort, status=VERIFIED, submitted_days_ago=2)
    jombang = make_application(santri_cohort, status=VERIFIED, regency="35.17")
    accepted = applications_accept_in_order(actor=world.user("admin"), cohort=santri_cohort)
    assert {a.pk for a in accepted} == {early.pk, jombang.pk}
    late.refresh_from_db()
    assert late.status == VERIFIED
    assert applications_accept_in_order(actor=world.user("admin"), cohort=santri_cohort) == []


def test_a_cooperative_is_created_only_when_named(world, pesantren_cohort):
    application = make_application(pesantren_cohort, status=VERIFIED, cooperative_name="")
    cooperatives = Cooperative.objects.count()
    _accept(world, pesantren_cohort, application)
    application.refresh_from_db()
    assert application.cooperative is None
    assert Cooperative.objects.count() == cooperatives


def test_accept_in_order_stops_at_the_total_quota(world):
    cohort = make_cohort(world.jatim, pillar=Pillar.SOCIOPRENEUR, total_quota=1)
    first = make_application(cohort, status=VERIFIED, regency="35.17", submitted_days_ago=4)
    make_application(cohort, status=VERIFIED, submitted_days_ago=2)
    accepted = applications_accept_in_order(actor=world.user("admin"), cohort=cohort)
    assert [a.pk for a in accepted] == [first.pk]


def test_a_file_the_registry_refuses_is_named_with_the_field(world, pesantren_cohort):
    application = make_application(pesantren_cohort, status=VERIFIED, pesantren_name="")
    with pytest.raises(ValidationError, match=f"{application.reference}: name"):
        _accept(world, pesantren_cohort, application)
    application.refresh_from_db()
    assert application.status == VERIFIED


def test_a_file_without_kab_kota_cannot_be_accepted(world, santri_cohort):
    application = make_application(santri_cohort, status=VERIFIED, regency=None)
    with pytest.raises(ValidationError, match="no kab/kota"):
        _accept(world, santri_cohort, application)


def test_a_pesantren_files_flagship_business_becomes_its_enterprise(world, pesantren_cohort):
    application = make_application(
        pesantren_cohort,
        status=VERIFIED,
        business_name="Kopi Santri Al-Amin",
        business_sector=Enterprise.Sector.FOOD,
    )
    _accept(world, pesantren_cohort, application)
    application.refresh_from_db()
    enterprise = application.enterprise
    assert enterprise.name == "Kopi Santri Al-Amin"
    assert (enterprise.pesantren, enterprise.cooperative) == (
        application.pesantren,
        application.cooperative,
    )
    assert enterprise.owner is None


def test_a_named_flagship_business_needs_its_sector(world, pesantren_cohort):
    from opop.intake.eligibility import missing_fields

    application = make_application(pesantren_cohort, business_name="Kopi Santri")
    assert "business_sector" in [unmet.field for unmet in missing_fields(application)]
    application.business_name = ""
    assert "business_sector" not in [unmet.field for unmet in missing_fields(application)]
