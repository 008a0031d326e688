import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from opop.common.audit import history_for
from opop.common.models import AuditEvent
from opop.programmes.models import Pillar
from opop.registry import services
from opop.registry.models import Participation, Person

pytestmark = pytest.mark.django_db


def _person_data(**extra):
    data = {"full_name": "Zainal Arifin", "regency_id": "35.78", "affiliation": "santri"}
    data.update(extra)
    return data


def test_person_gets_gender_and_birth_date_from_nik(world):
    person = services.person_save(
        actor=world.user("admin"),
        programme=world.jatim,
        data=_person_data(),
        nik="3578011203900007",
    )
    assert (person.gender, person.birth_date) == ("L", dt.date(1990, 3, 12))
    assert person.nik_masked == "3578••••••••0007"
    assert "3578011203900007" not in str(Person.objects.filter(pk=person.pk).values().get())


def test_typed_gender_must_match_nik(world):
    with pytest.raises(ValidationError) as err:
        services.person_save(
            actor=world.user("admin"),
            programme=world.jatim,
            data=_person_data(gender="P"),
            nik="3578011203900007",
        )
    assert "gender" in err.value.message_dict
    assert not Person.objects.filter(full_name="Zainal Arifin").exists()


def test_duplicate_nik_points_to_existing_record(world):
    with pytest.raises(services.DuplicateRecord) as err:
        services.person_save(
            actor=world.user("admin"),
            programme=world.jatim,
            data=_person_data(),
            nik="3578011508950001",
        )
    assert err.value.existing == world.person_a
    assert err.value.existing_url.endswith(f"/{world.person_a.pk}/")


def test_same_nik_may_exist_in_another_programme(world):
    person = services.person_save(
        actor=world.user("kalsel_admin"),
        programme=world.kalsel,
        data=_person_data(regency_id="63.71"),
        nik="3578011508950001",
    )
    assert person.pk


def test_minor_needs_guardian_consent(world):
    fifteen_years_ago = dt.date.today().year - 15
    nik = f"3578011508{fifteen_years_ago % 100:02d}0009"
    with pytest.raises(ValidationError) as err:
        services.person_save(
            actor=world.user("admin"), programme=world.jatim, data=_person_data(), nik=nik
        )
    assert "guardian_name" in err.value.message_dict

    person = services.person_save(
        actor=world.user("admin"),
        programme=world.jatim,
        nik=nik,
        data=_person_data(guardian_name="Bapak Arifin", guardian_consent_at=timezone.now()),
    )
    assert person.pk


def test_changes_are_recorded_with_who_and_what(world):
    admin = world.user("admin")
    services.person_save(
        actor=admin, programme=world.jatim, data={"address": "Jl. Baru 2"}, instance=world.person_a
    )
    event = history_for(world.person_a).first()
    assert event.actor == admin and event.action == AuditEvent.Action.UPDATE
    assert event.changes["address"] == ["Jl. Pesantren No. 1", "Jl. Baru 2"]


def test_reveal_is_audited(world):
    nik = services.person_reveal_nik(actor=world.user("officer"), person=world.person_a)
    assert nik == "3578011508950001"
    assert history_for(world.person_a).filter(action=AuditEvent.Action.VIEW_PII).count() == 1


def test_anonymise_keeps_totals_and_drops_identity(world):
    counted = Participation.objects.filter(
        programme=world.jatim, pillar=Pillar.SANTRIPRENEUR
    ).count()
    services.person_anonymise(actor=world.user("admin"), person=world.person_a, reason="request")
    person = Person.objects.get(pk=world.person_a.pk)
    assert person.full_name.startswith(("Anonim", "Anonymised"))
    assert not (
        person.nik_hash or person.nik_cipher or person.phone or person.email or person.address
    )
    assert person.birth_date is None and person.anonymised_at
    assert (
        Participation.objects.filter(programme=world.jatim, pillar=Pillar.SANTRIPRENEUR).count()
        == counted
    )
    # History keeps the fact of changes but not the old values.
    assert all(not e.changes for e in history_for(person))
    with pytest.raises(ValidationError):
        services.person_save(
            actor=world.user("admin"),
            programme=world.jatim,
            data={"full_name": "Back"},
            instance=person,
        )


def test_duplicate_nspp_refused(world):
    with pytest.raises(services.DuplicateRecord):
        services.pesantren_save(
            actor=world.user("admin"),
            programme=world.jatim,
            data={"name": "PP Lain", "nspp": world.pesantren_a.nspp, "regency_id": "35.78"},
        )


def test_region_outside_programme_refused(world):
    with pytest.raises(ValidationError) as err:
        services.pesantren_save(
            actor=world.user("admin"),
            programme=world.jatim,
            data={"name": "PP Banjar", "nspp": "510099990001", "regency_id": "63.71"},
        )
    assert "regency" in err.value.message_dict


def test_participation_once_per_pillar(world):
    with pytest.raises(ValidationError):
        services.participation_save(
            actor=world.user("admin"),
            programme=world.jatim,
            data={"pillar": Pillar.SANTRIPRENEUR, "cohort_year": 2024, "person": world.person_a},
        )
    created = services.participation_save(
        actor=world.user("admin"),
        programme=world.jatim,
        data={"pillar": Pillar.SOCIOPRENEUR, "cohort_year": 2024, "person": world.person_a},
    )
    assert created.regency_id == "35.78"
