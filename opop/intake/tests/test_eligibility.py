"""Each eligibility rule of a cohort, with the explanation the applicant reads."""

import datetime as dt

import pytest

from opop.common.testing.personas import SURABAYA
from opop.intake import eligibility
from opop.intake.eligibility import check_eligibility, missing_fields
from opop.intake.models import Application, Cohort, DocumentKind
from opop.intake.services import registration
from opop.intake.tests.applicant_helpers import (
    NIK_MAN,
    new_applicant,
    open_cohort,
    started,
    today,
)
from opop.programmes.models import Pillar
from opop.registry import rules

pytestmark = pytest.mark.django_db


def codes(application, **kwargs) -> list[str]:
    return [unmet.code for unmet in check_eligibility(application, **kwargs)]


def messages(application) -> list[str]:
    return [unmet.message for unmet in check_eligibility(application)]


def draft(cohort, **fields) -> Application:
    application = started(new_applicant(), cohort)
    Application.objects.filter(pk=application.pk).update(**fields)
    application.refresh_from_db()
    return application


def with_nik(nik: str) -> dict:
    info = rules.nik_checked(nik)
    return {**rules.nik_columns(info), "birth_date": info.birth_date, "gender": info.gender}


# --- Registration window ---------------------------------------------------------------------


def test_an_open_cohort_within_its_dates_passes_the_window_rule(world):
    application = draft(open_cohort(world.jatim), nspp="510035789999")
    assert codes(application) == []


def test_a_cohort_not_open_is_explained(world):
    cohort = open_cohort(world.jatim)
    application = draft(cohort, nspp="510035789999")
    Cohort.objects.filter(pk=cohort.pk).update(status=Cohort.Status.CLOSED)
    application.cohort.refresh_from_db()
    assert check_eligibility(application)[0].message == (
        f"Registration for {cohort.name} is not open."
    )
    assert codes(application) == [eligibility.COHORT_NOT_OPEN]


def test_registration_before_the_opening_day_says_when_it_opens(world):
    cohort = open_cohort(world.jatim)
    application = draft(cohort, nspp="510035789999")
    early = cohort.opens_on - dt.timedelta(days=1)
    unmet = check_eligibility(application, today=early)
    assert [u.code for u in unmet] == [eligibility.WINDOW_NOT_YET_OPEN]
    assert cohort.opens_on.isoformat() in unmet[0].message


def test_registration_after_the_closing_day_says_when_it_closed(world):
    cohort = open_cohort(world.jatim)
    application = draft(cohort, nspp="510035789999")
    late = cohort.closes_on + dt.timedelta(days=1)
    unmet = check_eligibility(application, today=late)
    assert [u.code for u in unmet] == [eligibility.WINDOW_CLOSED]
    assert unmet[0].message == (
        f"Registration for {cohort.name} closed on {cohort.closes_on.isoformat()}."
    )


# --- NSPP --------------------------------------------------------------------------------------


def test_a_pesantren_cohort_requiring_nspp_refuses_a_file_without_one(world):
    application = draft(open_cohort(world.jatim, require_nspp=True))
    unmet = check_eligibility(application)
    assert [u.code for u in unmet] == [eligibility.NSPP_REQUIRED]
    assert "12-digit NSPP" in unmet[0].message
    assert unmet[0].field == "nspp"


def test_nspp_is_not_asked_when_the_cohort_does_not_require_it(world):
    application = draft(open_cohort(world.jatim, require_nspp=False))
    assert codes(application) == []
    assert "nspp" not in [m.field for m in missing_fields(application)]


def test_a_participant_cohort_never_asks_for_an_nspp(world):
    application = draft(open_cohort(world.jatim, Pillar.SANTRIPRENEUR, require_nspp=True))
    assert eligibility.NSPP_REQUIRED not in codes(application)


# --- Not accepted in an earlier cohort -------------------------------------------------------


def test_a_pesantren_accepted_in_an_earlier_cohort_is_told_which_year(world):
    earlier = open_cohort(world.jatim, year=today().year - 2, name="Pesantrenpreneur angkatan 1")
    old = draft(earlier, nspp="510035789999")
    Application.objects.filter(pk=old.pk).update(status=Application.Status.ACCEPTED)
    application = draft(open_cohort(world.jatim), nspp="510035789999")
    unmet = check_eligibility(application)
    assert [u.code for u in unmet] == [eligibility.EARLIER_COHORT]
    assert unmet[0].message == (
        f"The pesantren with NSPP 510035789999 was already accepted in the "
        f"{today().year - 2} cohort (Pesantrenpreneur angkatan 1); this cohort is only for "
        "those not accepted in an earlier one."
    )


