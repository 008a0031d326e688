"""Putting subjects (products, applications, enterprises) into a stage as entries.

Part of the assessment services; call them as `opop.assessment.services.<name>`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opop.accounts.models import Membership, Role
from opop.assessment.dashboard_hook import curation_figures_changed
from opop.assessment.models import Entry, Round, Stage
from opop.assessment.rounds import OPEN_FOR_ENTRIES, save_audited


def _subject(*, product, application, enterprise) -> dict[str, Any]:
    """Title, pesantren, regency, programme and default owner of an entry's subject."""
    subjects = [s for s in (product, application, enterprise) if s is not None]
    if len(subjects) != 1:
        raise ValidationError(_("Choose exactly one product, application or enterprise."))
    if application is not None:
        return {
            "title": application.display_name,
            "pesantren_id": application.pesantren_id or application.origin_pesantren_id,
            "regency_id": application.regency_id,
            "programme_id": application.programme_id,
            "owner": application.applicant,
        }
    ent = product.enterprise if product is not None else enterprise
    pesantren_id = ent.pesantren_id
    if pesantren_id is None and ent.cooperative_id:
        pesantren_id = ent.cooperative.pesantren_id
    if pesantren_id is None and ent.owner_id:
        pesantren_id = ent.owner.pesantren_id
    return {
        "title": product.name if product is not None else ent.name,
        "pesantren_id": pesantren_id,
        "regency_id": ent.regency_id,
        "programme_id": ent.programme_id,
        "owner": _keeper_of(ent, pesantren_id),
    }


def _keeper_of(enterprise, pesantren_id):
    """Who keeps the enterprise: its owner's participant account, else its pesantren's manager."""
    memberships = Membership.objects.filter(
        programme_id=enterprise.programme_id, is_active=True
    ).select_related("user")
    if enterprise.owner_id:
        found = memberships.filter(role=Role.PARTICIPANT, person_id=enterprise.owner_id).first()
        if found:
            return found.user
    if pesantren_id:
        found = memberships.filter(role=Role.MANAGER, pesantren_id=pesantren_id).order_by("id")
        if found.first():
            return found.first().user
    return None


@transaction.atomic
def entry_add(
    *,
    actor,
    stage: Stage,
    product=None,
    application=None,
    enterprise=None,
    owner=None,
) -> Entry:
    """Put one subject into a stage (title, pesantren, regency and owner derived from it).
    Idempotent: the same product/application twice returns the existing entry. Only while the
    stage is in SETUP or SCORING."""
    stage = Stage.objects.select_for_update(of=("self",)).select_related("round").get(pk=stage.pk)
    if stage.status not in OPEN_FOR_ENTRIES:
        raise ValidationError(_("Entries can only be added before the stage closes."))
    subject = _subject(product=product, application=application, enterprise=enterprise)
    if subject.pop("programme_id") != stage.round.programme_id:
        raise ValidationError(_("This record belongs to another programme."))
    if stage.round.purpose == Round.Purpose.CURATION and product is None:
        raise ValidationError(_("A curation round assesses products."))
    existing = Entry.objects.filter(
        stage=stage, product=product, application=application, enterprise=enterprise
    ).first()
    if existing:
        return existing
    derived_owner = subject.pop("owner")
    entry = Entry(
        stage=stage,
        product=product,
        application=application,
        enterprise=enterprise,
        owner=owner or derived_owner,
        submitted_at=timezone.now(),
        **subject,
    )
    entry.title = entry.title[:200]
    curation_figures_changed(stage)
    return save_audited(entry, actor=actor, before=None, programme_id=stage.round.programme_id)
