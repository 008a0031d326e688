"""The applicant's journey on the pages: open cohorts, account, draft, submission, status."""

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from opop.accounts.models import User
from opop.common.models import AuditEvent
from opop.intake.models import Application, ApplicationEvent, Cohort, DocumentKind
from opop.intake.services.registration import application_submit
from opop.intake.tests.applicant_helpers import (
    NIK_MAN,
    NIK_WOMAN,
    client_for,
    new_applicant,
    open_cohort,
    participant_answers,
    pesantren_answers,
    started,
    today,
)
from opop.notifications.models import Notification
from opop.programmes.models import Pillar

pytestmark = pytest.mark.django_db

STRONG = "kopontren-Sejahtera-2026"


def edit_url(application) -> str:
    return reverse("intake:application_edit", args=[application.reference])


def detail_url(application) -> str:
    return reverse("intake:application_detail", args=[application.reference])


def save(client, application, data, action="save", **kwargs):
    return client.post(edit_url(application), {**data, "action": action}, **kwargs)


def text(response) -> str:
    return response.content.decode()


# --- Open cohorts (public) -------------------------------------------------------------------


def test_anyone_sees_the_open_cohorts_with_their_rules_and_documents(world, client):
    open_cohort(
        world.jatim,
        name="Pesantrenpreneur 2026",
        min_age=18,
        max_age=55,
        required_documents=[DocumentKind.NIB],
    )
    open_cohort(world.kalsel, Pillar.SANTRIPRENEUR, name="Santripreneur Kalsel")
    response = client.get(reverse("intake:cohorts_open"))
    assert response.status_code == 200
    page = text(response)
    assert "Pesantrenpreneur 2026" in page and "Santripreneur Kalsel" in page
    assert "The pesantren must have an NSPP number" in page
    assert "Aged 18 to 55" in page
    assert "NIB (business registration)" in page
    assert "Bring your cooperative&#x27;s papers." in page
    assert reverse("intake:register") + "?cohort=" in page


def test_cohorts_not_taking_registrations_today_are_not_listed(world, client):
    day = dt.timedelta(days=1)
    open_cohort(world.jatim, name="Draft cohort", status=Cohort.Status.DRAFT)
    open_cohort(
        world.jatim,
        Pillar.SANTRIPRENEUR,
        name="Closed yesterday",
        opens_on=today() - 10 * day,
        closes_on=today() - day,
    )
    open_cohort(
        world.jatim,
        Pillar.SOCIOPRENEUR,
        name="Opens tomorrow",
        opens_on=today() + day,
        closes_on=today() + 10 * day,
    )
    page = text(client.get(reverse("intake:cohorts_open")))
    assert "Draft cohort" not in page
    assert "Closed yesterday" not in page and "Opens tomorrow" not in page
    assert "No cohort is open for registration right now" in page


# --- Account ---------------------------------------------------------------------------------


def register(client, **changes):
    data = {
        "full_name": "Nur Aisyah",
        "email": "Aisyah@Example.id",
        "password1": STRONG,
        "password2": STRONG,
        "consent": "on",
    }
    data.update(changes)
    return client.post(reverse("intake:register") + changes.pop("query", ""), data)


def test_registering_creates_the_account_logs_in_and_goes_to_the_cohort(world, client):
    cohort = open_cohort(world.jatim)
    response = client.post(
        reverse("intake:register") + f"?cohort={cohort.pk}",
        {
            "full_name": "Nur Aisyah",
            "email": "Aisyah@Example.id",
            "password1": STRONG,
            "password2": STRONG,
            "consent": "on",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("intake:start", args=[cohort.pk])
    user = User.objects.get(email="aisyah@example.id")
    assert user.full_name == "Nur Aisyah" and user.memberships.count() == 0
    assert client.get(reverse("intake:mine")).status_code == 200  # logged in
    consent = AuditEvent.objects.get(target_type="accounts.user", target_id=user.pk)
    assert consent.changes["consent_purpose"][1].startswith("Keeping your account")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"password2": "something-else-2026"}, "password2", "The two passwords are not the same."),
        ({"password1": "12345678", "password2": "12345678"}, "password1", "too common"),
        ({"password1": "short", "password2": "short"}, "password1", "too short"),
        ({"consent": ""}, "consent", "This field is required."),
        ({"email": "admin@test.opop.id"}, "email", "An account with this e-mail already exists"),
    ],
)
def test_registering_refuses_bad_input_with_a_message(world, client, changes, field, message):
    response = register(client, **changes)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert not User.objects.filter(email="aisyah@example.id").exists()


