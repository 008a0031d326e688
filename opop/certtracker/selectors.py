"""Every tracker read that depends on who is asking.

Scope follows the registry: a track is visible when its product's enterprise is
(`enterprises_visible_to`); it may be moved by whoever may edit that enterprise (coaches in
scope, the pesantren's cooperative manager, the participant who owns it). Auditors read.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from opop.accounts.access import Access
from opop.accounts.models import Membership, Role, User
from opop.catalog.models import Product
from opop.certtracker import rules
from opop.certtracker.models import CertificationTrack
from opop.registry.selectors import (
    enterprises_editable_by,
    enterprises_visible_to,
    regencies_for_filter,
)


def _in_programme(access: Access) -> QuerySet[CertificationTrack]:
    return CertificationTrack.objects.filter(programme_id=access.programme_id)


def tracks_visible_to(access: Access) -> QuerySet[CertificationTrack]:
    if not access or not access.reads_coaching:
        return CertificationTrack.objects.none()
    tracks = _in_programme(access)
    if access.role in {Role.ADMIN, Role.AUDITOR}:
        return tracks
    if access.role == Role.OFFICER:
        return tracks.filter(regency_id=access.regency_code)
    return tracks.filter(product__enterprise__in=enterprises_visible_to(access).values("pk"))


def tracks_movable_by(access: Access) -> QuerySet[CertificationTrack]:
    """Coaches in scope and the product's keepers; auditors and others move nothing."""
    if not access or not access.reads_coaching or not access.writes_registry:
        return CertificationTrack.objects.none()
    if access.role == Role.ADMIN:
        return _in_programme(access)
    if access.role == Role.OFFICER:
        return _in_programme(access).filter(regency_id=access.regency_code)
    return _in_programme(access).filter(
        product__enterprise__in=enterprises_editable_by(access).values("pk")
    )


def products_trackable_by(access: Access) -> QuerySet[Product]:
    """Products a user may start a track for: the same people who move tracks."""
    if not access or not access.reads_coaching or not access.writes_registry:
        return Product.objects.none()
    return Product.objects.filter(
        programme_id=access.programme_id,
        enterprise__in=enterprises_editable_by(access).values("pk"),
    )


def reads_staff_list(access: Access) -> bool:
    """The staff list: coaches (admin, officer, facilitator) and auditors."""
    return bool(access) and (access.coaches or access.role == Role.AUDITOR)


def current(tracks: QuerySet[CertificationTrack]) -> QuerySet[CertificationTrack]:
    return tracks.filter(superseded=False)


def with_shown_status(
    tracks: QuerySet[CertificationTrack], today: dt.date | None = None
) -> QuerySet[CertificationTrack]:
    today = today or timezone.localdate()
    return tracks.annotate(shown=rules.shown_status_expression(today))


def filtered(
    tracks: QuerySet[CertificationTrack],
    *,
    kind: str = "",
    shown: str = "",
    regency: str = "",
    pesantren_id: int | None = None,
    today: dt.date | None = None,
) -> QuerySet[CertificationTrack]:
    today = today or timezone.localdate()
    if kind:
        tracks = tracks.filter(kind=kind)
    if shown:
        tracks = tracks.filter(rules.shown_status_filter(shown, today))
    if regency:
        tracks = tracks.filter(regency_id=regency)
    if pesantren_id:
        tracks = tracks.filter(pesantren_id=pesantren_id)
    return tracks


def regencies_offered(access: Access):
    return regencies_for_filter(access)


def track_history(track: CertificationTrack):
    return track.steps.select_related("actor").order_by("on", "id")


def predecessors(track: CertificationTrack) -> list[CertificationTrack]:
    """Earlier tracks of the same product and kind, newest first (renewed or retried)."""
    return list(
        CertificationTrack.objects.filter(product_id=track.product_id, kind=track.kind)
        .exclude(pk=track.pk)
        .select_related("certification")
        .order_by("-created_at", "-id")
    )


# --- Who hears about a product's certificate --------------------------------------------------


def keepers_of(product: Product) -> QuerySet[User]:
    """The product's keepers: managers of the enterprise's pesantren (its own or its owner's)
    and the participant who owns the enterprise."""
    enterprise = product.enterprise
    pesantren_ids = {enterprise.pesantren_id}
    if enterprise.owner_id:
        pesantren_ids.add(enterprise.owner.pesantren_id)
    pesantren_ids.discard(None)
    memberships = Membership.objects.filter(
        programme_id=enterprise.programme_id, is_active=True
    ).filter(
        Q(role=Role.MANAGER, pesantren_id__in=pesantren_ids)
        | Q(role=Role.PARTICIPANT, person_id=enterprise.owner_id, person__isnull=False)
    )
    return User.objects.filter(is_active=True, pk__in=memberships.values("user_id"))


def facilitators_of(*, programme_id: int, pesantren_id: int | None) -> QuerySet[User]:
    if not pesantren_id:
        return User.objects.none()
    memberships = Membership.objects.filter(
        programme_id=programme_id,
        is_active=True,
        role=Role.FACILITATOR,
        assigned_pesantren=pesantren_id,
    )
    return User.objects.filter(is_active=True, pk__in=memberships.values("user_id"))


def pesantren_of(product: Product) -> int | None:
    """The pesantren a product belongs to: its enterprise's, or the enterprise owner's."""
    enterprise = product.enterprise
    if enterprise.pesantren_id:
        return enterprise.pesantren_id
    if enterprise.owner_id:
        return enterprise.owner.pesantren_id
    return None
