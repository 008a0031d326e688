"""The applicant's writes: account, starting a file, drafts, submission, withdrawal.

Shared with the staff side: `application_reference` (how a file is named) and
`application_nik_columns` (how a NIK is kept on a file: hash, cipher, masked, as on Person).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from opop.accounts.models import User
from opop.common import pii
from opop.common.audit import audit_record, diff, snapshot
from opop.common.identifiers import NikInfo, parse_nib, parse_npwp, parse_nspp, parse_phone
from opop.common.models import AuditEvent
from opop.intake.eligibility import submission_blockers
from opop.intake.models import Application, ApplicationEvent, Cohort
from opop.notifications.services import in_language_of, notify
from opop.programmes.models import Pillar
from opop.registry import rules

PILLAR_LETTERS = {
    Pillar.PESANTRENPRENEUR: "P",
    Pillar.SANTRIPRENEUR: "S",
    Pillar.SOCIOPRENEUR: "C",  # C for community: "S" is taken by santripreneur
}

# What an applicant may type, per kind of cohort (the NIK is separate: it is never stored clear).
PLACE_FIELDS = ["regency", "district", "address"]
PERSON_FIELDS = ["full_name", "birth_date", "phone", "email"]
PESANTREN_FIELDS = [
    "pesantren_name",
    "nspp",
    "pesantren_kind",
    "leader_name",
    "founded_year",
    *PLACE_FIELDS,
    "cooperative_name",
    "cooperative_legal_status",
    "cooperative_legal_number",
    "cooperative_nib",
    "cooperative_npwp",
    *PERSON_FIELDS,
    # The pesantren's flagship business, optional: accepted files get it as an enterprise, so
    # the new manager can add products straight away.
    "business_name",
    "business_sector",
    "business_description",
]
PARTICIPANT_FIELDS = [
    *PERSON_FIELDS[:2],
    "gender",
    *PERSON_FIELDS[2:],
    "affiliation",
    "guardian_name",
    "guardian_relation",
    "guardian_consent_at",
    "origin_pesantren",
    *PLACE_FIELDS,
    "business_name",
    "business_sector",
    "business_nib",
    "business_started_year",
    "business_description",
]
NORMALISERS = {
    "nspp": parse_nspp,
    "cooperative_nib": parse_nib,
    "business_nib": parse_nib,
    "cooperative_npwp": parse_npwp,
    "phone": parse_phone,
}


def _apply_nik(application: Application, nik: str | None, *, gender_typed: bool) -> None:
    """Store a typed NIK; fill the gender and birth date it holds where none was typed (the
    pesantren form asks no gender: it always follows the representative's NIK)."""
    info = None
    if nik:
        info = rules.nik_checked(nik)
        for column, value in application_nik_columns(info).items():
            setattr(application, column, value)
    elif application.nik_cipher and (not application.gender or not application.birth_date):
        info = rules.nik_checked(pii.decrypt(application.nik_cipher))
    if info is None:
        return
    if not gender_typed or not application.gender:
        application.gender = info.gender
    application.birth_date = application.birth_date or info.birth_date


_NULLABLE = {
    f.name for f in Application._meta.get_fields() if getattr(f, "null", False) and f.concrete
}
WITHDRAWABLE = (
    Application.Status.DRAFT,
    Application.Status.SUBMITTED,
    Application.Status.NEEDS_FIXING,
    Application.Status.VERIFIED,
)


def application_reference(application: Application) -> str:
    """`JATIM-2026-P-000123`: programme code, cohort year, pillar letter, zero-padded id."""
    cohort = application.cohort
    code = application.programme.code.upper()[:12]
    return f"{code}-{cohort.year}-{PILLAR_LETTERS[cohort.pillar]}-{application.pk:06d}"


def application_nik_columns(info: NikInfo) -> dict[str, str]:
    return rules.nik_columns(info)


def applicant_fields(cohort: Cohort) -> list[str]:
    return PESANTREN_FIELDS if cohort.is_for_pesantren else PARTICIPANT_FIELDS


def cohort_accepts_registrations(cohort: Cohort, *, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return cohort.status == Cohort.Status.OPEN and cohort.opens_on <= today <= cohort.closes_on


# --- Account -----------------------------------------------------------------------------------


@transaction.atomic
def account_register(
    *, full_name: str, email: str, password: str, consent_purpose: str, language: str = "id"
) -> User:
    """A new applicant account; the consent to processing and its purpose go in the audit."""
    user = User.objects.create_user(email, password, full_name=full_name, language=language)
    audit_record(
        actor=user,
        action=AuditEvent.Action.CREATE,
        instance=user,
        changes={
            "consent_purpose": [None, consent_purpose],
            "consent_at": [None, timezone.now().isoformat()],
        },
        note="intake self-registration",
    )
    return user


# --- Application -------------------------------------------------------------------------------


def application_live(*, actor, cohort: Cohort) -> Application | None:
    """The applicant's file in this cohort that is still alive (not withdrawn or rejected)."""
    return (
        Application.objects.filter(applicant=actor, cohort=cohort)
        .exclude(status__in=[Application.Status.WITHDRAWN, Application.Status.REJECTED])
        .first()
    )


@transaction.atomic
def application_start(
    *, actor, cohort: Cohort, consent: bool, today: dt.date | None = None
) -> Application:
    """Open a draft in the cohort, or return the applicant's live one (a double click is safe)."""
    existing = application_live(actor=actor, cohort=cohort)
    if existing:
        return existing
    if not cohort_accepts_registrations(cohort, today=today):
        raise ValidationError(_("Registration for this cohort is not open."))
    if not consent:
        raise ValidationError(
            {"consent": _("Agree to the processing of your data to start an application.")}
        )
    application = Application(
        programme_id=cohort.programme_id,
        cohort=cohort,
        applicant=actor,
        reference=f"~{uuid.uuid4().hex[:24]}",  # replaced once the id is known
        full_name=actor.full_name,
        email=actor.email,
        consent_at=timezone.now(),
    )
    application.full_clean()
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:  # a parallel request created it first
        return application_live(actor=actor, cohort=cohort)
    application.reference = application_reference(application)
    application.save(update_fields=["reference"])
    ApplicationEvent.objects.create(
        application=application, actor=actor, action=ApplicationEvent.Action.CREATED
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=application,
        changes=diff({}, snapshot(application)),
    )
    return application


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("cohort", "programme")
        .get(pk=application.pk)
    )


def _require_applicant(actor, application: Application) -> None:
    if not actor or application.applicant_id != actor.pk:
        raise PermissionDenied


def _require_editable(application: Application) -> None:
    if application.status not in Application.EDITABLE:
        raise ValidationError(
            _("This application can no longer be changed (%(status)s).")
            % {"status": application.get_status_display()}
        )


def _normalised(data: dict) -> dict:
    errors = {}
    for name, parse in NORMALISERS.items():
        if data.get(name):
            try:
                data[name] = parse(data[name])
            except ValidationError as exc:
                errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)
    return data


