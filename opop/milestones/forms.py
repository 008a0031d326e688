from django import forms
from django.utils.translation import gettext_lazy as _

from opop.common.forms import BootstrapFormMixin
from opop.common.uploads import ACCEPT
from opop.milestones.models import MilestoneItem
from opop.milestones.services import ITEM_FIELDS, TEXT_MAX


class ClaimForm(BootstrapFormMixin, forms.Form):
    evidence = forms.FileField(
        label=_("Evidence (PDF, JPEG or PNG)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DecisionForm(BootstrapFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("verify", _("Verify")), ("reject", _("Reject"))]
    )
    reason = forms.CharField(
        label=_("Reason (for a rejection)"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ItemForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = MilestoneItem
        fields = list(ITEM_FIELDS)
        widgets = {"guidance": forms.Textarea(attrs={"rows": 3})}
