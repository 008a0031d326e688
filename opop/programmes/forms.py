import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from opop.common.formatting import thousands
from opop.common.forms import BootstrapFormMixin
from opop.common.identifiers import parse_phone
from opop.programmes.models import Partner, PartnerAgreement, Pillar, Programme

# "250000", "250.000", "250,000" or "250 000": digits, optionally grouped by thousands.
_WHOLE = re.compile(r"^(\d+|\d{1,3}([.,\s]\d{3})+)$")


class WholeNumberField(forms.CharField):
    """A whole number of zero or more, as people type it (thousands separators allowed).

    Django's IntegerField reads "250.000" as 250; here it is 250000, and "1,5" or "-3" are
    refused with a message instead of being guessed at.
    """

    default_error_messages = {
        "invalid": _("Enter a whole number of zero or more, e.g. 250000 or 250.000."),
        "max_value": _("This number is too large."),
    }

    def __init__(self, *, max_value: int = 2_147_483_647, **kwargs):
        self.max_value = max_value
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric"}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        # Shown as "250.000", which is read back as 250000.
        if isinstance(value, int):
            return thousands(value)
        return "" if value is None else str(value)

    def to_python(self, value):
        text = super().to_python(value).strip()
        if not text:
            return None
        if not _WHOLE.match(text):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        number = int(re.sub(r"[.,\s]", "", text))
        if number > self.max_value:
            raise ValidationError(self.error_messages["max_value"], code="max_value")
        return number


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class InputModelForm(BootstrapFormMixin, forms.ModelForm):
    """A ModelForm that only reads what was typed. It leaves the instance alone, so the service
    can compare before with after for the audit row, and validates the model itself."""

    def _post_clean(self):
        pass


class ProgrammeForm(InputModelForm):
    class Meta:
        model = Programme
        fields = ["name", "legal_basis", "legal_basis_date"]
        widgets = {"legal_basis_date": DateInput()}


class ProgrammeYearForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    budget = WholeNumberField(
        label=_("budget (Rp)"),
        required=False,
        max_value=10**15,
        help_text=_("Whole Rupiah, e.g. 1.500.000.000."),
    )
    notes = forms.CharField(
        label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["year"].disabled = True


class IndicatorForm(BootstrapFormMixin, forms.Form):
    code = forms.SlugField(
        label=_("code"),
        max_length=40,
        help_text=_("Short, lower-case, e.g. santripreneur or agen-pos."),
    )
    name = forms.CharField(label=_("name"), max_length=120)
    pillar = forms.ChoiceField(
        label=_("pillar"),
        required=False,
        choices=[("", _("— not a pillar —")), *Pillar.choices],
        help_text=_("A pillar indicator is counted on the dashboard against its targets."),
    )
    unit = forms.CharField(label=_("unit"), max_length=40, required=False)
    overall_target = WholeNumberField(label=_("overall target"), required=False)


class TargetsForm(forms.Form):
    """Every indicator's name, overall target and target per year, in one form.

    Fields are named `name_<id>`, `overall_<id>` and `target_<id>_<year>`; a blank yearly
    target means none for that year.
    """

    def __init__(self, *args, indicators, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        self.years = years
        for ind in self.indicators:
            targets = {t.year: t.target for t in ind.targets.all()}
            self.fields[f"name_{ind.pk}"] = forms.CharField(
                label=_("name"), max_length=120, initial=ind.name
            )
            self.fields[f"overall_{ind.pk}"] = WholeNumberField(
                label=_("overall target"), required=False, initial=ind.overall_target
            )
            for year in years:
                self.fields[f"target_{ind.pk}_{year}"] = WholeNumberField(
                    label=str(year), required=False, initial=targets.get(year)
                )
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control form-control-sm"

    def rows(self):
        """For the template: per indicator its name, overall and yearly bound fields."""
        for ind in self.indicators:
            yield {
                "indicator": ind,
                "name": self[f"name_{ind.pk}"],
                "overall": self[f"overall_{ind.pk}"],
                "years": [self[f"target_{ind.pk}_{year}"] for year in self.years],
            }

    def changes(self) -> dict[int, dict]:
        data = self.cleaned_data
        return {
            ind.pk: {
                "name": data[f"name_{ind.pk}"],
                "overall_target": data[f"overall_{ind.pk}"],
                "targets": {year: data[f"target_{ind.pk}_{year}"] for year in self.years},
            }
            for ind in self.indicators
        }


class PartnerForm(InputModelForm):
    class Meta:
        model = Partner
        fields = ["name", "kind", "contact_name", "contact_email", "contact_phone", "contribution"]
        widgets = {"contribution": forms.Textarea(attrs={"rows": 3})}

    def clean_contact_phone(self):
        phone = self.cleaned_data["contact_phone"].strip()
        return parse_phone(phone) if phone else ""


class AgreementForm(InputModelForm):
    class Meta:
        model = PartnerAgreement
        fields = ["number", "title", "scope", "signed_on", "starts_on", "ends_on"]
        widgets = {
            "scope": forms.Textarea(attrs={"rows": 3}),
            "signed_on": DateInput(),
            "starts_on": DateInput(),
            "ends_on": DateInput(),
        }

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end date cannot be before the start date."))
        return data