def test_a_pesantren_already_in_the_registry_as_pesantrenpreneur_is_told_the_cohort_year(world):
    # The world's pesantren A takes part as pesantrenpreneur from the 2025 cohort year.
    application = draft(open_cohort(world.jatim), nspp=world.pesantren_a.nspp)
    unmet = check_eligibility(application)
    assert [u.code for u in unmet] == [eligibility.EARLIER_COHORT]
    assert "registry as a Pesantrenpreneur participant of the 2025 cohort" in unmet[0].message


def test_a_person_already_a_santripreneur_is_refused_by_their_nik(world):
    # The world's person A (NIK 3578011508950001) is a santripreneur of 2025.
    cohort = open_cohort(world.jatim, Pillar.SANTRIPRENEUR)
    application = draft(cohort, **with_nik("3578011508950001"))
    unmet = check_eligibility(application)
    assert [u.code for u in unmet] == [eligibility.EARLIER_COHORT]
    assert unmet[0].message.startswith("The person with this NIK is already in the programme's")
    assert "2025" in unmet[0].message


def test_an_earlier_acceptance_in_another_pillar_does_not_count(world):
    cohort = open_cohort(world.jatim, Pillar.SOCIOPRENEUR)
    application = draft(cohort, **with_nik("3578011508950001"))
    assert eligibility.EARLIER_COHORT not in codes(application)


def test_an_acceptance_in_the_same_year_is_not_an_earlier_cohort(world):
    year = today().year
    cohort = open_cohort(world.jatim, year=year)
    other = open_cohort(world.jatim, Pillar.SANTRIPRENEUR, year=year)
    accepted = draft(other, **with_nik(NIK_MAN))
    Application.objects.filter(pk=accepted.pk).update(status=Application.Status.ACCEPTED)
    application = draft(cohort, nspp="510035789999", **with_nik(NIK_MAN))
    assert codes(application) == []


def test_the_rule_can_be_switched_off_per_cohort(world):
    cohort = open_cohort(world.jatim, exclude_earlier_cohorts=False)
    application = draft(cohort, nspp=world.pesantren_a.nspp)
    assert codes(application) == []


def test_another_programmes_acceptance_does_not_count(world):
    earlier = open_cohort(world.kalsel, year=today().year - 1)
    old = draft(earlier, nspp="510035789999")
    Application.objects.filter(pk=old.pk).update(status=Application.Status.ACCEPTED)
    application = draft(open_cohort(world.jatim), nspp="510035789999")
    assert codes(application) == []


# --- Age of the representative -------------------------------------------------------------


def test_a_representative_too_young_on_the_closing_date_is_told_their_age(world):
    cohort = open_cohort(world.jatim, min_age=18, max_age=55)
    application = draft(cohort, nspp="510035789999", birth_date=dt.date(2010, 1, 1))
    unmet = check_eligibility(application)
    assert [u.code for u in unmet] == [eligibility.TOO_YOUNG]
    age = cohort.closes_on.year - 2010
    assert unmet[0].message == (
        "The representative must be 18 to 55 years old on the closing date "
        f"({cohort.closes_on.isoformat()}); born 2010-01-01 makes them {age}."
    )


def test_an_applicant_too_old_is_refused_with_the_rule(world):
    cohort = open_cohort(world.jatim, Pillar.SOCIOPRENEUR, max_age=40)
    application = draft(cohort, birth_date=dt.date(1950, 6, 1))
    unmet = check_eligibility(application)
    assert [u.code for u in unmet] == [eligibility.TOO_OLD]
    assert unmet[0].message.startswith(
        "The applicant must be at most 40 years old on the closing date"
    )


def test_the_age_counts_on_the_closing_date_not_today(world):
    closes = dt.date(today().year + 1, 1, 15)
    cohort = open_cohort(world.jatim, Pillar.SANTRIPRENEUR, min_age=18, closes_on=closes)
    eighteen_on_closing = cohort.closes_on.replace(year=cohort.closes_on.year - 18)
    application = draft(cohort, birth_date=eighteen_on_closing)
    assert codes(application) == []
    application.birth_date = eighteen_on_closing + dt.timedelta(days=1)
    assert codes(application) == [eligibility.TOO_YOUNG]
    assert "at least 18 years old" in messages(application)[0]


def test_no_age_rule_without_a_birth_date(world):
    application = draft(open_cohort(world.jatim, Pillar.SANTRIPRENEUR, min_age=18))
    assert codes(application) == []
    assert "birth_date" in [m.field for m in missing_fields(application)]


