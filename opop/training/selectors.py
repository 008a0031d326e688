"""Every training read that depends on who is asking.

Organisers (`organises_training`): a programme admin sees every session of the programme, a
regional officer the sessions held in their kab/kota, a partner the sessions of their own
trainings (by partner, or those they created). Participants and cooperative managers see only
their own enrolments (through the person their membership is linked to). Other programmes'
objects are never returned: views turn that into 404.
"""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from opop.accounts.access import Access
from opop.accounts.models import Role
from opop.registry.models import Person
from opop.registry.selectors import people_visible_to
from opop.training.models import Certificate, Enrolment, Session, SurveyAnswer, Training

LEARNERS = {Role.PARTICIPANT, Role.MANAGER}


def trainings_visible_to(access: Access) -> QuerySet[Training]:
    if not access or not access.organises_training:
        return Training.objects.none()
    qs = Training.objects.filter(programme_id=access.programme_id)
    if access.role == Role.PARTNER:
        return qs.filter(_partner_owns("", access))
    return qs


def _partner_owns(prefix: str, access: Access) -> Q:
    q = Q(**{f"{prefix}created_by_id": access.user.pk})
    if access.membership.partner_id:
        q |= Q(**{f"{prefix}partner_id": access.membership.partner_id})
    return q


def sessions_visible_to(access: Access) -> QuerySet[Session]:
    if not access or not access.organises_training:
        return Session.objects.none()
    qs = Session.objects.filter(programme_id=access.programme_id)
    match access.role:
        case Role.ADMIN:
            return qs
        case Role.OFFICER:
            return qs.filter(regency_id=access.regency_code)
        case Role.PARTNER:
            return qs.filter(Q(created_by_id=access.user.pk) | _partner_owns("training__", access))
    return qs.none()


def people_in_reach(access: Access) -> QuerySet[Person] | None:
    """Whom an organiser may invite: officers their kab/kota, admins the programme; partners
    anyone the session's criteria select (None = no extra limit)."""
    if access.role == Role.PARTNER:
        return None
    return people_visible_to(access)


def own_enrolments(access: Access) -> QuerySet[Enrolment]:
    if not access or access.role not in LEARNERS or not access.membership.person_id:
        return Enrolment.objects.none()
    return Enrolment.objects.filter(
        person_id=access.membership.person_id, session__programme_id=access.programme_id
    ).select_related("session", "session__training", "certificate", "survey_answer")


def survey_due_on(session: Session) -> dt.date:
    return timezone.localdate(session.ends_at) + relativedelta(months=session.survey_after_months)


def survey_is_due(enrolment: Enrolment, *, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    if enrolment.checked_in_at is None or hasattr_answer(enrolment):
        return False
    return survey_due_on(enrolment.session) <= today


def hasattr_answer(enrolment: Enrolment) -> bool:
    try:
        return enrolment.survey_answer is not None
    except SurveyAnswer.DoesNotExist:
        return False


def certificate_of(enrolment: Enrolment) -> Certificate | None:
    try:
        return enrolment.certificate
    except Certificate.DoesNotExist:
        return None


def session_counts(session: Session) -> dict[str, int]:
    counts = dict(session.enrolments.values_list("status").annotate(n=Count("id")).order_by())
    counts["attended"] = session.enrolments.filter(checked_in_at__isnull=False).count()
    counts["certificates"] = Certificate.objects.filter(
        enrolment__session=session, revoked_at__isnull=True
    ).count()
    return counts


def session_report(session: Session) -> dict:
    """Scores and survey answers of one session, for its organisers."""
    attended = session.enrolments.filter(checked_in_at__isnull=False)
    scored = attended.filter(pre_score__isnull=False, post_score__isnull=False)
    pairs = list(scored.values_list("pre_score", "post_score"))
    answers = SurveyAnswer.objects.filter(enrolment__session=session).select_related(
        "enrolment__person"
    )
    revenue = dict(answers.values_list("revenue_change").annotate(n=Count("id")).order_by())
    return {
        "attended": attended.count(),
        "scored": len(pairs),
        "pre_avg": round(sum(p for p, _ in pairs) / len(pairs), 1) if pairs else None,
        "post_avg": round(sum(q for _, q in pairs) / len(pairs), 1) if pairs else None,
        "answers": list(answers.order_by("-created_at")),
        "applied": answers.filter(applied_skill=True).count(),
        "revenue": revenue,
    }


def person_training_history(person_id: int, access: Access) -> list[Enrolment]:
    """A person's trainings with scores, certificate and survey answer, for their registry
    record: shown to whoever may see the person (or to the person themself)."""
    if not people_visible_to(access).filter(pk=person_id).exists():
        return []
    return list(
        Enrolment.objects.filter(
            person_id=person_id, status=Enrolment.Status.ENROLLED
        ).select_related("session", "session__training", "certificate", "survey_answer")
    )


# --- The read API (`opop.training.api`) --------------------------------------------------------


def reads_training_api(access: Access | None) -> bool:
    """Organisers read their sessions and enrolments; participants and cooperative managers
    their own (the pages' rule)."""
    return bool(access and (access.organises_training or access.role in LEARNERS))


def sessions_readable_by(access: Access) -> QuerySet[Session]:
    """Organisers: the sessions they organise; learners: the sessions they are invited to or
    enrolled in."""
    if access and access.organises_training:
        return sessions_visible_to(access)
    if access and access.role in LEARNERS:
        return Session.objects.filter(
            programme_id=access.programme_id,
            pk__in=own_enrolments(access).order_by().values("session_id"),
        )
    return Session.objects.none()


def enrolments_readable_by(access: Access) -> QuerySet[Enrolment]:
    """Organisers: the enrolments of their sessions; learners: their own."""
    if access and access.organises_training:
        return Enrolment.objects.filter(
            session__in=sessions_visible_to(access).order_by().values("pk")
        )
    return own_enrolments(access)
