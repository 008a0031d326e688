from __future__ import annotations

from django import forms
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

from opop.common.forms import BootstrapFormMixin
from opop.milestones.models import Level
from opop.milestones.targeting import checklist_codes
from opop.programmes.models import Partner
from opop.regions.models import Region
from opop.training.models import Session, SurveyAnswer, Training


class TrainingForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Training
        fields = ["kind", "name", "year", "partner", "organiser_name", "description"]

    def __init__(self, *args, programme, partner_chooses=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.filter(programme=programme)
        if not partner_chooses:  # a partner's trainings are their own
            self.fields.pop("partner")


def _level_field(label):
    return forms.TypedChoiceField(
        label=capfirst(label),
        choices=[("", _("any"))]
        + [(value, format_lazy("{} · {}", value, name)) for value, name in Level.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )


class SessionForm(BootstrapFormMixin, forms.ModelForm):
    online_link = forms.URLField(label=_("online link"), required=False, assume_scheme="https")
    target_level_min = _level_field(_("lowest pesantren level"))
    target_level_max = _level_field(_("highest pesantren level"))

    class Meta:
        model = Session
        fields = [
            "training",
            "title",
            "starts_at",
            "ends_at",
            "place",
            "online_link",
            "regency",
            "capacity",
            "uses_tests",
            "status",
            "target_pillar",
            "target_regency",
            "target_level_min",
            "target_level_max",
            "need_tags",
            "survey_after_months",
        ]
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "ends_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }

    def __init__(self, *args, access, trainings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["training"].queryset = trainings
        regencies = Region.objects.filter(
            level=Region.Level.REGENCY, parent_id=access.programme.province_id
        ).order_by("name")
        if access.regency_code:  # an officer holds sessions in their own kab/kota only
            regencies = regencies.filter(code=access.regency_code)
            self.fields["regency"].required = True
        self.fields["regency"].queryset = regencies
        self.fields["target_regency"].queryset = regencies
        if self.instance.pk is None:
            self.fields.pop("status")
        codes = checklist_codes(access.programme_id)
        if codes:
            self.fields["need_tags"].help_text = _(
                "Comma-separated. A need is a checklist item due and not yet verified (%(codes)s, "
                "or an aspect), or a word of an assessment criterion the pesantren scored low on."
            ) % {"codes": ", ".join(codes)}


class ScoreField(forms.IntegerField):
    def __init__(self, **kwargs):
        super().__init__(min_value=0, max_value=100, required=False, **kwargs)


class SurveyForm(BootstrapFormMixin, forms.Form):
    applied_skill = forms.TypedChoiceField(
        label=_("Have you applied what you learnt?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    revenue_change = forms.ChoiceField(
        label=_("How has your business revenue changed since the training?"),
        choices=SurveyAnswer.Revenue.choices,
        widget=forms.RadioSelect,
    )
    comments = forms.CharField(
        label=_("Comments"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RevokeForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=255)


class CheckInForm(BootstrapFormMixin, forms.Form):
    code = forms.CharField(label=_("Check-in code"), max_length=40)
