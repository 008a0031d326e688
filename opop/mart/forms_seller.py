"""Forms of the seller's pages, reviews and the programme figures."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opop.common.forms import BootstrapFormMixin
from opop.mart.models import Order, Review


class StockForm(BootstrapFormMixin, forms.Form):
    on_hand = forms.IntegerField(label=_("In stock"), min_value=0, max_value=10_000_000)


class OrderStatusFilter(BootstrapFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + Order.Status.choices
    )


class OrderStepForm(forms.Form):
    action = forms.ChoiceField(
        choices=[(a, a) for a in ("pack", "ship", "handover", "complete", "cancel")]
    )
    note = forms.CharField(label=_("Reason"), required=False, max_length=255)


class DateRangeForm(BootstrapFormMixin, forms.Form):
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, data=None, **kwargs):
        # The query string uses ?from=&to=; a form field cannot be called "from".
        if data is not None:
            data = {"date_from": data.get("from", ""), "date_to": data.get("to", "")}
        super().__init__(data, **kwargs)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return cleaned


def parse_period(value: str | None) -> dt.date:
    """`YYYY-MM` → the first day of that month; this month when missing or malformed."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return dt.date(year, month, 1)
    except ValueError:
        return timezone.localdate().replace(day=1)


class ReviewForm(BootstrapFormMixin, forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        coerce=int,
        choices=[(n, "★" * n) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("Your review"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReplyForm(BootstrapFormMixin, forms.Form):
    reply = forms.CharField(
        label=_("Your reply"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ModerateForm(BootstrapFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Review.Status.choices)
    moderation_note = forms.CharField(label=_("Note"), required=False, max_length=255)


class FiguresFilter(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2019, max_value=2100)

    def year_or_current(self) -> int:
        if self.is_valid() and self.cleaned_data.get("year"):
            return self.cleaned_data["year"]
        return timezone.localdate().year
