"""Accepting complete files into their cohort: within the quotas, they become registry records.

The cohort row is locked for the whole acceptance, so two admins accepting at once are served
one after the other and the second sees the first's acceptances when it counts the quotas.
What the applicant typed becomes the pesantren, cooperative, person, enterprise and pillar
participation through the registry services, matched to existing records by NSPP, NIK or NIB
instead of being duplicated. Accepting an accepted file again changes nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from opop.accounts.models import Membership, Role
from opop.accounts.services import membership_grant
from opop.common.audit import audit_saved, snapshot
from opop.dashboard.services import dashboard_mark_stale
from opop.intake.models import Application, ApplicationEvent, Cohort, CohortQuota
from opop.intake.services.acceptance_records import records_for
from opop.intake.services.verification import applicant_url
from opop.notifications.services import in_language_of, notify
from opop.regions.models import Region


def _refuse_each(applications: list[Application], message: str) -> None:
    if applications:
        raise ValidationError(
            message % {"references": ", ".join(a.reference for a in applications)}
        )


def _accepted_counts(cohort: Cohort) -> Counter:
    rows = (
        cohort.applications.filter(status=Application.Status.ACCEPTED)
        .values_list("regency_id")
        .order_by()
    )
    return Counter(code for (code,) in rows)


def _check_quotas(cohort: Cohort, todo: list[Application]) -> None:
    """Refuse the whole selection if it would go beyond a kab/kota's or the cohort's quota."""
    accepted = _accepted_counts(cohort)
    asked = Counter(a.regency_id for a in todo)
    quotas = dict(
        CohortQuota.objects.filter(cohort=cohort, regency_id__in=list(asked)).values_list(
            "regency_id", "quota"
        )
    )
    names = dict(Region.objects.filter(code__in=list(asked)).values_list("code", "name"))
    for code, count in sorted(asked.items()):
        quota = quotas.get(code)
        if quota is not None and accepted[code] + count > quota:
            raise ValidationError(
                _(
                    "The quota of %(regency)s is %(quota)d and %(accepted)d are already "
                    "accepted: %(asked)d more cannot be accepted."
                )
                % {
                    "regency": names.get(code, code),
                    "quota": quota,
                    "accepted": accepted[code],
                    "asked": count,
                }
            )
    total = sum(accepted.values())
    if cohort.total_quota is not None and total + len(todo) > cohort.total_quota:
        raise ValidationError(
            _(
                "The cohort's total quota is %(quota)d and %(accepted)d are already accepted: "
                "%(asked)d more cannot be accepted."
            )
            % {"quota": cohort.total_quota, "accepted": total, "asked": len(todo)}
        )


@transaction.atomic
def applications_accept(
    *, actor, cohort: Cohort, applications: Iterable[Application]
) -> list[Application]:
    """Accept complete files into `cohort`, all or none. Returns the files newly accepted."""
    cohort = (
        Cohort.objects.select_for_update(of=("self",)).select_related("programme").get(pk=cohort.pk)
    )
    ids = {a.pk for a in applications}
    # Locked in primary-key order, like every other locker of several files.
    found = list(
        Application.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .select_related("applicant", "regency", "origin_pesantren")
        .order_by("pk")
    )
    if len(found) != len(ids) or any(a.cohort_id != cohort.pk for a in found):
        raise ValidationError(_("A file is not part of this cohort."))
    todo = sorted(
        (a for a in found if a.status != Application.Status.ACCEPTED),
        key=lambda a: (a.submitted_at is None, a.submitted_at, a.pk),
    )
    _refuse_each(
        [a for a in todo if a.status != Application.Status.VERIFIED],
        _("Only files verified as complete can be accepted: %(references)s."),
    )
    _refuse_each(
        [a for a in todo if a.regency_id is None],
        _("These files have no kab/kota: %(references)s."),
    )
    _check_quotas(cohort, todo)
    for application in todo:
        application.cohort = cohort
        try:
            _accept_one(actor=actor, cohort=cohort, application=application)
        except ValidationError as exc:
            raise ValidationError(
                [f"{application.reference}: {message}" for message in _messages(exc)]
            ) from exc
    if todo:
        dashboard_mark_stale(programme_id=cohort.programme_id)
    return todo


def _messages(exc: ValidationError) -> list[str]:
    """The refusal's messages, each with the field it is about (the admin cannot see forms)."""
    if not hasattr(exc, "error_dict"):
        return exc.messages
    return [
        message if field == NON_FIELD_ERRORS else f"{field}: {message}"
        for field, messages in exc.message_dict.items()
        for message in messages
    ]


@transaction.atomic
def applications_accept_in_order(*, actor, cohort: Cohort) -> list[Application]:
    """Accept complete files in order of submission while their kab/kota and the cohort have
    room; files beyond a quota stay verified."""
    cohort = Cohort.objects.select_for_update(of=("self",)).get(pk=cohort.pk)
    accepted = _accepted_counts(cohort)
    quotas = dict(CohortQuota.objects.filter(cohort=cohort).values_list("regency_id", "quota"))
    room = None if cohort.total_quota is None else cohort.total_quota - sum(accepted.values())
    chosen = []
    candidates = (
        cohort.applications.filter(status=Application.Status.VERIFIED, regency__isnull=False)
        .order_by("submitted_at", "id")
        .only("id", "regency_id")
    )
    for application in candidates:
        if room is not None and len(chosen) >= room:
            break
        code = application.regency_id
        quota = quotas.get(code)
        if quota is not None and accepted[code] >= quota:
            continue
        accepted[code] += 1
        chosen.append(application)
    if not chosen:
        return []
    return applications_accept(actor=actor, cohort=cohort, applications=chosen)


def _accept_one(*, actor, cohort: Cohort, application: Application) -> None:
    before = snapshot(application)
    records = records_for(actor=actor, cohort=cohort, application=application)
    for name, record in records.items():
        setattr(application, name, record)
    application.status = Application.Status.ACCEPTED
    application.full_clean()
    application.save()
    ApplicationEvent.objects.create(
        application=application,
        actor=actor if getattr(actor, "pk", None) else None,
        action=ApplicationEvent.Action.ACCEPTED,
    )
    audit_saved(application, actor=actor, before=before)
    _grant_membership(actor=actor, cohort=cohort, application=application)
    _notify_accepted(cohort=cohort, application=application)


def _grant_membership(*, actor, cohort: Cohort, application: Application) -> None:
    user = application.applicant
    if cohort.is_for_pesantren:
        role, scope = Role.MANAGER, {"pesantren": application.pesantren}
    else:
        role, scope = Role.PARTICIPANT, {"person": application.person}
    if Membership.objects.filter(user=user, programme=cohort.programme, role=role).exists():
        return
    membership_grant(
        actor=actor,
        programme=cohort.programme,
        email=user.email,
        full_name=user.full_name,
        role=role,
        scope=scope,
    )


def _notify_accepted(*, cohort: Cohort, application: Application) -> None:
    user = application.applicant
    name = application.display_name
    with in_language_of(user):
        values = {"name": name, "cohort": cohort.name, "reference": application.reference}
        notify(
            user=user,
            kind="intake.accepted",
            title=_("Congratulations: %(name)s is accepted into %(cohort)s") % values,
            body=_(
                "Your file %(reference)s is accepted: %(name)s is now a participant of %(cohort)s."
            )
            % values,
            url=applicant_url(application),
            programme=cohort.programme,
            # The notification list turns this into a wa.me link (`wa_share_url`).
            share_text=_("Alhamdulillah, %(name)s has been accepted into %(cohort)s.") % values,
        )
