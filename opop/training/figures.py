"""Training counts for the dashboard (issue 5, point 8): sessions held, attendees and
certificates issued in a year, by kab/kota where the session was held (None = online or
province-wide). Scoped like the registry: programme-wide roles the whole programme, an officer
their kab/kota, a facilitator or manager the people of their pesantren, a participant themself."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from opop.accounts.models import Role
from opop.training.models import Certificate, Enrolment


def _attendances(access) -> QuerySet[Enrolment] | None:
    qs = Enrolment.objects.filter(
        session__programme_id=access.programme_id, checked_in_at__isnull=False
    )
    match access.role:
        case Role.ADMIN | Role.AUDITOR | Role.PARTNER:
            return qs
        case Role.OFFICER:
            return qs.filter(session__regency_id=access.regency_code)
        case Role.FACILITATOR:
            return qs.filter(person__pesantren_id__in=access.assigned_pesantren_ids)
        case Role.MANAGER:
            return qs.filter(person__pesantren_id=access.membership.pesantren_id)
        case Role.PARTICIPANT:
            return qs.filter(person_id=access.membership.person_id)
    return None


def dashboard_figures(access, *, year: int) -> dict:
    empty = {"year": year, "sessions": 0, "attendees": 0, "certificates": 0, "by_regency": []}
    if not access or not access.reads_dashboard:
        return empty
    attendances = _attendances(access)
    if attendances is None:
        return empty
    in_year = attendances.filter(session__starts_at__year=year)
    by_regency: dict = {}
    for row in (
        in_year.values("session__regency_id", "session__regency__name")
        .annotate(sessions=Count("session", distinct=True), attendees=Count("id"))
        .order_by()
    ):
        by_regency[row["session__regency_id"]] = {
            "code": row["session__regency_id"],
            "name": row["session__regency__name"] or "",
            "sessions": row["sessions"],
            "attendees": row["attendees"],
            "certificates": 0,
        }
    certs = Certificate.objects.filter(
        enrolment__in=attendances, revoked_at__isnull=True, issued_at__year=year
    )
    for row in (
        certs.values("enrolment__session__regency_id", "enrolment__session__regency__name")
        .annotate(n=Count("id"))
        .order_by()
    ):
        code = row["enrolment__session__regency_id"]
        entry = by_regency.setdefault(
            code,
            {
                "code": code,
                "name": row["enrolment__session__regency__name"] or "",
                "sessions": 0,
                "attendees": 0,
                "certificates": 0,
            },
        )
        entry["certificates"] = row["n"]
    rows = sorted(by_regency.values(), key=lambda r: (r["code"] is None, r["name"]))
    # A session counts as held once someone attended it (in scope: for a manager, the sessions
    # their people attended).
    return {
        "year": year,
        "sessions": in_year.values("session_id").distinct().count(),
        "attendees": sum(r["attendees"] for r in rows),
        "certificates": sum(r["certificates"] for r in rows),
        "by_regency": rows,
    }
