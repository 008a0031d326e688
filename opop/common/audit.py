"""Writing and reading the audit trail. Services call `audit_record`; nobody else writes it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from opop.common.models import AuditEvent

# Field values never copied into the audit trail: secrets stay secret even in history.
REDACTED_FIELDS = {"nik_hash", "nik_cipher", "password"}
REDACTED = "•••"


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    names = fields or [f.attname for f in instance._meta.concrete_fields]
    return {name: _jsonable(getattr(instance, name)) for name in names}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    changes = {}
    for name, new in after.items():
        if name in {"id", "updated_at", "created_at"}:
            continue
        old = before.get(name)
        if old != new:
            if name in REDACTED_FIELDS:
                old, new = (REDACTED if old else None), (REDACTED if new else None)
            changes[name] = [old, new]
    return changes


def audit_record(
    *,
    actor,
    action: str,
    instance: models.Model,
    programme_id: int | None = None,
    changes: dict | None = None,
    note: str = "",
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        programme_id=programme_id
        if programme_id is not None
        else getattr(instance, "programme_id", None),
        action=action,
        target_type=instance._meta.label_lower,
        target_id=instance.pk,
        changes=changes or {},
        note=note[:255],
    )


def history_for(instance: models.Model):
    return (
        AuditEvent.objects.filter(target_type=instance._meta.label_lower, target_id=instance.pk)
        .select_related("actor")
        .order_by("-at", "-id")
    )


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def audit_saved(instance: models.Model, *, actor, before: dict | None, programme_id=None):
    """Record a save: "created" when there was no `before` snapshot, else what changed."""
    return audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE if before is None else AuditEvent.Action.UPDATE,
        instance=instance,
        programme_id=programme_id,
        changes=diff(before or {}, snapshot(instance)),
    )
