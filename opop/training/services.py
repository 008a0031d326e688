"""Writes of the training app. Every service takes the acting user first, runs in one
transaction, checks its rules and leaves an audit record; views only call these."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from opop.accounts.models import Membership
from opop.common.audit import audit_record
from opop.common.models import AuditEvent
from opop.notifications.services import in_language_of, notify
from opop.training.models import (
    Certificate,
    Enrolment,
    Session,
    SurveyAnswer,
    Training,
    normalise_code,
)

MAX_BULK_INVITES = 5_000
CREATING = {
    "training.create",
    "training.session_create",
    "training.certificates",
    "training.survey",
}


def _audit(*, actor, action: str, instance, programme_id=None, note: str = "") -> None:
    """The audit trail knows a few generic actions: say which training step it was in the note."""
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE if action in CREATING else AuditEvent.Action.UPDATE,
        instance=instance,
        programme_id=programme_id,
        note=f"{action} {note}".strip(),
    )


TAKING_PLACES = (Enrolment.Status.ENROLLED,)


@transaction.atomic
def training_create(*, actor, programme, **fields) -> Training:
    training = Training(programme=programme, created_by=actor, **fields)
    training.full_clean()
    training.save()
    _audit(actor=actor, action="training.create", instance=training)
    return training


@transaction.atomic
def session_save(*, actor, session: Session) -> Session:
    """Create or change a session (the form fills it in)."""
    creating = session.pk is None
    if creating:
        session.created_by = actor
        session.programme_id = session.training.programme_id
    session.full_clean()
    session.save()
    _audit(
        actor=actor,
        action="training.session_create" if creating else "training.session_edit",
        instance=session,
    )
    return session


def _users_of(person_ids) -> dict[int, list]:
    """The users linked to these people by an active membership, to notify them."""
    users: dict[int, list] = {}
    for membership in Membership.objects.filter(
        person_id__in=list(person_ids), is_active=True
    ).select_related("user"):
        users.setdefault(membership.person_id, []).append(membership.user)
    return users


def _tell(enrolment: Enrolment, user, kind: str) -> None:
    session = enrolment.session
    with in_language_of(user):
        when = timezone.localtime(session.starts_at).strftime("%d-%m-%Y %H:%M")
        titles = {
            "training.invited": _("You are invited to a training: %(title)s"),
            "training.enrolled": _("You are enrolled in: %(title)s"),
            "training.waitlisted": _("You are on the waiting list of: %(title)s"),
        }
        notify(
            user=user,
            kind=kind,
            title=titles[kind] % {"title": session.title},
            body=_("Starts %(when)s. Place: %(place)s")
            % {"when": when, "place": session.place or session.online_link or "-"},
            url=reverse("training:my_enrolment", args=[enrolment.pk]),
            programme=session.programme,
        )


@transaction.atomic
def invitations_create(*, actor, session: Session, people) -> int:
    """Invite everyone in `people` not yet in the session; returns how many were invited."""
    if session.status == Session.Status.CANCELLED:
        raise ValidationError(_("The session is cancelled."))
    now = timezone.now()
    ids = list(
        people.exclude(training_enrolments__session=session)
        .order_by("id")
        .values_list("id", flat=True)[: MAX_BULK_INVITES + 1]
    )
    if len(ids) > MAX_BULK_INVITES:
        raise ValidationError(
            _("More than %(n)d people match: narrow the criteria.") % {"n": MAX_BULK_INVITES}
        )
    Enrolment.objects.bulk_create(
        [
            Enrolment(
                session=session, person_id=pid, status=Enrolment.Status.INVITED, invited_at=now
            )
            for pid in ids
        ],
        ignore_conflicts=True,
    )
    created = Enrolment.objects.filter(session=session, person_id__in=ids).select_related(
        "session", "session__programme"
    )
    users = _users_of(ids)
    for enrolment in created:
        for user in users.get(enrolment.person_id, []):
            _tell(enrolment, user, "training.invited")
    _audit(actor=actor, action="training.invite", instance=session, note=f"{len(ids)} invited")
    return len(ids)


def _locked(session: Session) -> Session:
    return Session.objects.select_for_update(of=("self",)).get(pk=session.pk)


def _place_or_waitlist(session: Session, enrolment: Enrolment) -> Enrolment:
    """Give the enrolment a place if one is free, else the waiting list. The session row is
    locked by the caller, so two people can never take the last place together."""
    taken = session.enrolments.filter(status__in=TAKING_PLACES).count()
    enrolment.status = (
        Enrolment.Status.ENROLLED if taken < session.capacity else Enrolment.Status.WAITLISTED
    )
    enrolment.enrolled_at = (
        timezone.now() if enrolment.status == Enrolment.Status.ENROLLED else None
    )
    enrolment.save(update_fields=["status", "enrolled_at", "updated_at"])
    return enrolment


def _open_for_enrolment(session: Session) -> None:
    if session.status == Session.Status.CANCELLED:
        raise ValidationError(_("The session is cancelled."))
    if session.ends_at < timezone.now():
        raise ValidationError(_("The session is over."))


@transaction.atomic
def invitation_accept(*, actor, enrolment: Enrolment) -> Enrolment:
    session = _locked(enrolment.session)
    enrolment = Enrolment.objects.select_for_update(of=("self",)).get(pk=enrolment.pk)
    if enrolment.status in (Enrolment.Status.ENROLLED, Enrolment.Status.WAITLISTED):
        return enrolment  # accepting twice changes nothing
    if enrolment.status != Enrolment.Status.INVITED:
        raise ValidationError(_("This invitation can no longer be accepted."))
    _open_for_enrolment(session)
    _place_or_waitlist(session, enrolment)
    _audit(
        actor=actor,
        action=f"training.{enrolment.status}",
        instance=enrolment,
        programme_id=session.programme_id,
    )
    return enrolment


@transaction.atomic
def invitation_decline(*, actor, enrolment: Enrolment) -> Enrolment:
    enrolment = Enrolment.objects.select_for_update(of=("self",)).get(pk=enrolment.pk)
    if enrolment.status != Enrolment.Status.INVITED:
        raise ValidationError(_("Only an open invitation can be declined."))
    enrolment.status = Enrolment.Status.DECLINED
    enrolment.save(update_fields=["status", "updated_at"])
    _audit(
        actor=actor,
        action="training.decline",
        instance=enrolment,
        programme_id=enrolment.session.programme_id,
    )
    return enrolment


@transaction.atomic
def organiser_enrol(*, actor, session: Session, person) -> Enrolment:
    """The organiser enrols someone directly (a place if free, else the waiting list)."""
    session = _locked(session)
    _open_for_enrolment(session)
    enrolment, created = Enrolment.objects.get_or_create(
        session=session,
        person=person,
        defaults={"status": Enrolment.Status.INVITED, "invited_at": timezone.now()},
    )
    if not created and enrolment.status in (Enrolment.Status.ENROLLED, Enrolment.Status.WAITLISTED):
        return enrolment
    _place_or_waitlist(session, enrolment)
    for user in _users_of([person.pk]).get(person.pk, []):
        _tell(enrolment, user, f"training.{enrolment.status}")
    _audit(
        actor=actor, action="training.enrol", instance=enrolment, programme_id=session.programme_id
    )
    return enrolment


@transaction.atomic
def enrolment_cancel(*, actor, enrolment: Enrolment) -> Enrolment:
    """Cancel a place; the first on the waiting list moves up into it."""
    session = _locked(enrolment.session)
    enrolment = Enrolment.objects.select_for_update(of=("self",)).get(pk=enrolment.pk)
    if enrolment.checked_in_at:
        raise ValidationError(_("Someone who attended cannot be cancelled."))
    if enrolment.status == Enrolment.Status.CANCELLED:
        return enrolment
    freed = enrolment.status == Enrolment.Status.ENROLLED
    enrolment.status = Enrolment.Status.CANCELLED
    enrolment.save(update_fields=["status", "updated_at"])
    _audit(
        actor=actor, action="training.cancel", instance=enrolment, programme_id=session.programme_id
    )
    if freed:
        nxt = (
            session.enrolments.select_for_update(of=("self",))
            .filter(status=Enrolment.Status.WAITLISTED)
            .order_by("updated_at", "id")
            .first()
        )
        if nxt is not None:
            _place_or_waitlist(session, nxt)
            for user in _users_of([nxt.person_id]).get(nxt.person_id, []):
                _tell(nxt, user, "training.enrolled")
    return enrolment


@transaction.atomic
def check_in(*, actor, session: Session, code: str) -> Enrolment:
    """Mark attendance by the code read from the participant's QR. Twice changes nothing."""
    code = normalise_code(code)
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("person")
        .filter(session=session, checkin_code=code)
        .first()
    )
    if enrolment is None:
        raise ValidationError(_("This code does not belong to this session."))
    if enrolment.status != Enrolment.Status.ENROLLED:
        raise ValidationError(
            _("%(name)s is not enrolled (%(status)s).")
            % {"name": enrolment.person.full_name, "status": enrolment.get_status_display()}
        )
    if enrolment.checked_in_at is None:
        enrolment.checked_in_at = timezone.now()
        enrolment.checked_in_by = actor
        enrolment.save(update_fields=["checked_in_at", "checked_in_by", "updated_at"])
        _audit(
            actor=actor,
            action="training.check_in",
            instance=enrolment,
            programme_id=session.programme_id,
        )
        enrolment.first_check_in = True
    else:
        enrolment.first_check_in = False
    return enrolment