def test_account_creation_is_rate_limited_like_the_login(world, client, settings):
    settings.LOGIN_RATE_LIMIT = 3
    for _ in range(3):
        assert register(client, password2="mismatch-1234").status_code == 400
    response = register(client)
    assert response.status_code == 429
    assert "Too many attempts" in text(response)
    assert not User.objects.filter(email="aisyah@example.id").exists()


def test_a_logged_in_user_is_sent_on_from_the_register_page(world):
    response = world.client("participant").get(reverse("intake:register"))
    assert response.status_code == 302


# --- Starting a file --------------------------------------------------------------------------


def test_starting_needs_a_login(world, client):
    cohort = open_cohort(world.jatim)
    response = client.get(reverse("intake:start", args=[cohort.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_starting_an_application_needs_consent_and_gives_a_reference(world):
    cohort = open_cohort(world.jatim)
    user = new_applicant()
    client = client_for(user)
    url = reverse("intake:start", args=[cohort.pk])
    assert "used to check your eligibility" in text(client.get(url))
    assert client.post(url, {}).status_code == 200
    assert not Application.objects.exists()
    response = client.post(url, {"consent": "on"})
    application = Application.objects.get()
    assert response["Location"] == edit_url(application)
    assert re.fullmatch(rf"JATIM-{cohort.year}-P-{application.pk:06d}", application.reference)
    assert application.consent_at and application.full_name == user.full_name
    assert list(application.events.values_list("action", flat=True)) == ["created"]
    # A second click lands on the same file.
    client.post(url, {"consent": "on"})
    assert Application.objects.count() == 1


def test_participant_references_carry_their_pillar_letter(world):
    santri = started(new_applicant(), open_cohort(world.jatim, Pillar.SANTRIPRENEUR))
    socio = started(new_applicant(), open_cohort(world.jatim, Pillar.SOCIOPRENEUR))
    assert "-S-" in santri.reference and "-C-" in socio.reference


def test_a_cohort_not_open_cannot_be_started(world):
    cohort = open_cohort(world.jatim, status=Cohort.Status.CLOSED)
    client = client_for(new_applicant())
    assert client.get(reverse("intake:start", args=[cohort.pk])).status_code == 404


# --- Drafts ----------------------------------------------------------------------------------


def test_a_draft_keeps_the_good_fields_and_marks_the_bad_ones(world):
    application = started(new_applicant(), open_cohort(world.jatim))
    client = client_for(application.applicant)
    response = save(
        client,
        application,
        {"pesantren_name": "Pondok Nurul Huda", "nspp": "12345", "phone": "0812-3456-7890"},
    )
    assert response.status_code == 200
    assert "NSPP must be 12 digits (got 5)" in text(response)
    application.refresh_from_db()
    assert application.pesantren_name == "Pondok Nurul Huda"
    assert application.phone == "+6281234567890"
    assert application.nspp == ""


def test_a_draft_can_be_left_and_resumed_from_my_applications(world):
    application = started(new_applicant(), open_cohort(world.jatim))
    client = client_for(application.applicant)
    response = save(client, application, pesantren_answers(address="Jl. Resume 9"))
    assert response.status_code == 302 and response["Location"] == edit_url(application)
    mine = text(client.get(reverse("intake:mine")))
    assert application.reference in mine and "Continue" in mine
    page = text(client.get(edit_url(application)))
    assert "Jl. Resume 9" in page and 'value="510035789999"' in page


def test_the_nik_is_never_shown_in_full(world):
    application = started(new_applicant(), open_cohort(world.jatim, Pillar.SANTRIPRENEUR))
    client = client_for(application.applicant)
    bad_nik = "3578019913900003"  # month 13
    response = save(client, application, participant_answers(nik=bad_nik))
    assert "The birth date inside the NIK is not a valid date." in text(response)
    assert bad_nik not in text(response)
    # The first save with a mistake elsewhere stores the NIK, and still does not echo it.
    response = save(client, application, participant_answers(gender="L"))
    assert "The gender does not match the NIK" in text(response)
    application.refresh_from_db()
    assert application.nik_masked == "3578••••••••0003"
    assert application.nik_hash and NIK_WOMAN not in application.nik_cipher
    for page in (response, client.get(edit_url(application)), client.get(detail_url(application))):
        assert NIK_WOMAN not in text(page)
        assert "3578••••••••0003" in text(page)


def test_gender_and_birth_date_come_from_the_nik(world):
    application = started(new_applicant(), open_cohort(world.jatim, Pillar.SANTRIPRENEUR))
    save(client_for(application.applicant), application, participant_answers())
    application.refresh_from_db()
    assert application.gender == "P"
    assert application.birth_date.isoformat() == "1990-01-10"


def test_a_kecamatan_outside_the_chosen_kab_kota_is_refused(world):
    application = started(new_applicant(), open_cohort(world.jatim))
    client = client_for(application.applicant)
    response = save(client, application, {"regency": "35.78", "district": "35.17.01"})
    assert response.context["form"].errors["district"]
    application.refresh_from_db()
    assert application.regency_id == "35.78" and application.district_id is None


def test_the_pesantren_search_offers_only_the_cohorts_programme(world):
    application = started(new_applicant(), open_cohort(world.jatim, Pillar.SANTRIPRENEUR))
    client = client_for(application.applicant)
    url = reverse("intake:pesantren_options", args=[application.reference])
    page = text(client.get(url, {"q": "pondok"}))
    assert "Al-Hikmah" in page and "Darul Ulum" in page and "Al-Falah" not in page
    save(client, application, participant_answers(origin_pesantren=world.pesantren_kalsel.pk))
    application.refresh_from_db()
    assert application.origin_pesantren_id is None
    save(client, application, participant_answers(origin_pesantren=world.pesantren_b.pk))
    application.refresh_from_db()
    assert application.origin_pesantren_id == world.pesantren_b.pk
    # The form's select holds only the chosen pesantren, not the whole register.
    page = text(client.get(edit_url(application)))
    assert "Darul Ulum" in page and "Al-Hikmah" not in page


# --- Submission -------------------------------------------------------------------------------


def test_the_page_lists_what_stands_before_submission(world):
    cohort = open_cohort(world.jatim, min_age=18, max_age=55, required_documents=["nib"])
    application = started(new_applicant(), cohort)
    page = text(client_for(application.applicant).get(edit_url(application)))
    assert "Before you can submit" in page
    assert "Upload the NIB (business registration): this cohort requires it." in page
    assert "This cohort is only for pesantren with an NSPP" in page
    assert "Fill in: pesantren name." in page


def test_a_complete_file_is_submitted_and_the_applicant_is_told(world):
    application = started(new_applicant(), open_cohort(world.jatim, min_age=18, max_age=55))
    client = client_for(application.applicant)
    response = save(client, application, pesantren_answers(), action="submit")
    assert response.status_code == 302 and response["Location"] == detail_url(application)
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.submitted_at and application.first_submitted_at == application.submitted_at
    assert list(application.events.values_list("action", flat=True)) == ["created", "submitted"]
    notice = Notification.objects.get(user=application.applicant)
    assert notice.kind == "intake.submitted" and application.reference in notice.title
    page = text(client.get(detail_url(application)))
    assert "waiting for verification" in page
    assert client.get(edit_url(application))["Location"] == detail_url(application)


def test_a_refused_submission_lists_every_reason_and_keeps_the_draft(world):
    cohort = open_cohort(world.jatim, min_age=18, max_age=55, required_documents=["nib"])
    application = started(new_applicant(), cohort)
    client = client_for(application.applicant)
    answers = pesantren_answers(nik="3578010101100005", nspp="")  # born 2010-01-01
    response = save(client, application, answers, action="submit")
    assert response.status_code == 200
    refusal = response.context["refusal"]
    assert any(r.startswith("This cohort is only for pesantren with an NSPP") for r in refusal)
    assert "Fill in: NSPP." not in refusal  # said once, by the rule
    assert any(r.startswith("The representative must be 18 to 55") for r in refusal)
    assert "Upload the NIB (business registration): this cohort requires it." in refusal
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT
    assert application.pesantren_name == "Pondok Pesantren Nurul Huda"


def test_a_double_submit_is_harmless_and_says_so(world):
    application = started(new_applicant(), open_cohort(world.jatim))
    client = client_for(application.applicant)
    save(client, application, pesantren_answers(), action="submit")
    response = save(client, application, pesantren_answers(), action="submit", follow=True)
    assert "already submitted" in text(response)
    assert application_submit(actor=application.applicant, application=application) is False
    assert application.events.filter(action="submitted").count() == 1
    assert Notification.objects.filter(user=application.applicant).count() == 1


def test_a_file_asked_to_be_fixed_shows_the_reasons_and_is_resubmitted(world):
    application = started(new_applicant(), open_cohort(world.jatim))
    client = client_for(application.applicant)
    save(client, application, pesantren_answers(), action="submit")
    application.refresh_from_db()
    first = application.first_submitted_at
    Application.objects.filter(pk=application.pk).update(status=Application.Status.NEEDS_FIXING)
    ApplicationEvent.objects.create(
        application=application,
        actor=world.user("officer"),
        action=ApplicationEvent.Action.NEEDS_FIXING,
        reasons="The leader's name is misspelt.",
        checklist={"nib": {"ok": False, "note": "The scan is unreadable."}},
    )
    page = text(client.get(detail_url(application)))
    assert "The leader&#x27;s name is misspelt." in page
    assert "The scan is unreadable." in page and "Fix and resubmit" in page
    assert "Officer" not in page  # staff stay anonymous to the applicant
    response = save(
        client, application, pesantren_answers(leader_name="KH. Hasyim Asy'ari"), "submit"
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.first_submitted_at == first
    assert application.events.last().action == ApplicationEvent.Action.RESUBMITTED


def test_an_applicant_may_withdraw_until_a_decision(world):
    application = started(new_applicant(), open_cohort(world.jatim))
    client = client_for(application.applicant)
    url = reverse("intake:application_withdraw", args=[application.reference])
    assert client.post(url)["Location"] == detail_url(application)
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    assert application.events.last().action == ApplicationEvent.Action.WITHDRAWN
    decided = started(new_applicant(), open_cohort(world.jatim, Pillar.SANTRIPRENEUR))
    Application.objects.filter(pk=decided.pk).update(status=Application.Status.ACCEPTED)
    response = client_for(decided.applicant).post(
        reverse("intake:application_withdraw", args=[decided.reference]), follow=True
    )
    assert "cannot be withdrawn" in text(response)
    decided.refresh_from_db()
    assert decided.status == Application.Status.ACCEPTED


# --- Refusals ----------------------------------------------------------------------------------


APPLICANT_URLS = ["application_detail", "application_edit", "pesantren_options"]


@pytest.mark.parametrize("persona", ["admin", "officer", "auditor", "participant", "outsider"])
@pytest.mark.parametrize("name", APPLICANT_URLS)
def test_nobody_but_the_applicant_opens_a_file(world, persona, name):
    application = started(new_applicant(), open_cohort(world.jatim))
    url = reverse(f"intake:{name}", args=[application.reference])
    assert world.client(persona).get(url).status_code == 404


@pytest.mark.parametrize("name", ["application_edit", "application_withdraw"])
def test_another_applicant_cannot_change_a_file(world, name):
    application = started(new_applicant(), open_cohort(world.jatim))
    other = client_for(new_applicant("Other"))
    url = reverse(f"intake:{name}", args=[application.reference])
    assert other.post(url, {**pesantren_answers(), "action": "submit"}).status_code == 404
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT and application.pesantren_name == ""


@pytest.mark.parametrize("name", [*APPLICANT_URLS, "application_withdraw"])
def test_anonymous_visitors_are_sent_to_log_in(world, client, name):
    application = started(new_applicant(), open_cohort(world.jatim))
    url = reverse(f"intake:{name}", args=[application.reference])
    response = client.post(url) if name == "application_withdraw" else client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_my_applications_lists_only_my_own(world):
    mine = started(new_applicant(), open_cohort(world.jatim))
    theirs = started(new_applicant(), open_cohort(world.jatim, Pillar.SANTRIPRENEUR))
    page = text(client_for(mine.applicant).get(reverse("intake:mine")))
    assert mine.reference in page and theirs.reference not in page
    assert theirs.reference not in text(world.client("admin").get(reverse("intake:mine")))


def test_the_service_refuses_to_submit_someone_elses_file(world):
    application = started(new_applicant(), open_cohort(world.jatim))
    with pytest.raises(PermissionDenied):
        application_submit(actor=world.user("admin"), application=application)


def test_a_typed_nik_of_a_man_sets_the_representatives_gender(world):
    application = started(new_applicant(), open_cohort(world.jatim))
    save(client_for(application.applicant), application, pesantren_answers(nik=NIK_MAN))
    application.refresh_from_db()
    assert application.gender == "L" and application.nik_masked == "3578••••••••0004"
