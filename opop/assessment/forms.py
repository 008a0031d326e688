"""Forms of the staff pages of the assessment engine; the services validate the rules and save.

Every form only parses input: what a round, a stage or a panel may be is decided by
`opop.assessment.services`, whose refusals are shown on the form (`apply_service_errors`).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from opop.accounts.models import Role, User
from opop.assessment.models import Appeal, Criterion, Entry, Juror, Round, Stage
from opop.catalog.models import Product
from opop.common.forms import BootstrapFormMixin
from opop.intake.models import Application
from opop.programmes.models import Partner
from opop.registry.models import Pesantren
from opop.registry.selectors import pesantren_visible_to

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
GRADES = ("A", "B", "C")
SMALL_SELECT = {"class": "form-select form-select-sm"}


class _ServiceValidated:
    def _post_clean(self):
        """The service runs the model's full validation; the form checks only its fields."""


class RoundForm(_ServiceValidated, BootstrapFormMixin, forms.ModelForm):
    grade_a = forms.IntegerField(
        label=_("Grade A from (percent of the scale)"), min_value=0, max_value=100
    )
    grade_b = forms.IntegerField(
        label=_("Grade B from (percent of the scale)"), min_value=0, max_value=100
    )
    grade_c = forms.IntegerField(
        label=_("Grade C from (percent of the scale)"), min_value=0, max_value=100
    )

    class Meta:
        model = Round
        fields = [
            "name",
            "purpose",
            "year",
            "pillar",
            "description",
            "scale_min",
            "scale_max",
            "jurors_per_entry",
            "trim_from",
            "outlier_share",
            "validity_months",
            "appeal_days",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bands = {**Round._meta.get_field("grade_bands").get_default(), **self.instance.grade_bands}
        for grade in GRADES:
            self.fields[f"grade_{grade.lower()}"].initial = bands.get(grade)

    def clean(self):
        data = super().clean()
        a, b, c = (data.get(f"grade_{g.lower()}") for g in GRADES)
        if None not in (a, b, c) and not a > b >= c:
            self.add_error("grade_b", _("Grade bands must go down: A above B, B at least C."))
        return data

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["grade_bands"] = {g: self.cleaned_data[f"grade_{g.lower()}"] for g in GRADES}
        return data


class RoundFilterForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=2000,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
    )
    purpose = forms.ChoiceField(
        label=_("Purpose"),
        choices=[("", _("All purposes")), *Round.Purpose.choices],
        required=False,
        widget=forms.Select(attrs=SMALL_SELECT),
    )

    def apply(self, rows):
        if not self.is_valid():
            return rows
        if self.cleaned_data.get("year"):
            rows = rows.filter(year=self.cleaned_data["year"])
        if self.cleaned_data.get("purpose"):
            rows = rows.filter(purpose=self.cleaned_data["purpose"])
        return rows

    @property
    def is_filtered(self) -> bool:
        return any(self.data.get(name) for name in ("year", "purpose"))


