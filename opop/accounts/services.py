"""Granting and withdrawing roles. A programme admin manages the memberships of their programme."""

from __future__ import annotations

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from opop.accounts.models import Membership, Role, User
from opop.common.audit import audit_record, diff, snapshot
from opop.common.models import AuditEvent


def _check_scope(membership: Membership) -> None:
    programme = membership.programme
    errors = {}
    if membership.role == Role.OFFICER:
        if not membership.regency_id:
            errors["regency"] = _("A regional officer needs a kabupaten/kota.")
        elif membership.regency.parent_id != programme.province_id:
            errors["regency"] = _("The kabupaten/kota is not in this programme's province.")
    if membership.role == Role.MANAGER:
        if not membership.pesantren_id:
            errors["pesantren"] = _("A cooperative manager needs a pesantren.")
        elif membership.pesantren.programme_id != programme.pk:
            errors["pesantren"] = _("The pesantren is not in this programme.")
    person = membership.person if membership.role == Role.PARTICIPANT else None
    if person and person.programme_id != programme.pk:
        errors["person"] = _("The person is not in this programme.")
    if membership.partner_id and membership.partner.programme_id != programme.pk:
        errors["partner"] = _("The partner is not in this programme.")
    if errors:
        raise ValidationError(errors)


def _invite(user: User, request) -> None:
    """E-mail a link to choose a password (Django's reset tokens; the account has none yet)."""
    context = {
        "protocol": "https" if request.is_secure() else "http",
        "domain": request.get_host(),
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
    subject = render_to_string("accounts/email/invite_subject.txt", context).strip()
    body = render_to_string("accounts/email/invite_body.txt", context)
    send_mail(subject, body, None, [user.email])


@transaction.atomic
def membership_grant(
    *,
    actor,
    programme,
    email: str,
    full_name: str,
    role: str,
    scope: dict,
    assigned_pesantren=(),
    request=None,
) -> Membership:
    """Give `email` a role in the programme, creating the account (and inviting) when new."""
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if created:
        user = User(email=email, full_name=full_name.strip())
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
    if Membership.objects.filter(user=user, programme=programme, role=role).exists():
        raise ValidationError({"role": _("This person already has this role in the programme.")})
    membership = Membership(user=user, programme=programme, role=role, **scope)
    _check_scope(membership)
    membership.full_clean(exclude=["user"])
    membership.save()
    if role == Role.FACILITATOR:
        membership.assigned_pesantren.set(assigned_pesantren)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=membership,
        programme_id=programme.pk,
        changes=diff({}, snapshot(membership)),
    )
    if created and request is not None:
        transaction.on_commit(lambda: _invite(user, request))
    return membership


@transaction.atomic
def membership_update(
    *, actor, membership: Membership, scope: dict, is_active: bool, assigned_pesantren=None
) -> Membership:
    if membership.user_id == getattr(actor, "pk", None) and not is_active:
        raise ValidationError({"is_active": _("You cannot deactivate your own role.")})
    before = snapshot(membership)
    for name, value in scope.items():
        setattr(membership, name, value)
    membership.is_active = is_active
    _check_scope(membership)
    membership.full_clean()
    membership.save()
    if membership.role == Role.FACILITATOR and assigned_pesantren is not None:
        membership.assigned_pesantren.set(assigned_pesantren)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=membership,
        changes=diff(before, snapshot(membership)),
    )
    return membership