# --- Required documents ----------------------------------------------------------------------


def test_each_missing_required_document_is_named(world):
    cohort = open_cohort(world.jatim, required_documents=[DocumentKind.NIB, DocumentKind.BANK])
    application = draft(cohort, nspp="510035789999")
    unmet = check_eligibility(application)
    assert [(u.code, u.field) for u in unmet] == [
        (eligibility.DOCUMENT_MISSING, "nib"),
        (eligibility.DOCUMENT_MISSING, "bank"),
    ]
    assert unmet[0].message == "Upload the NIB (business registration): this cohort requires it."


def test_an_uploaded_required_document_is_no_longer_asked(world, settings, tmp_path):
    from opop.intake.documents import application_document_save
    from opop.intake.tests.applicant_helpers import pdf_upload

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    cohort = open_cohort(world.jatim, required_documents=[DocumentKind.NIB])
    application = draft(cohort, nspp="510035789999")
    application_document_save(
        actor=application.applicant, application=application, kind="nib", upload=pdf_upload()
    )
    assert codes(application) == []


# --- Completeness ----------------------------------------------------------------------------


def test_missing_fields_of_a_fresh_pesantren_draft(world):
    application = draft(open_cohort(world.jatim))
    missing = [m.field for m in missing_fields(application)]
    # The account's name and e-mail are filled in when the file starts.
    assert "full_name" not in missing and "email" not in missing
    assert missing[:2] == ["pesantren_name", "pesantren_kind"]
    assert "nspp" not in missing  # left to its rule, which says why it is needed
    assert "nik" in missing
    assert missing_fields(application)[0].message == "Fill in: pesantren name."


def test_an_incorporated_cooperative_needs_its_legal_number(world):
    application = draft(open_cohort(world.jatim), cooperative_legal_status="incorporated")
    assert "cooperative_legal_number" in [m.field for m in missing_fields(application)]


def test_a_complete_participant_file_has_nothing_missing(world):
    cohort = open_cohort(world.jatim, Pillar.SANTRIPRENEUR)
    application = started(new_applicant(), cohort)
    registration.application_save_draft(
        actor=application.applicant,
        application=application,
        nik=NIK_MAN,
        data={
            "phone": "081234567890",
            "affiliation": "alumni",
            "regency": world.pesantren_a.regency,
            "district": world.pesantren_a.district,
            "address": "Jl. Santri 1",
            "business_name": "Tempe",
            "business_sector": "food",
            "business_description": "Chips",
        },
    )
    application.refresh_from_db()
    assert application.regency_id == SURABAYA
    assert application.gender == "L" and application.birth_date == dt.date(1988, 3, 20)
    assert missing_fields(application) == []


# --- Minors ----------------------------------------------------------------------------------


def _sixteen_today() -> dt.date:
    now = today()
    return now.replace(year=now.year - 16)


def test_a_minor_applicant_needs_a_guardian_name_and_consent(world):
    cohort = open_cohort(world.jatim, Pillar.SANTRIPRENEUR, min_age=None, max_age=None)
    application = draft(cohort, birth_date=_sixteen_today())
    assert eligibility.GUARDIAN_REQUIRED in codes(application)
    assert any("under 18" in message for message in messages(application))

    application.guardian_name = "Siti Maryam"
    application.guardian_consent_at = dt.datetime.now(dt.UTC)
    assert eligibility.GUARDIAN_REQUIRED not in codes(application)


def test_an_adult_applicant_needs_no_guardian(world):
    cohort = open_cohort(world.jatim, Pillar.SANTRIPRENEUR, min_age=None, max_age=None)
    adult = today().replace(year=today().year - 20)
    assert eligibility.GUARDIAN_REQUIRED not in codes(draft(cohort, birth_date=adult))


def test_the_guardian_tick_is_stored_as_a_consent_time(world):
    from opop.intake.forms_applicant import ApplicationForm

    cohort = open_cohort(world.jatim, Pillar.SANTRIPRENEUR, min_age=None, max_age=None)
    application = draft(cohort)
    form = ApplicationForm(
        {"guardian_name": "Siti Maryam", "guardian_consent_at": "on"}, instance=application
    )
    form.is_valid()
    data = form.valid_data()
    registration.application_save_draft(
        actor=application.applicant, application=application, data=data
    )
    application.refresh_from_db()
    assert application.guardian_name == "Siti Maryam"
    assert application.guardian_consent_at is not None
