from django import forms
from django.utils.translation import gettext_lazy as _

from opop.common.forms import BootstrapFormMixin
from opop.coophealth import status as health
from opop.coophealth.models import CooperativeReport
from opop.coophealth.services import REPORT_FIELDS


class ReportForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = CooperativeReport
        fields = ("year", *REPORT_FIELDS)
        widgets = {"rat_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("members_total", "members_women", "year"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"
        for name in ("own_capital", "external_capital", "business_volume", "assets"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric", "min": 0, "step": 1})
        # A loss is negative: no numeric keypad without a minus sign on some phones.
        self.fields["surplus"].widget.attrs["step"] = 1


class ListFilterForm(forms.Form):
    regency = forms.ChoiceField(label=_("Kab/kota"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *health.LABELS.items()],
    )
    q = forms.CharField(label=_("Name"), required=False, max_length=100)

    def __init__(self, *args, regencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regency"].choices = [("", _("All kab/kota"))] + [
            (r.code, r.name) for r in regencies
        ]
        for field in self.fields.values():
            field.widget.attrs["class"] = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv", "class": "form-control"}),
    )
