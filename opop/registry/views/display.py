"""Turning records and their audit history into what a page shows: labels, readable values,
personal data masked for readers who may not see it. Hashes and ciphertexts are never shown."""

from __future__ import annotations

from django.db.models import Field, Model
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from opop.common import pii
from opop.common.audit import history_for
from opop.common.formatting import rupiah
from opop.regions.models import Region
from opop.registry import selectors
from opop.registry.models import Cooperative, Enterprise, Person, Pesantren

MISSING = "—"
MONEY_FIELDS = {"monthly_revenue"}
HIDDEN_IN_HISTORY = {"nik_hash", "nik_cipher", "programme_id"}


def _masked_date(value) -> str:
    return pii.MASK * 8


# Person fields shown masked to readers without `access.sees_contact`.
PERSON_CONTACT_MASKS = {
    "phone": pii.mask_phone,
    "email": pii.mask_email,
    "address": pii.mask_text,
    "birth_date": _masked_date,
    "birth_place": pii.mask_text,
}


def contact_masks(model, access) -> dict:
    return PERSON_CONTACT_MASKS if model is Person and not access.sees_contact else {}


def display(field: Field, value, *, label_of=None) -> str:
    """A stored value as a person reads it: choice labels, dates, Rupiah, names of relations."""
    if value is None or value == "":
        return MISSING
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        return label_of(field, value) if label_of else str(value)
    if field.name in MONEY_FIELDS:
        return rupiah(value)
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        moment = parse_datetime(value) if isinstance(value, str) else value
        if moment is not None:
            return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
    if kind == "DateField":
        day = parse_date(value) if isinstance(value, str) else value
        if day is not None:
            return formats.date_format(day, "SHORT_DATE_FORMAT")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def field_rows(instance: Model, names, *, access) -> list[tuple[str, str]]:
    """(label, value) pairs for a detail page, masked as the reader's role requires."""
    masks = contact_masks(type(instance), access)
    rows = []
    for name in names:
        field = instance._meta.get_field(name)
        raw = getattr(instance, field.attname)
        if name in masks and raw not in (None, ""):
            value = masks[name](raw)
        elif field.is_relation:
            related = getattr(instance, name)
            value = str(related) if related is not None else MISSING
        else:
            value = display(field, raw)
        rows.append((field.verbose_name, value))
    return rows


# --- History ---------------------------------------------------------------------------------

_NAME_SOURCES = {
    Pesantren: (selectors.pesantren_visible_to, "name"),
    Cooperative: (selectors.cooperatives_visible_to, "name"),
    Person: (selectors.people_visible_to, "full_name"),
    Enterprise: (selectors.enterprises_visible_to, "name"),
}


def _related_labels(fields: dict[str, Field], events, access) -> dict:
    """Names of the records that history rows point at, one query per related model; records
    outside the reader's scope stay a bare number."""
    wanted: dict[type, set] = {}
    for event in events:
        for attname, pair in event.changes.items():
            field = fields.get(attname)
            if field is not None and field.is_relation:
                wanted.setdefault(field.related_model, set()).update(v for v in pair if v)
    labels = {}
    for model, ids in wanted.items():
        if model is Region:
            pairs = Region.objects.filter(code__in=ids).values_list("code", "name")
        elif model in _NAME_SOURCES:
            selector, name = _NAME_SOURCES[model]
            pairs = selector(access).filter(pk__in=ids).values_list("pk", name)
        else:
            continue
        labels.update({(model, str(pk)): label for pk, label in pairs})
    return labels


def _change(field: Field, pair, labels: dict, masks: dict) -> dict:
    def one(value):
        if value not in (None, "") and field.name in masks:
            return masks[field.name](value)
        return display(
            field,
            value,
            label_of=lambda f, v: labels.get((f.related_model, str(v)), f"#{v}"),
        )

    old, new = pair
    return {"field": field.verbose_name, "old": one(old), "new": one(new)}


def readable_history(instance: Model, *, access) -> list[dict]:
    """Every audit row of a record, newest first: who, when, what, and which fields changed."""
    events = list(history_for(instance))
    fields = {f.attname: f for f in type(instance)._meta.concrete_fields}
    labels = _related_labels(fields, events, access)
    masks = contact_masks(type(instance), access)
    rows = []
    for event in events:
        changes = [
            _change(fields[name], pair, labels, masks)
            for name, pair in event.changes.items()
            if name in fields and name not in HIDDEN_IN_HISTORY and isinstance(pair, list)
        ]
        actor = event.actor
        rows.append(
            {
                "at": event.at,
                "actor": (actor.full_name or actor.email) if actor else _("the system"),
                "action": event.get_action_display(),
                "note": event.note,
                "changes": changes,
            }
        )
    return rows