def _check_places(application: Application) -> None:
    rules.regency_in_programme(application.regency, application.programme)
    rules.district_in_regency(application.district, application.regency)
    origin = application.origin_pesantren
    if origin and origin.programme_id != application.programme_id:
        raise ValidationError({"origin_pesantren": _("This pesantren is not in this programme.")})


@transaction.atomic
def application_save_draft(
    *, actor, application: Application, data: dict, nik: str | None = None
) -> Application:
    """Store what the applicant typed; nothing needs to be complete. Only the cohort kind's
    fields are taken; a typed NIK is kept as hash, cipher and masked form only."""
    application = _locked(application)
    _require_applicant(actor, application)
    _require_editable(application)
    before = snapshot(application)
    allowed = applicant_fields(application.cohort)
    for name, value in _normalised({k: v for k, v in data.items() if k in allowed}).items():
        setattr(application, name, "" if value is None and name not in _NULLABLE else value)
    _apply_nik(application, nik, gender_typed="gender" in allowed)
    _check_places(application)
    application.full_clean()
    changes = diff(before, snapshot(application))
    if changes:
        application.save()
        audit_record(
            actor=actor, action=AuditEvent.Action.UPDATE, instance=application, changes=changes
        )
    return application


@transaction.atomic
def application_submit(*, actor, application: Application, today: dt.date | None = None) -> bool:
    """Send the file for verification. False (and nothing changes) when it was already sent, so
    a double click or a retried request is harmless; refused with every reason otherwise."""
    application = _locked(application)
    _require_applicant(actor, application)
    if application.status == Application.Status.SUBMITTED:
        return False
    _require_editable(application)
    blockers = submission_blockers(application, today=today)
    if blockers:
        raise ValidationError([unmet.message for unmet in blockers])
    resubmitted = application.status == Application.Status.NEEDS_FIXING
    now = timezone.now()
    application.status = Application.Status.SUBMITTED
    application.submitted_at = now
    application.first_submitted_at = application.first_submitted_at or now
    application.full_clean()
    application.save()
    Action = ApplicationEvent.Action
    action = Action.RESUBMITTED if resubmitted else Action.SUBMITTED
    ApplicationEvent.objects.create(application=application, actor=actor, action=action)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=application,
        changes={"status": [None, application.status]},
        note=action,
    )
    with in_language_of(actor):
        title = _("Application %(reference)s submitted") % {"reference": application.reference}
        body = _(
            "We received your application for %(cohort)s. Staff will check it and you will be "
            "told the result here and by e-mail."
        ) % {"cohort": application.cohort.name}
    notify(
        user=actor,
        kind="intake.submitted",
        title=title,
        body=body,
        url=reverse("intake:application_detail", args=[application.reference]),
        programme=application.programme,
    )
    return True


@transaction.atomic
def application_withdraw(*, actor, application: Application) -> bool:
    """Take the file back while no final decision is made. False when already withdrawn."""
    application = _locked(application)
    _require_applicant(actor, application)
    if application.status == Application.Status.WITHDRAWN:
        return False
    if application.status not in WITHDRAWABLE:
        raise ValidationError(
            _("A decided application cannot be withdrawn (%(status)s).")
            % {"status": application.get_status_display()}
        )
    before = application.status
    application.status = Application.Status.WITHDRAWN
    application.save(update_fields=["status", "updated_at"])
    ApplicationEvent.objects.create(
        application=application, actor=actor, action=ApplicationEvent.Action.WITHDRAWN
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=application,
        changes={"status": [before, application.status]},
    )
    return True