@transaction.atomic
def scores_save(
    *, actor, session: Session, scores: dict[int, tuple[int | None, int | None]]
) -> int:
    """Pre- and post-test scores (0–100) by enrolment id; only attendees of this session."""
    if not session.uses_tests:
        raise ValidationError(_("This session has no tests."))
    rows = {
        e.pk: e
        for e in session.enrolments.select_for_update(of=("self",)).filter(
            pk__in=list(scores), checked_in_at__isnull=False
        )
    }
    changed = 0
    for pk, (pre, post) in scores.items():
        enrolment = rows.get(pk)
        if enrolment is None:
            continue
        for value in (pre, post):
            if value is not None and not 0 <= value <= 100:
                raise ValidationError(_("Scores run from 0 to 100."))
        if (enrolment.pre_score, enrolment.post_score) != (pre, post):
            enrolment.pre_score, enrolment.post_score = pre, post
            enrolment.save(update_fields=["pre_score", "post_score", "updated_at"])
            changed += 1
    if changed:
        _audit(actor=actor, action="training.scores", instance=session, note=f"{changed} changed")
    return changed


def _certificate_number(session: Session, enrolment: Enrolment) -> str:
    year = timezone.localtime(session.starts_at).year
    return f"OPOP-{session.programme.code.upper()}-{year}-{session.pk:05d}-{enrolment.pk:06d}"


