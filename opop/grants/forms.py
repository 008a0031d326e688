from __future__ import annotations

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opop.common.forms import BootstrapFormMixin
from opop.common.uploads import ACCEPT
from opop.grants.models import GrantScheme, LoanApplication
from opop.grants.services import CHECKLIST, VERIFY_DECISIONS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # what <input type=date> reads
MONEY = {"min_value": 1, "max_value": 10**13}


def _file_field(label):
    return forms.FileField(label=label, widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))


class SchemeForm(BootstrapFormMixin, forms.ModelForm):
    tranche_percentages = forms.CharField(
        label=_("Tranches (%)"),
        help_text=_("Percent of the agreed amount per tranche, in order, e.g. 70, 30."),
    )

    class Meta:
        model = GrantScheme
        fields = [
            "year",
            "name",
            "amount_per_cooperative",
            "total_budget",
            "tranche_percentages",
            "lpj_before_next_tranche",
            "opens_on",
            "closes_on",
        ]
        widgets = {"opens_on": DATE, "closes_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["tranche_percentages"] = ", ".join(
                str(p) for p in self.instance.tranche_percentages
            )

    def clean_tranche_percentages(self):
        raw = self.cleaned_data["tranche_percentages"]
        parts = [p.strip().rstrip("%") for p in raw.replace(";", ",").split(",") if p.strip()]
        if not all(p.isdigit() for p in parts):
            raise forms.ValidationError(_("Give whole percentages separated by commas."))
        return [int(p) for p in parts]


class ProposalForm(BootstrapFormMixin, forms.Form):
    plan = forms.CharField(
        label=_("Plan"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the cooperative will do with the grant, and what it expects."),
    )
    amount_requested = forms.IntegerField(label=_("Amount asked (Rp)"), **MONEY)


class BudgetLineForm(BootstrapFormMixin, forms.Form):
    description = forms.CharField(label=_("Item"), max_length=200, required=False)
    amount = forms.IntegerField(label=_("Amount (Rp)"), required=False, **MONEY)


BudgetLineFormSet = forms.formset_factory(BudgetLineForm, extra=0, max_num=40)


class AttachmentForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("What it is"), max_length=200)
    file = _file_field(_("File (PDF, JPEG or PNG, at most 5 MB)"))


class VerifyForm(BootstrapFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(d.value, d.label) for d in VERIFY_DECISIONS],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note to the manager"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in CHECKLIST.items():
            self.fields[f"ok_{key}"] = forms.BooleanField(label=label, required=False)
            self.fields[f"ok_{key}"].widget.attrs["class"] = "form-check-input"

    def checklist(self) -> dict:
        return {key: {"ok": self.cleaned_data.get(f"ok_{key}")} for key in CHECKLIST}


class AgreementForm(BootstrapFormMixin, forms.Form):
    nphd_number = forms.CharField(label=_("NPHD number"), max_length=100)
    nphd_date = forms.DateField(label=_("Signed on"), widget=DATE)
    document = _file_field(_("Signed agreement (PDF, JPEG or PNG)"))


def new_client_key() -> str:
    return uuid.uuid4().hex


class DisburseForm(BootstrapFormMixin, forms.Form):
    amount = forms.IntegerField(label=_("Amount (Rp)"), **MONEY)
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE)
    transfer_reference = forms.CharField(label=_("Bank transfer reference"), max_length=100)
    # A fresh key per rendered form: resending the same form pays nothing twice.
    client_key = forms.CharField(widget=forms.HiddenInput, max_length=64)


class ReportForm(BootstrapFormMixin, forms.Form):
    summary = forms.CharField(
        label=_("What was done with this tranche"), widget=forms.Textarea(attrs={"rows": 4})
    )


class ReceiptForm(BootstrapFormMixin, forms.Form):
    spent_on = forms.DateField(label=_("Date"), widget=DATE)
    description = forms.CharField(label=_("Description"), max_length=200)
    amount = forms.IntegerField(label=_("Amount (Rp)"), **MONEY)
    file = _file_field(_("Receipt (PDF, JPEG or PNG)"))


class ReportDecisionForm(BootstrapFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("return", _("Return for fixing"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note to the manager"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class CloseForm(BootstrapFormMixin, forms.Form):
    remaining_returned = forms.BooleanField(label=_("Unspent funds were returned"), required=False)
    returned_amount = forms.IntegerField(
        label=_("Amount returned (Rp)"), min_value=0, required=False, initial=0
    )
    note = forms.CharField(
        label=_("Closure note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class LoanForm(BootstrapFormMixin, forms.Form):
    cooperative = forms.ModelChoiceField(label=_("Cooperative"), queryset=None)
    bank_name = forms.CharField(label=_("Partner bank"), max_length=120)
    product = forms.CharField(
        label=_("Product"), max_length=120, initial="KUR Syariah", help_text=_("e.g. KUR Syariah")
    )
    amount = forms.IntegerField(label=_("Amount (Rp)"), **MONEY)
    submitted_on = forms.DateField(label=_("Submitted on"), widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args, cooperatives, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cooperative"].queryset = cooperatives
        self.initial.setdefault("submitted_on", timezone.localdate())


class LoanMoveForm(BootstrapFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[
            (s.value, s.label)
            for s in LoanApplication.Status
            if s != LoanApplication.Status.SUBMITTED
        ],
    )
    on = forms.DateField(label=_("On"), widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)
