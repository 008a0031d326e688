from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opop.catalog.models import Certification
from opop.certtracker import rules
from opop.common.forms import BootstrapFormMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TrackStartForm(BootstrapFormMixin, forms.Form):
    product = forms.ModelChoiceField(label=_("Product"), queryset=None)
    kind = forms.ChoiceField(label=_("Certification"), choices=Certification.Kind.choices)
    on = forms.DateField(label=_("Planned on"), widget=DATE, initial=timezone.localdate)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products.select_related("enterprise").order_by(
            "name", "id"
        )


class TrackMoveForm(BootstrapFormMixin, forms.Form):
    to_status = forms.ChoiceField(label=_("Move to"))
    on = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    authority_reference = forms.CharField(
        label=_("Authority's reference"), max_length=80, required=False
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    number = forms.CharField(
        label=_("Certificate number"),
        max_length=60,
        required=False,
        help_text=_("Only when issued."),
    )
    issued_on = forms.DateField(label=_("Issued on"), widget=DATE, required=False)
    expires_on = forms.DateField(label=_("Valid until"), widget=DATE, required=False)

    def __init__(self, *args, status: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [
            (target, rules.SHOWN_LABELS[target]) for target in rules.MOVES.get(status, ())
        ]
        self.issues = "issued" in rules.MOVES.get(status, ())
        if not self.issues:
            for name in ("number", "issued_on", "expires_on"):
                del self.fields[name]


class TrackFilterForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Certification"),
        required=False,
        choices=[("", _("All"))] + Certification.Kind.choices,
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + rules.SHOWN_STATUSES
    )
    regency = forms.ChoiceField(label=_("Kabupaten/kota"), required=False)

    def __init__(self, *args, regencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regency"].choices = [("", _("All"))] + [(r.code, r.name) for r in regencies]

    def values(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {"kind": data["kind"], "shown": data["status"], "regency": data["regency"]}


YES_NO = [("", _("Not sure")), ("yes", _("Yes")), ("no", _("No"))]


def _yes_no(label, help_text=""):
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        required=False,
        coerce=lambda value: value == "yes",
        empty_value=None,
        widget=forms.RadioSelect,
        help_text=help_text,
    )


class EligibilityForm(BootstrapFormMixin, forms.Form):
    enterprise = forms.ModelChoiceField(
        label=_("Business"),
        queryset=None,
        required=False,
        help_text=_("What the registry knows about it (NIB, sales) is used."),
    )
    small_business = _yes_no(
        _("Are the business's yearly sales at most Rp15 billion (micro or small)?"),
        _("Asked only when the registry has no sales figure."),
    )
    simple_process = _yes_no(
        _("Is the production process simple (no special technology or treatment)?")
    )
    low_risk_ingredients = _yes_no(_("Are all ingredients low-risk or already certified halal?"))
    slaughtering = _yes_no(_("Does making the product involve slaughtering animals?"))

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises.order_by("name", "id")