class CriterionForm(_ServiceValidated, BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["name", "weight", "position", "guidance"]
        widgets = {"guidance": forms.Textarea(attrs={"rows": 2})}


class StageForm(_ServiceValidated, BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Stage
        fields = ["name", "kind", "position", "cutoff_score", "quota", "scoring_closes_on"]
        widgets = {"scoring_closes_on": DATE}


def stage_data(stage: Stage, **changes) -> dict:
    """Everything `stage_save` edits, as it stands, with some values changed."""
    data = {name: getattr(stage, name) for name in StageForm.Meta.fields}
    return {**data, **changes}


class CutoffForm(BootstrapFormMixin, forms.Form):
    cutoff_score = Stage._meta.get_field("cutoff_score").formfield()
    quota = Stage._meta.get_field("quota").formfield()


class JurorForm(BootstrapFormMixin, forms.Form):
    user = forms.ModelChoiceField(label=_("Juror"), queryset=User.objects.none())
    group = forms.ChoiceField(label=_("Penta Helix group"), choices=Partner.Kind.choices)
    partner = forms.ModelChoiceField(
        label=_("Partner organisation"), queryset=Partner.objects.none(), required=False
    )
    is_chair = forms.BooleanField(label=_("Chair of the panel"), required=False)
    affiliation_ids = forms.ModelMultipleChoiceField(
        label=_("Affiliated pesantren"),
        queryset=Pesantren.objects.none(),
        required=False,
        help_text=_(
            "Pesantren the juror taught at, studied at or has family in: "
            "their entries are never assigned to this juror."
        ),
        widget=forms.SelectMultiple(attrs={"size": 8, "data-filterable": "1"}),
    )

    def __init__(self, *args, access, juror=None, **kwargs):
        if juror is not None:
            # Also the value of the disabled `user` field of a bound form.
            kwargs["initial"] = {
                "user": juror.user_id,
                "group": juror.group,
                "partner": juror.partner_id,
                "is_chair": juror.is_chair,
                "affiliation_ids": [p.pk for p in juror.affiliations.all()],
            }
        super().__init__(*args, **kwargs)
        programme = access.programme
        self.fields["user"].queryset = (
            User.objects.filter(
                memberships__programme=programme,
                memberships__role=Role.JUROR,
                memberships__is_active=True,
                is_active=True,
            )
            .distinct()
            .order_by("full_name", "email")
        )
        self.fields["user"].label_from_instance = lambda u: f"{u.full_name} ({u.email})"
        if juror is not None:
            self.fields["user"].disabled = True
            self.fields["user"].queryset = User.objects.filter(pk=juror.user_id)
        self.fields["partner"].queryset = Partner.objects.filter(programme=programme).order_by(
            "name"
        )
        self.fields["affiliation_ids"].queryset = pesantren_visible_to(access).order_by("name")


class EntryAddForm(forms.Form):
    """Products (or applications) to put into a stage. The page lists at most a screenful of
    candidates matching `q`; validation accepts any of the programme's."""

    products = forms.ModelMultipleChoiceField(queryset=Product.objects.none(), required=False)
    applications = forms.ModelMultipleChoiceField(
        queryset=Application.objects.none(), required=False
    )

    def __init__(self, *args, products, applications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["products"].queryset = products
        self.fields["applications"].queryset = applications

    def clean(self):
        data = super().clean()
        if not data.get("products") and not data.get("applications"):
            raise forms.ValidationError(_("Pick at least one product or application."))
        return data


class AssignmentForm(BootstrapFormMixin, forms.Form):
    entry = forms.ModelChoiceField(label=_("Entry"), queryset=Entry.objects.none())
    juror = forms.ModelChoiceField(label=_("Juror"), queryset=Juror.objects.none())

    def __init__(self, *args, stage, entries=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = entries if entries is not None else stage.entries.all()
        self.fields["juror"].queryset = (
            stage.round.jurors.filter(is_active=True)
            .select_related("user")
            .order_by("user__full_name")
        )
        self.fields["juror"].label_from_instance = lambda j: f"{j.user} · {j.get_group_display()}"


class ReopenForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why the juror should look again"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AppealDecisionForm(BootstrapFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Appeal.Decision.UPHELD, _("Uphold")),
            (Appeal.Decision.DISMISSED, _("Dismiss")),
        ],
        widget=forms.RadioSelect,
    )
    outcome = forms.ChoiceField(
        label=_("New outcome (when upheld)"),
        choices=[
            ("", _("Keep the outcome")),
            (Entry.Outcome.PASSED, Entry.Outcome.PASSED.label),
            (Entry.Outcome.NOT_PASSED, Entry.Outcome.NOT_PASSED.label),
        ],
        required=False,
    )
    note = forms.CharField(
        label=_("Explanation for the applicant"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == Appeal.Decision.DISMISSED:
            data["outcome"] = ""
        return data
