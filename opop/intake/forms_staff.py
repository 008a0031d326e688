"""Forms of the staff's intake pages: queue filters, the decision with its checklist, cohorts
and quotas. The services validate in full and save."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from opop.common.forms import BootstrapFormMixin
from opop.intake.models import Application, Cohort, DocumentKind
from opop.intake.services.verification import (
    DECISIONS,
    NOTE_MAX,
    checklist_label,
    field_groups_for,
)
from opop.programmes.forms import WholeNumberField

SMALL = "form-control form-control-sm"
SMALL_SELECT = "form-select form-select-sm"


class QueueFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Reference or name"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "class": SMALL}),
    )
    cohort = forms.ModelChoiceField(
        label=_("Cohort"),
        queryset=Cohort.objects.none(),
        required=False,
        empty_label=_("All cohorts"),
        widget=forms.Select(attrs={"class": SMALL_SELECT}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        widget=forms.Select(attrs={"class": SMALL_SELECT}),
    )
    regency = forms.ModelChoiceField(
        label=_("Kab/kota"),
        queryset=None,
        required=False,
        empty_label=_("All kab/kota"),
        widget=forms.Select(attrs={"class": SMALL_SELECT}),
    )

    ALL = "all"

    def __init__(self, *args, cohorts, regencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts
        statuses = [(s, label) for s, label in Application.Status.choices if s != "draft"]
        self.fields["status"].choices = [
            ("", _("Waiting for verification")),
            (self.ALL, _("All statuses")),
            *[(s, label) for s, label in statuses if s != Application.Status.SUBMITTED],
        ]
        if regencies is None:
            del self.fields["regency"]
        else:
            self.fields["regency"].queryset = regencies

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        status = data.get("status") or Application.Status.SUBMITTED
        return {
            "q": data.get("q", ""),
            "cohort": data.get("cohort"),
            "status": None if status == self.ALL else status,
            "regency": data.get("regency"),
        }


CHECK_CHOICES = [("", _("Not checked")), ("ok", _("OK")), ("not_ok", _("Not OK"))]


class DecisionForm(forms.Form):
    """The decision, reasons, and an OK / not OK tick with a note per document and field group.

    Checklist fields are named `check_<key>` and `note_<key>`; `items()` pairs them up.
    """

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(d.value, d.label) for d in DECISIONS],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    reasons = forms.CharField(
        label=_("Reasons (required to ask for a fix or to reject)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
    )

    def __init__(self, *args, keys: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.keys = keys
        for key in keys:
            self.fields[f"check_{key}"] = forms.ChoiceField(
                label=checklist_label(key),
                choices=CHECK_CHOICES,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )
            self.fields[f"note_{key}"] = forms.CharField(
                label=_("Note"),
                required=False,
                max_length=NOTE_MAX,
                widget=forms.TextInput(attrs={"class": SMALL}),
            )

    def items(self):
        for key in self.keys:
            yield {"key": key, "check": self[f"check_{key}"], "note": self[f"note_{key}"]}

    def checklist(self) -> dict:
        data = self.cleaned_data
        return {
            key: {"ok": data[f"check_{key}"] == "ok", "note": data[f"note_{key}"]}
            for key in self.keys
            if data.get(f"check_{key}")
        }


def checklist_keys(application: Application, uploaded_kinds: list[str]) -> list[str]:
    """What the verifier ticks: every uploaded or required document, then the field groups."""
    required = application.cohort.required_documents or []
    kinds = [k for k in DocumentKind.values if k in uploaded_kinds or k in required]
    return kinds + field_groups_for(application)


class CohortForm(BootstrapFormMixin, forms.ModelForm):
    required_documents = forms.MultipleChoiceField(
        label=_("Required documents"),
        choices=DocumentKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Cohort
        fields = [
            "year",
            "pillar",
            "name",
            "status",
            "opens_on",
            "closes_on",
            "total_quota",
            "require_nspp",
            "exclude_earlier_cohorts",
            "min_age",
            "max_age",
            "required_documents",
            "notes",
        ]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def _post_clean(self):
        """The service runs the model's full validation; the form checks only its fields."""


class QuotaForm(forms.Form):
    """A number box per kab/kota of the province (`quota_<code>`); blank means no quota."""

    def __init__(self, *args, regencies, quotas: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.regencies = list(regencies)
        for region in self.regencies:
            self.fields[f"quota_{region.code}"] = WholeNumberField(
                label=region.name,
                required=False,
                initial=quotas.get(region.code),
                max_value=1_000_000,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "class": SMALL}),
            )

    def rows(self):
        for region in self.regencies:
            yield {"region": region, "field": self[f"quota_{region.code}"]}

    def quotas(self) -> dict[str, int | None]:
        return {r.code: self.cleaned_data.get(f"quota_{r.code}") for r in self.regencies}


class AcceptForm(forms.Form):
    """Which complete files to accept: one (`one`), the ticked ones, or in order (`in_order`)."""

    selected = forms.ModelMultipleChoiceField(queryset=Application.objects.none(), required=False)
    one = forms.ModelChoiceField(queryset=Application.objects.none(), required=False)
    in_order = forms.BooleanField(required=False)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["selected"].queryset = candidates
        self.fields["one"].queryset = candidates

    def clean(self):
        data = super().clean()
        if not (data.get("in_order") or data.get("one") or data.get("selected")):
            raise forms.ValidationError(_("Choose the files to accept."))
        return data
