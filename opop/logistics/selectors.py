"""Every Agen Pos Pesantren read that depends on who is asking.

Tariffs: the programme admin. Post agents: the admin (all), a regional officer (their kab/kota),
a cooperative manager (their own pesantren's agency). Commission report: the admin, or a
manager whose pesantren is an agent (their own). Tracking: public, by tracking number only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from opop.accounts.access import Access
from opop.accounts.models import Role
from opop.logistics.models import PostAgent, Shipment, Tariff
from opop.registry.selectors import enterprises_editable_by


def tariffs_for(access: Access | None) -> QuerySet[Tariff]:
    if not access or not access.administers_programme:
        return Tariff.objects.none()
    return Tariff.objects.filter(programme_id=access.programme_id)


def agents_visible_to(access: Access | None) -> QuerySet[PostAgent]:
    if not access:
        return PostAgent.objects.none()
    qs = PostAgent.objects.filter(programme_id=access.programme_id)
    if access.administers_programme:
        return qs
    if access.role == Role.OFFICER:
        return qs.filter(regency_id=access.regency_code)
    if access.role == Role.MANAGER and access.membership.pesantren_id:
        return qs.filter(pesantren_id=access.membership.pesantren_id)
    return qs.none()


def agents_for_commissions(access: Access | None) -> QuerySet[PostAgent]:
    if not access:
        return PostAgent.objects.none()
    if access.administers_programme or access.role == Role.MANAGER:
        return agents_visible_to(access)
    return PostAgent.objects.none()


def reads_agents(access: Access | None) -> bool:
    return bool(access) and (
        access.administers_programme or access.role in (Role.OFFICER, Role.MANAGER)
    )


# --- Commission report ------------------------------------------------------------------------


@dataclass(frozen=True)
class CommissionRow:
    agent: PostAgent
    shipments: int
    fees: int
    commission: int


def month_bounds(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    """The month in Asia/Jakarta time, as aware datetimes [start, end)."""
    start = dt.datetime(year, month, 1)
    end = dt.datetime(year + (month == 12), month % 12 + 1, 1)
    return timezone.make_aware(start), timezone.make_aware(end)


def commission(fees: int, commission_bp: int) -> int:
    """fee × bp / 10000, rounded half up to whole Rupiah."""
    return (fees * commission_bp + 5_000) // 10_000


def commission_report(agents: QuerySet[PostAgent], year: int, month: int) -> list[CommissionRow]:
    """Per agent: shipments booked in the month, their fees and the agent's commission."""
    start, end = month_bounds(year, month)
    in_month = Q(shipments__created_at__gte=start, shipments__created_at__lt=end)
    rows = agents.select_related("pesantren", "regency").annotate(
        n=Count("shipments", filter=in_month),
        fees=Sum("shipments__fee", filter=in_month, default=0),
    )
    return [
        CommissionRow(
            agent=a, shipments=a.n, fees=int(a.fees), commission=commission(a.fees, a.commission_bp)
        )
        for a in rows.order_by("regency_id", "agent_code")
    ]


# --- Tracking ---------------------------------------------------------------------------------


def shipment_for_tracking(tracking_number: str) -> Shipment | None:
    return (
        Shipment.objects.select_related(
            "order__seller__regency", "order__checkout__regency", "agent__regency"
        )
        .filter(tracking_number=tracking_number)
        .first()
    )


def may_advance(access: Access | None, shipment: Shipment) -> bool:
    """Who may push a simulated shipment forward: the programme admin or the seller."""
    if not access or access.programme_id != shipment.order.programme_id:
        return False
    if access.administers_programme:
        return True
    return access.sells and (
        enterprises_editable_by(access).filter(pk=shipment.order.seller_id).exists()
    )
