"""Reads of a programme's own settings: its years, indicators and targets, partners.

The programme admin reads and changes them; the auditor reads them; nobody else sees them.
Everything is limited to the caller's active programme, so an id from another programme is
simply not found.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from opop.accounts.access import Access
from opop.accounts.models import Role
from opop.programmes.models import (
    Indicator,
    Partner,
    PartnerAgreement,
    ProgrammeYear,
    YearlyTarget,
)


def reads_settings(access: Access) -> bool:
    return bool(access) and (access.administers_programme or access.role == Role.AUDITOR)


def changes_settings(access: Access) -> bool:
    return bool(access) and access.administers_programme


def years_of(access: Access) -> QuerySet[ProgrammeYear]:
    if not reads_settings(access):
        return ProgrammeYear.objects.none()
    return ProgrammeYear.objects.filter(programme_id=access.programme_id).order_by("year")


def indicators_of(access: Access) -> QuerySet[Indicator]:
    if not reads_settings(access):
        return Indicator.objects.none()
    return (
        Indicator.objects.filter(programme_id=access.programme_id)
        .prefetch_related(Prefetch("targets", queryset=YearlyTarget.objects.order_by("year")))
        .order_by("position", "code")
    )


def target_years_of(access: Access) -> list[int]:
    """Columns of the targets grid: the programme's years and any year that has a target."""
    if not reads_settings(access):
        return []
    years = set(years_of(access).values_list("year", flat=True))
    years |= set(
        YearlyTarget.objects.filter(indicator__programme_id=access.programme_id).values_list(
            "year", flat=True
        )
    )
    return sorted(years)


def partners_of(access: Access, *, kind: str = "", query: str = "") -> QuerySet[Partner]:
    if not reads_settings(access):
        return Partner.objects.none()
    partners = Partner.objects.filter(programme_id=access.programme_id).annotate(
        agreement_count=Count("agreements")
    )
    if kind in Partner.Kind.values:
        partners = partners.filter(kind=kind)
    if query:
        partners = partners.filter(Q(name__icontains=query) | Q(contact_name__icontains=query))
    return partners.order_by("name", "id")


def agreements_of(access: Access) -> QuerySet[PartnerAgreement]:
    if not reads_settings(access):
        return PartnerAgreement.objects.none()
    return PartnerAgreement.objects.filter(
        partner__programme_id=access.programme_id
    ).select_related("partner")


def partner_counts_by_kind(access: Access) -> dict[str, int]:
    if not reads_settings(access):
        return {}
    rows = (
        Partner.objects.filter(programme_id=access.programme_id)
        .values_list("kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    return dict(rows)
