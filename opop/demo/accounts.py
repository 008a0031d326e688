"""The demo accounts: one per role, password `opop-demo`. They exist only in demo data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.hashers import make_password

from opop.accounts.models import Membership, Role, User
from opop.programmes.models import Partner

if TYPE_CHECKING:
    from opop.demo.seed import Anchors

DEMO_PASSWORD = "opop-demo"
DEMO_DOMAIN = "demo.opop.id"
SURABAYA = "35.78"
PARTNER_NAME = "Bank Jatim Syariah"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    programme: str
    role: str


DEMO_ACCOUNTS = (
    DemoAccount("admin.jatim@demo.opop.id", "Admin OPOP Jawa Timur", "jatim", Role.ADMIN),
    DemoAccount("admin.kalsel@demo.opop.id", "Admin OPOP Kalsel", "kalsel", Role.ADMIN),
    DemoAccount("officer.surabaya@demo.opop.id", "Petugas Kota Surabaya", "jatim", Role.OFFICER),
    DemoAccount("facilitator@demo.opop.id", "Pendamping OPOP", "jatim", Role.FACILITATOR),
    DemoAccount("manager.a@demo.opop.id", "Pengurus Kopontren A", "jatim", Role.MANAGER),
    DemoAccount("manager.b@demo.opop.id", "Pengurus Kopontren B", "jatim", Role.MANAGER),
    DemoAccount("participant@demo.opop.id", "Peserta OPOP", "jatim", Role.PARTICIPANT),
    DemoAccount("juror@demo.opop.id", "Juri OPOP", "jatim", Role.JUROR),
    DemoAccount("partner@demo.opop.id", "Mitra Bank Jatim Syariah", "jatim", Role.PARTNER),
    DemoAccount("buyer@demo.opop.id", "Pembeli OPOP Mart", "jatim", Role.BUYER),
    DemoAccount("auditor@demo.opop.id", "Auditor Inspektorat", "jatim", Role.AUDITOR),
)


def demo_accounts_ensure(*, programmes: dict, anchors: Anchors) -> list[User]:
    """Create (or re-point) every demo account and its one membership with its scope."""
    password = make_password(DEMO_PASSWORD)  # hashed once: the hasher is slow on purpose
    users = []
    for account in DEMO_ACCOUNTS:
        user, _ = User.objects.get_or_create(
            email=account.email, defaults={"full_name": account.full_name}
        )
        user.password = password
        user.is_active = True
        user.save(update_fields=["password", "is_active"])
        scope = _scope(account, programmes=programmes, anchors=anchors)
        membership, _ = Membership.objects.update_or_create(
            user=user,
            programme=programmes[account.programme],
            role=account.role,
            defaults={**scope, "is_active": True},
        )
        if account.role == Role.FACILITATOR:
            membership.assigned_pesantren.set(anchors.facilitator)  # primary keys
        users.append(user)
    return users


def _scope(account: DemoAccount, *, programmes: dict, anchors: Anchors) -> dict:
    match account.role:
        case Role.OFFICER:
            return {"regency_id": SURABAYA}
        case Role.MANAGER:
            key = "manager_a" if account.email.startswith("manager.a") else "manager_b"
            return {"pesantren_id": getattr(anchors, key)}
        case Role.PARTICIPANT:
            return {"person_id": anchors.participant}
        case Role.PARTNER:
            return {
                "partner": Partner.objects.get(programme=programmes["jatim"], name=PARTNER_NAME)
            }
    return {}


def demo_accounts_delete() -> int:
    deleted, _ = User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").delete()
    return deleted


def demo_logins() -> list[dict[str, str]]:
    """The demo accounts that exist, with their role, programme and scope, for `demo_logins`."""
    by_email = {a.email: a for a in DEMO_ACCOUNTS}
    memberships = (
        Membership.objects.filter(user__email__in=list(by_email), is_active=True)
        .select_related("user", "programme", "regency", "pesantren", "person", "partner")
        .prefetch_related("assigned_pesantren")
    )
    found = {(m.user.email, m.role): m for m in memberships}
    rows = []
    for account in DEMO_ACCOUNTS:
        membership = found.get((account.email, account.role))
        if membership is None:
            continue
        rows.append(
            {
                "email": account.email,
                "role": account.role,
                "programme": membership.programme.code,
                "scope": _scope_text(membership),
            }
        )
    return rows


def _scope_text(membership: Membership) -> str:
    match membership.role:
        case Role.ADMIN | Role.AUDITOR:
            return "whole programme"
        case Role.OFFICER:
            return membership.regency.name if membership.regency else "-"
        case Role.FACILITATOR:
            return f"{len(membership.assigned_pesantren.all())} assigned pesantren"
        case Role.MANAGER:
            return membership.pesantren.name
        case Role.PARTICIPANT:
            return f"own record: {membership.person.full_name}" if membership.person else "-"
        case Role.PARTNER:
            return membership.partner.name if membership.partner else "-"
    return "-"
