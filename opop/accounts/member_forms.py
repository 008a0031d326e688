"""Forms for programme admins granting roles. Scope fields depend on the role chosen."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from opop.accounts.models import Role
from opop.common.forms import BootstrapFormMixin
from opop.programmes.models import Partner
from opop.regions.selectors import regencies_of
from opop.registry.models import Person, Pesantren

_SPLIT = re.compile(r"[\s,;]+")


def _find_pesantren(programme, token: str) -> Pesantren | None:
    """A pesantren by its 12-digit NSPP or by its record number, within the programme."""
    qs = Pesantren.objects.filter(programme=programme)
    if len(token) == 12 and token.isdigit():
        return qs.filter(nspp=token).first()
    return qs.filter(pk=int(token)).first() if token.isdigit() else None


class MemberScopeForm(BootstrapFormMixin, forms.Form):
    regency = forms.ModelChoiceField(
        label=_("Kabupaten/kota (regional officer)"), queryset=None, required=False
    )
    pesantren = forms.CharField(
        label=_("Pesantren (cooperative manager)"),
        required=False,
        help_text=_("NSPP (12 digits) or the pesantren's record number."),
    )
    assigned = forms.CharField(
        label=_("Assigned pesantren (facilitator)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("NSPP or record numbers, separated by commas or spaces."),
    )
    person = forms.IntegerField(
        label=_("Person record number (participant)"), required=False, min_value=1
    )
    partner = forms.ModelChoiceField(label=_("Partner"), queryset=None, required=False)

    def __init__(self, *args, programme, role=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.role = role
        self.fields["regency"].queryset = regencies_of(programme.province_id)
        self.fields["partner"].queryset = Partner.objects.filter(programme=programme)

    def clean_pesantren(self):
        token = self.cleaned_data["pesantren"].strip()
        if not token:
            return None
        found = _find_pesantren(self.programme, token)
        if not found:
            raise forms.ValidationError(_("No pesantren %(v)s in this programme.") % {"v": token})
        return found

    def clean_assigned(self):
        tokens = [t for t in _SPLIT.split(self.cleaned_data["assigned"].strip()) if t]
        found, missing = [], []
        for token in tokens:
            pesantren = _find_pesantren(self.programme, token)
            (found.append(pesantren) if pesantren else missing.append(token))
        if missing:
            raise forms.ValidationError(
                _("Not found in this programme: %(list)s.") % {"list": ", ".join(missing)}
            )
        return found

    def clean_person(self):
        pk = self.cleaned_data["person"]
        if not pk:
            return None
        person = Person.objects.filter(programme=self.programme, pk=pk).first()
        if not person:
            raise forms.ValidationError(_("No person with this record number in this programme."))
        return person

    def scope(self) -> dict:
        data = self.cleaned_data
        role = self.role or data.get("role")
        return {
            "regency": data.get("regency") if role == Role.OFFICER else None,
            "pesantren": data.get("pesantren") if role == Role.MANAGER else None,
            "person": data.get("person") if role == Role.PARTICIPANT else None,
            "partner": data.get("partner") if role == Role.PARTNER else None,
        }


class MemberGrantForm(MemberScopeForm):
    email = forms.EmailField(label=_("E-mail"))
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    field_order = ["email", "full_name", "role"]


class MemberEditForm(MemberScopeForm):
    is_active = forms.BooleanField(label=_("Active"), required=False)
