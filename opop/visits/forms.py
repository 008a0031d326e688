"""Forms of the visit report. One form parses the phone's send (multipart from the offline page,
or JSON) and the edit page; action items come as `item-<n>-text/due_on/responsible` fields or,
in JSON, as an `action_items` list."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from opop.common.forms import BootstrapFormMixin
from opop.visits.models import ActionItem, Purpose, Visit
from opop.visits.services.visits import MAX_ACTION_ITEMS

ITEM_KEY = re.compile(r"^item-(\d{1,3})-text$")


class ActionItemForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = ["text", "due_on", "responsible"]


def _items_raw(data) -> list[dict]:
    if isinstance(data, dict) and isinstance(data.get("action_items"), list):
        return [row if isinstance(row, dict) else {} for row in data["action_items"]]
    numbers = sorted({int(m.group(1)) for key in data if (m := ITEM_KEY.match(key))})
    return [
        {name: data.get(f"item-{n}-{name}", "") for name in ("text", "due_on", "responsible")}
        for n in numbers
    ]


class VisitForm(BootstrapFormMixin, forms.Form):
    visited_on = forms.DateField(
        label=_("Date of visit"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    purpose_other = forms.CharField(label=_("Other purpose"), max_length=150, required=False)
    notes = forms.CharField(
        label=_("Notes"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.item_forms: list[ActionItemForm] = []

    def clean(self):
        cleaned = super().clean()
        items, errors = [], []
        raw = _items_raw(self.data) if self.is_bound else []
        if len(raw) > MAX_ACTION_ITEMS:
            self.add_error(None, _("At most %(n)d action items.") % {"n": MAX_ACTION_ITEMS})
            raw = []
        for number, row in enumerate(raw, start=1):
            if not any(str(row.get(k) or "").strip() for k in ("text", "due_on", "responsible")):
                continue  # an empty row of the page
            item = ActionItemForm(
                data={k: row.get(k) or "" for k in ("text", "due_on", "responsible")}
            )
            self.item_forms.append(item)
            if item.is_valid():
                items.append(item.cleaned_data)
            else:
                for field, messages in item.errors.items():
                    label = item.fields[field].label if field in item.fields else ""
                    errors.append(
                        _("Action item %(n)d, %(field)s: %(problem)s")
                        % {"n": number, "field": label, "problem": " ".join(messages)}
                    )
        if errors:
            self.add_error(None, errors)
        cleaned["items"] = items
        if (
            cleaned.get("purpose") == Purpose.OTHER
            and not (cleaned.get("purpose_other") or "").strip()
        ):
            self.add_error("purpose_other", _("Say what the visit was for."))
        return cleaned


class NewVisitForm(VisitForm):
    """What the phone sends: the report plus its pesantren, its UUID and the location."""

    client_uuid = forms.UUIDField()
    pesantren = forms.ModelChoiceField(label=_("Pesantren"), queryset=None)
    latitude = forms.FloatField(required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(required=False, min_value=-180, max_value=180)
    location_accuracy = forms.FloatField(required=False, min_value=0, max_value=100_000)
    location_read_at = forms.DateTimeField(required=False)

    field_order = ["client_uuid", "pesantren", "visited_on", "purpose", "purpose_other", "notes"]

    def __init__(self, *args, pesantren_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pesantren"].queryset = pesantren_choices

    def clean(self):
        cleaned = super().clean()
        lat, lon = cleaned.get("latitude"), cleaned.get("longitude")
        read_at = cleaned.get("location_read_at")
        given = [v is not None for v in (lat, lon)]
        if any(given) and not all(given):
            self.add_error("latitude", _("The location needs both latitude and longitude."))
        elif all(given) and read_at is None:
            self.add_error("location_read_at", _("Say when the location was read."))
        elif all(given) and not self.errors:
            accuracy = cleaned.get("location_accuracy")
            cleaned["location"] = {
                "latitude": Decimal(f"{lat:.6f}"),
                "longitude": Decimal(f"{lon:.6f}"),
                "accuracy": round(accuracy) if accuracy is not None else None,
                "read_at": read_at,
            }
        return cleaned


class ReviewForm(BootstrapFormMixin, forms.Form):
    decision = forms.ChoiceField(
        choices=[
            (Visit.Status.REVIEWED, _("Reviewed")),
            (Visit.Status.RETURNED, _("Return for changes")),
        ]
    )
    review_note = forms.CharField(
        label=_("Review note"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
