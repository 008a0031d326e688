"""Visit figures for the dashboard (issue 5, point 8): visits per kab/kota and month, reports
waiting for review, overdue action items. Scoped like the registry: programme-wide roles the
whole programme, an officer their kab/kota, a facilitator or manager their pesantren."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractMonth

from opop.registry.selectors import pesantren_visible_to
from opop.visits.models import ActionItem, Visit
from opop.visits.selectors import local_today


def visits_in_scope(access) -> QuerySet[Visit]:
    if not access or not access.reads_dashboard:
        return Visit.objects.none()
    visits = Visit.objects.filter(programme_id=access.programme_id)
    if access.is_programme_wide:
        return visits
    return visits.filter(pesantren_id__in=pesantren_visible_to(access).order_by().values("pk"))


def dashboard_figures(access, *, year: int) -> dict:
    visits = visits_in_scope(access)
    cells = (
        visits.filter(visited_on__year=year)
        .annotate(month=ExtractMonth("visited_on"))
        .values("pesantren__regency_id", "pesantren__regency__name", "month")
        .annotate(visits=Count("id"))
        .order_by("pesantren__regency_id", "month")
    )
    by_regency_month = [
        {
            "regency_code": c["pesantren__regency_id"],
            "regency": c["pesantren__regency__name"],
            "month": c["month"],
            "visits": c["visits"],
        }
        for c in cells
    ]
    overdue = ActionItem.objects.filter(
        visit__in=visits.order_by().values("pk"), done_at__isnull=True, due_on__lt=local_today()
    ).count()
    return {
        "visits": sum(c["visits"] for c in by_regency_month),
        "visits_by_regency_month": by_regency_month,
        "waiting_review": visits.filter(status=Visit.Status.SUBMITTED).count(),
        "overdue_action_items": overdue,
    }
