"""Buyer accounts and address books. A buyer is any logged-in user; their addresses are theirs
alone (every query is scoped by `user`)."""

from __future__ import annotations

from django.db import transaction

from opop.accounts.models import User
from opop.common.audit import audit_record
from opop.common.models import AuditEvent
from opop.mart.models import BuyerAddress


@transaction.atomic
def buyer_register(*, full_name: str, email: str, password: str, phone: str = "") -> User:
    """A new buyer account (no programme role: buyers only shop)."""
    user = User.objects.create_user(
        email, password, full_name=full_name.strip(), phone=phone or None
    )
    audit_record(
        actor=user,
        action=AuditEvent.Action.CREATE,
        note="buyer sign-up",
        instance=user,
        programme_id=None,
    )
    return user


@transaction.atomic
def address_save(*, actor, address: BuyerAddress, make_default: bool = False) -> BuyerAddress:
    """Create or update one of `actor`'s addresses; the first one becomes the default."""
    address.user = actor
    first = not BuyerAddress.objects.filter(user=actor).exclude(pk=address.pk).exists()
    address.is_default = address.is_default or make_default or first
    address.full_clean()
    if address.is_default:
        BuyerAddress.objects.filter(user=actor, is_default=True).exclude(pk=address.pk).update(
            is_default=False
        )
    address.save()
    return address


@transaction.atomic
def address_set_default(*, actor, address: BuyerAddress) -> BuyerAddress:
    BuyerAddress.objects.filter(user=actor).update(is_default=False)
    BuyerAddress.objects.filter(user=actor, pk=address.pk).update(is_default=True)
    address.is_default = True
    return address


@transaction.atomic
def address_delete(*, actor, address: BuyerAddress) -> None:
    was_default = address.is_default
    BuyerAddress.objects.filter(user=actor, pk=address.pk).delete()
    if was_default:
        nxt = BuyerAddress.objects.filter(user=actor).order_by("pk").first()
        if nxt:
            address_set_default(actor=actor, address=nxt)
