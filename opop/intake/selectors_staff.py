"""Every staff read of intake that depends on who is asking: the verification queue, one file,
cohorts and their figures per kab/kota.

Scope: programme admins and auditors see the whole programme, a regional officer only the files
whose kab/kota is theirs. Drafts are the applicant's own until submitted: staff never see them.
Only admins and officers verify (`verifies_intake`); only admins manage cohorts.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from lokal import add_working_days

from opop.accounts.access import Access
from opop.accounts.models import Role
from opop.intake.models import Application, Cohort, CohortQuota
from opop.regions.models import Region
from opop.regions.selectors import regencies_of
from opop.registry.models import Participation, Person, Pesantren

# A file waiting longer than this many working days since its latest submission is overdue.
OVERDUE_WORKING_DAYS = 5


def applications_visible_to(access: Access | None) -> QuerySet[Application]:
    if not access or not access.reads_intake:
        return Application.objects.none()
    rows = Application.objects.filter(programme_id=access.programme_id).exclude(
        status=Application.Status.DRAFT
    )
    if access.role == Role.OFFICER:
        rows = rows.filter(regency_id=access.regency_code)
    return rows


def applications_verifiable_by(access: Access | None) -> QuerySet[Application]:
    """Files the user may decide on and whose documents they may open (not auditors)."""
    if not access or not access.verifies_intake:
        return Application.objects.none()
    return applications_visible_to(access)


def cohorts_visible_to(access: Access | None) -> QuerySet[Cohort]:
    if not access or not access.reads_intake:
        return Cohort.objects.none()
    return Cohort.objects.filter(programme_id=access.programme_id)


def cohorts_readable_by(access: Access | None) -> QuerySet[Cohort]:
    """The cohort pages: the admin manages them, the auditor reads them."""
    if not access or access.role not in (Role.ADMIN, Role.AUDITOR):
        return Cohort.objects.none()
    return Cohort.objects.filter(programme_id=access.programme_id)


def cohorts_manageable_by(access: Access | None) -> QuerySet[Cohort]:
    if not access or not access.administers_programme:
        return Cohort.objects.none()
    return Cohort.objects.filter(programme_id=access.programme_id)


# --- The queue -------------------------------------------------------------------------------


def queue_rows(access: Access, *, cohort=None, status=None, regency=None, q="") -> QuerySet:
    """The queue, longest waiting first (by latest submission), with what each row shows."""
    rows = applications_visible_to(access).select_related("cohort", "regency")
    if cohort is not None:
        rows = rows.filter(cohort=cohort)
    if status:
        rows = rows.filter(status=status)
    if regency is not None:
        rows = rows.filter(regency=regency)
    q = (q or "").strip()
    if q:
        rows = rows.filter(
            Q(reference__iexact=q)
            | Q(reference__icontains=q)
            | Q(pesantren_name__icontains=q)
            | Q(full_name__icontains=q)
            | Q(business_name__icontains=q)
        )
    return rows.order_by("submitted_at", "id")


def overdue_since(now: dt.datetime | None = None) -> dt.date:
    """Files submitted on or before this (local) date have waited OVERDUE_WORKING_DAYS or more."""
    today = timezone.localdate(now or timezone.now())
    try:
        return add_working_days(today, -OVERDUE_WORKING_DAYS)
    except ValueError:  # lokal-id has holidays only for some years: count weekdays instead
        day, left = today, OVERDUE_WORKING_DAYS
        while left:
            day -= dt.timedelta(days=1)
            if day.weekday() < 5:
                left -= 1
        return day


def is_overdue(application: Application, *, since: dt.date) -> bool:
    return (
        application.status == Application.Status.SUBMITTED
        and application.submitted_at is not None
        and timezone.localdate(application.submitted_at) <= since
    )


def queue_counts(access: Access) -> dict[str, int]:
    """Waiting and overdue files in the user's scope, for the queue's heading."""
    since = overdue_since()
    cutoff = timezone.make_aware(dt.datetime.combine(since + dt.timedelta(days=1), dt.time.min))
    waiting = applications_visible_to(access).filter(status=Application.Status.SUBMITTED)
    return waiting.aggregate(
        waiting=Count("id"), overdue=Count("id", filter=Q(submitted_at__lt=cutoff))
    )


def regencies_for_filter(access: Access) -> QuerySet[Region]:
    if not access or not access.reads_intake:
        return Region.objects.none()
    return regencies_of(access.programme.province_id).order_by("name")


# --- One file --------------------------------------------------------------------------------


def application_history(application: Application):
    return application.events.select_related("actor").order_by("at", "id")


def registry_matches(application: Application) -> dict:
    """What the registry already holds for this file (shown to the verifier; reused on accept)."""
    programme_id = application.programme_id
    pesantren = None
    if application.nspp:
        pesantren = Pesantren.objects.filter(
            programme_id=programme_id, nspp=application.nspp
        ).first()
    person, participations = None, []
    if application.nik_hash:
        person = Person.objects.filter(
            programme_id=programme_id, nik_hash=application.nik_hash
        ).first()
        if person:
            participations = list(Participation.objects.filter(person=person))
    if pesantren:
        participations += list(Participation.objects.filter(pesantren=pesantren, person=None))
    return {"pesantren": pesantren, "person": person, "participations": participations}


# --- Cohorts ---------------------------------------------------------------------------------


def cohort_regency_rows(cohort: Cohort) -> list[dict]:
    """Per kab/kota of the province: quota, accepted, verified (waiting), submitted.

    Lists the kab/kota with a quota or with any file; two queries whatever the size.
    """
    S = Application.Status
    counts = {
        row["regency_id"]: row
        for row in cohort.applications.exclude(status=S.DRAFT)
        .values("regency_id")
        .annotate(
            accepted=Count("id", filter=Q(status=S.ACCEPTED)),
            verified=Count("id", filter=Q(status=S.VERIFIED)),
            submitted=Count("id", filter=Q(status=S.SUBMITTED)),
            needs_fixing=Count("id", filter=Q(status=S.NEEDS_FIXING)),
        )
        .order_by()
    }
    quotas = dict(CohortQuota.objects.filter(cohort=cohort).values_list("regency_id", "quota"))
    names = dict(regencies_of(cohort.programme.province_id).values_list("code", "name"))
    rows = []
    for code in sorted(set(quotas) | set(counts), key=lambda c: (c is None, names.get(c, ""))):
        row = counts.get(code, {})
        quota = quotas.get(code)
        accepted = row.get("accepted", 0)
        rows.append(
            {
                "code": code,
                "name": names.get(code, code or "—"),
                "quota": quota,
                "accepted": accepted,
                "verified": row.get("verified", 0),
                "submitted": row.get("submitted", 0),
                "needs_fixing": row.get("needs_fixing", 0),
                "left": None if quota is None else max(quota - accepted, 0),
                "full": quota is not None and accepted >= quota,
            }
        )
    return rows


def cohort_verified(cohort: Cohort, *, regency=None) -> QuerySet[Application]:
    """Complete files waiting to be accepted, in order of submission."""
    rows = cohort.applications.filter(status=Application.Status.VERIFIED).select_related(
        "regency", "cohort"
    )
    if regency is not None:
        rows = rows.filter(regency=regency)
    return rows.order_by("submitted_at", "id")
