"""Reads for the applicant's pages and API: open cohorts (public) and one's own files.

An applicant sees only the applications they started; anyone else's reference is a 404, staff
included (they read files through their own queue).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from opop.intake.models import Application, ApplicationDocument, ApplicationEvent, Cohort
from opop.registry.models import Pesantren

PESANTREN_SEARCH_LIMIT = 20


def cohorts_open(*, today: dt.date | None = None) -> QuerySet[Cohort]:
    """Cohorts taking registrations today, across programmes."""
    today = today or timezone.localdate()
    return (
        Cohort.objects.filter(status=Cohort.Status.OPEN, opens_on__lte=today, closes_on__gte=today)
        .select_related("programme")
        .order_by("closes_on", "programme__name", "pillar")
    )


def applications_of(user) -> QuerySet[Application]:
    if not getattr(user, "is_authenticated", False):
        return Application.objects.none()
    return Application.objects.filter(applicant=user).select_related(
        "cohort", "cohort__programme", "programme"
    )


def applications_with_history(user) -> QuerySet[Application]:
    """The user's files with documents and events, for lists that show both (two queries)."""
    return applications_of(user).prefetch_related(
        Prefetch("documents", queryset=ApplicationDocument.objects.order_by("kind")),
        Prefetch("events", queryset=ApplicationEvent.objects.order_by("at", "id")),
    )


def application_of(user, reference: str) -> Application:
    """The user's own application by reference, or 404 (also for anyone else's)."""
    application = applications_with_history(user).filter(reference=reference).first()
    if application is None:
        raise Http404
    return application


def cohort_for_start(cohort_id: int) -> Cohort:
    cohort = cohorts_open().filter(pk=cohort_id).first()
    if cohort is None:
        raise Http404
    return cohort


def pesantren_search(*, cohort: Cohort, text: str) -> list[Pesantren]:
    """Pesantren of the cohort's programme whose name holds the text (or NSPP starts with it)."""
    text = text.strip()
    if len(text) < 2:
        return []
    rows = Pesantren.objects.filter(programme_id=cohort.programme_id).select_related("regency")
    if text.isdigit():
        rows = rows.filter(nspp__startswith=text)
    else:
        rows = rows.filter(name__icontains=text)
    return list(rows.order_by("name", "id")[:PESANTREN_SEARCH_LIMIT])
