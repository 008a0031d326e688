"""Every catalogue write: validated in full, in a transaction, with an audit row."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from opop.catalog.models import Certification, Product
from opop.common.audit import audit_record, diff, snapshot
from opop.common.models import AuditEvent


def _save(instance, *, actor, created: bool, before: dict | None, programme_id: int):
    instance.full_clean()
    instance.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        instance=instance,
        programme_id=programme_id,
        changes=diff(before or {}, snapshot(instance)),
    )
    return instance


@transaction.atomic
def product_save(*, actor, programme, data: dict[str, Any], instance: Product | None = None):
    before = snapshot(instance) if instance else None
    product = instance or Product(programme=programme)
    for name, value in data.items():
        setattr(product, name, value)
    if product.enterprise.programme_id != programme.pk:
        raise ValidationError({"enterprise": _("This record is not in this programme.")})
    return _save(
        product, actor=actor, created=instance is None, before=before, programme_id=programme.pk
    )


@transaction.atomic
def certification_save(
    *, actor, product: Product, data: dict[str, Any], instance: Certification | None = None
) -> Certification:
    before = snapshot(instance) if instance else None
    certification = instance or Certification(product=product)
    for name, value in data.items():
        setattr(certification, name, value)
    return _save(
        certification,
        actor=actor,
        created=instance is None,
        before=before,
        programme_id=product.programme_id,
    )
