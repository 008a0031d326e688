"""Choosing a pesantren, a cooperative or an enterprise on a phone: at `large` an admin's scope
holds 10,000 pesantren and 270,000 enterprises, far too many `<option>`s to send. A picker's
select holds the chosen record and the first few; a search box above it fetches the matches
(`registry:record_pick`). The form field still validates against the whole scoped queryset, so
the picker narrows nothing it should not.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.db.models import Q, QuerySet
from django.urls import reverse

from opop.registry import selectors

# Options sent at once: enough to recognise the right one, few enough for a cheap phone.
SHOWN = 20


@dataclass(frozen=True)
class Picker:
    scope: object  # access -> the queryset a form offers
    search: tuple[str, ...]  # lookups a typed text is matched with (any of them)
    context: str  # the path shown after the name, to tell namesakes apart


PICKERS = {
    "pesantren": Picker(
        selectors.pesantren_editable_by, ("name__icontains", "nspp__startswith"), "regency__name"
    ),
    "cooperative": Picker(
        selectors.cooperatives_editable_by,
        ("name__icontains", "nib__startswith"),
        "pesantren__name",
    ),
    "enterprise": Picker(
        selectors.enterprises_editable_by,
        ("name__icontains", "nib__startswith"),
        "regency__name",
    ),
}


def options(queryset: QuerySet, register: str, *, first: list | None = None) -> list[tuple]:
    """(pk, label) of the records `first` (kept at the top), then the next by name."""
    context = PICKERS[register].context
    first = [pk for pk in first or [] if str(pk).isdigit()]
    rows = list(queryset.filter(pk__in=first).values_list("pk", "name", context))
    rest = queryset.exclude(pk__in=first).order_by("name", "pk")
    rows += list(rest.values_list("pk", "name", context)[:SHOWN])
    return [(pk, f"{name} · {where}" if where else name) for pk, name, where in rows]


def matches(access, register: str, text: str) -> list[tuple]:
    picker = PICKERS[register]
    queryset = picker.scope(access)
    text = text.strip()
    if text:
        found = Q()
        for lookup in picker.search:
            found |= Q(**{lookup: text})
        queryset = queryset.filter(found)
    return options(queryset, register)


class RecordPicker(forms.Select):
    template_name = "registry/widgets/record_picker.html"

    def __init__(self, register: str, attrs=None):
        super().__init__(attrs)
        self.register = register

    def optgroups(self, name, value, attrs=None):
        everything = self.choices
        empty = getattr(everything, "field", None) and everything.field.empty_label
        shown = options(everything.queryset, self.register, first=value)
        self.choices = ([("", empty)] if empty is not None else []) + shown
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = everything

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["pick_url"] = reverse("registry:record_pick", args=[self.register])
        return context