@transaction.atomic
def certificates_issue(*, actor, session: Session) -> int:
    """A certificate for every attendee who has none yet; returns how many were issued."""
    session = _locked(session)
    attendees = session.enrolments.filter(
        checked_in_at__isnull=False, certificate__isnull=True
    ).select_related("person")
    if session.uses_tests:
        attendees = attendees.filter(post_score__isnull=False)
    now = timezone.now()
    issued = 0
    for enrolment in attendees:
        try:
            with transaction.atomic():
                Certificate.objects.create(
                    enrolment=enrolment,
                    number=_certificate_number(session, enrolment),
                    issued_at=now,
                    issued_by=actor,
                )
        except IntegrityError:
            continue  # issued meanwhile by another click: nothing to do
        issued += 1
    if issued:
        _audit(
            actor=actor, action="training.certificates", instance=session, note=f"{issued} issued"
        )
    return issued


@transaction.atomic
def certificate_revoke(*, actor, certificate: Certificate, reason: str) -> Certificate:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the certificate is revoked.")})
    certificate = Certificate.objects.select_for_update(of=("self",)).get(pk=certificate.pk)
    if certificate.revoked_at:
        return certificate
    certificate.revoked_at = timezone.now()
    certificate.revoke_reason = reason.strip()[:255]
    certificate.save(update_fields=["revoked_at", "revoke_reason", "updated_at"])
    _audit(
        actor=actor,
        action="training.certificate_revoke",
        instance=certificate,
        programme_id=certificate.enrolment.session.programme_id,
        note=reason,
    )
    return certificate


@transaction.atomic
def survey_answer(
    *, actor, enrolment: Enrolment, applied_skill: bool, revenue_change: str, comments: str = ""
) -> SurveyAnswer:
    from opop.training.selectors import survey_is_due

    if not survey_is_due(enrolment):
        raise ValidationError(_("This survey is not open."))
    answer = SurveyAnswer(
        enrolment=enrolment,
        applied_skill=applied_skill,
        revenue_change=revenue_change,
        comments=comments,
    )
    answer.full_clean()
    try:
        with transaction.atomic():
            answer.save()
    except IntegrityError as exc:
        raise ValidationError(_("This survey is already answered.")) from exc
    _audit(
        actor=actor,
        action="training.survey",
        instance=answer,
        programme_id=enrolment.session.programme_id,
    )
    return answer
