"""Reading visits with scope. A facilitator reads their own reports for pesantren still assigned
to them; a supervisor (admin: the programme, officer: their kab/kota) and an auditor read the
reports in their scope. Everything else is an empty queryset, so a view's lookup is a 404."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from opop.accounts.models import Role
from opop.registry.models import Pesantren
from opop.registry.selectors import pesantren_visible_to
from opop.visits.models import ActionItem, Visit


def visits_visible_to(access) -> QuerySet[Visit]:
    if not access:
        return Visit.objects.none()
    qs = Visit.objects.filter(programme_id=access.programme_id)
    match access.role:
        case Role.ADMIN | Role.AUDITOR:
            return qs
        case Role.OFFICER:
            return qs.filter(pesantren__regency_id=access.regency_code)
        case Role.FACILITATOR:
            return qs.filter(
                facilitator=access.user, pesantren_id__in=access.assigned_pesantren_ids
            )
    return Visit.objects.none()


def visit_sent_before(user, client_uuid) -> Visit | None:
    """The report a facilitator's phone already sent under this UUID, if any."""
    return Visit.objects.filter(facilitator=user, client_uuid=client_uuid).first()


def visits_reviewable_by(access) -> QuerySet[Visit]:
    if not access or not access.supervises_visits:
        return Visit.objects.none()
    return visits_visible_to(access)


def visits_editable_by(access) -> QuerySet[Visit]:
    """A facilitator's own reports that a supervisor returned for changes."""
    if not access or not access.writes_visits:
        return Visit.objects.none()
    return visits_visible_to(access).filter(status=Visit.Status.RETURNED)


def pesantren_for_visits(access) -> QuerySet[Pesantren]:
    """Where the facilitator may report a visit: the pesantren assigned to them."""
    if not access or not access.writes_visits:
        return Pesantren.objects.none()
    return pesantren_visible_to(access).order_by("name")


def visit_rows(access, *, status: str = "") -> QuerySet[Visit]:
    rows = visits_visible_to(access).select_related(
        "pesantren", "pesantren__regency", "facilitator"
    )
    if status:
        rows = rows.filter(status=status)
    # Grouped queries drop Meta.ordering: say it again, newest first.
    return rows.annotate(
        items=Count("action_items"),
        open_items=Count("action_items", filter=Q(action_items__done_at__isnull=True)),
    ).order_by("-visited_on", "-id")


def local_today() -> dt.date:
    return timezone.localdate()


def overdue_items(access) -> QuerySet[ActionItem]:
    """Open action items past their due date, of the visits the reader may see."""
    if not access or not (access.writes_visits or access.supervises_visits):
        return ActionItem.objects.none()
    return (
        ActionItem.objects.filter(
            visit__in=visits_visible_to(access).order_by().values("pk"),
            done_at__isnull=True,
            due_on__lt=local_today(),
        )
        .select_related("visit", "visit__pesantren", "visit__facilitator")
        .order_by("due_on", "id")
    )


def items_changeable_by(access) -> QuerySet[ActionItem]:
    """Marking an item done: the facilitator who wrote the report, or a supervisor in scope."""
    if not access or not (access.writes_visits or access.supervises_visits):
        return ActionItem.objects.none()
    return ActionItem.objects.filter(visit__in=visits_visible_to(access).order_by().values("pk"))


def reads_visits(access) -> bool:
    """Facilitators, supervisors and auditors read visit reports (the pages' rule)."""
    return bool(
        access and (access.writes_visits or access.supervises_visits or access.role == Role.AUDITOR)
    )
