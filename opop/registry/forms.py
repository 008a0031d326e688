"""Forms for the registry pages. They parse and check what a person typed; the `*_save`
services do the writing (and validate the model again), so a form never saves an instance.

Identifiers are normalised here with `opop.common.identifiers` (NSPP 12 digits, NIB 13, NPWP
stored as 16, phone as E.164) so that the error sits at the field that caused it.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opop.accounts.models import Role
from opop.common import pii
from opop.common.identifiers import parse_nib, parse_nik, parse_npwp, parse_nspp, parse_phone
from opop.programmes.models import Pillar
from opop.regions.models import Region
from opop.registry import rules, selectors
from opop.registry.models import Cooperative, Enterprise, Participation, Person, Pesantren
from opop.registry.pickers import RecordPicker

# Roles whose scope is a set of pesantren: what they create must name one of them.
PESANTREN_SCOPED = {Role.FACILITATOR, Role.MANAGER}


CHOOSE = _("— choose —")


def _bootstrap(field: forms.Field) -> None:
    if isinstance(field, forms.ModelChoiceField):
        field.empty_label = CHOOSE
    elif isinstance(field, forms.ChoiceField) and field.choices and field.choices[0][0] == "":
        field.choices = [("", CHOOSE), *field.choices[1:]]
    widget = field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


def identifier_field(label, help_text: str = "", *, required: bool = False) -> forms.CharField:
    """A digits field that accepts dots, dashes and spaces; `clean_<name>` normalises it."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=30,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class RegistryForm(forms.ModelForm):
    """A ModelForm used only for its fields: `_post_clean` does not touch `self.instance`, so
    the service can still snapshot the record as it was before the change (for the audit)."""

    def __init__(self, data=None, *, access, instance=None, initial=None):
        super().__init__(data, instance=instance, initial=initial)
        self.access = access
        self.is_new = instance is None
        self.setup()
        for field in self.fields.values():
            _bootstrap(field)

    def setup(self) -> None:
        """Limit choices to the user's scope; subclasses override."""

    def _post_clean(self):
        pass

    def limit(self, name: str, queryset: QuerySet, *, required: bool = False) -> None:
        """Offer only records in scope. A role that may choose none keeps the stored value."""
        if not queryset.exists():
            del self.fields[name]
            return
        self.fields[name].queryset = queryset
        self.fields[name].required = required

    def service_data(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in self._meta.fields
            if name in self.fields and name in self.cleaned_data
        }

    def service_kwargs(self) -> dict:
        return {"data": self.service_data()}

    def add_service_error(self, exc: ValidationError) -> None:
        """Put a service's error at the field it names, or above the form."""
        errors = exc.error_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc}
        for name, error in errors.items():
            self.add_error(name if name in self.fields else None, error)

    def mark_invalid(self) -> None:
        """Give Bootstrap's red border to the widgets of fields with errors."""
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()

    def clean_phone(self):
        value = self.cleaned_data.get("phone", "").strip()
        return parse_phone(value) if value else ""


class RegionPickerMixin:
    """Kab/kota select limited to the programme's province (an officer's own only) and a
    kecamatan select that HTMX refreshes from `/regions/options/?parent=<code>` on change.
    Rendered by `registry/_region_picker.html`."""

    def setup_regions(self, *, required: bool = True) -> None:
        regency = self.fields["regency"]
        regency.queryset = selectors.regencies_for_filter(self.access)
        regency.required = required
        if len(regency.queryset) == 1 and not self.initial.get("regency"):
            self.initial["regency"] = regency.queryset[0].code
        if "district" not in self.fields:
            return
        district = self.fields["district"]
        regency.widget.attrs.update(
            {
                "hx-get": reverse("regions:options"),
                "hx-trigger": "change",
                "hx-target": f"#{self['district'].auto_id}",
                "hx-swap": "innerHTML",
                "hx-vals": "js:{parent: this.value}",
            }
        )
        chosen = self._chosen_regency()
        district.queryset = (
            Region.objects.filter(parent_id=chosen) if chosen else Region.objects.none()
        )

    def _chosen_regency(self) -> str:
        if self.is_bound:
            return self.data.get(self.add_prefix("regency"), "")
        return self.initial.get("regency") or ""


# --- Pesantren -------------------------------------------------------------------------------


class PesantrenForm(RegionPickerMixin, RegistryForm):
    nspp = identifier_field(_("NSPP"), _("12 digits."))

    class Meta:
        model = Pesantren
        fields = [
            "name",
            "nspp",
            "kind",
            "regency",
            "district",
            "address",
            "leader_name",
            "phone",
            "email",
            "founded_year",
            "santri_count",
            "status",
        ]

    def setup(self):
        self.setup_regions()

    def clean_nspp(self):
        value = self.cleaned_data.get("nspp", "").strip()
        return parse_nspp(value) if value else ""

    def clean_founded_year(self):
        year = self.cleaned_data.get("founded_year")
        if year and not 1500 <= year <= timezone.localdate().year:
            raise ValidationError(_("Give the year the pesantren was founded, e.g. 1985."))
        return year


# --- Cooperative -----------------------------------------------------------------------------


class CooperativeForm(RegistryForm):
    nib = identifier_field(_("NIB"), _("13 digits, from OSS."))
    npwp = identifier_field(_("NPWP"), _("15 or 16 digits."))

    class Meta:
        model = Cooperative
        fields = [
            "pesantren",
            "name",
            "legal_status",
            "legal_number",
            "legal_date",
            "nik_koperasi",
            "nib",
            "npwp",
            "chair_name",
            "members_count",
            "status",
        ]
        widgets = {
            "pesantren": RecordPicker("pesantren"),
            "legal_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def setup(self):
        # always shown and required: a cooperative belongs to a pesantren in the user's scope
        self.fields["pesantren"].queryset = selectors.pesantren_editable_by(self.access).only(
            "id", "name"
        )

    def clean_nib(self):
        value = self.cleaned_data.get("nib", "").strip()
        return parse_nib(value) if value else ""

    def clean_npwp(self):
        value = self.cleaned_data.get("npwp", "").strip()
        return parse_npwp(value) if value else ""


# --- Person ----------------------------------------------------------------------------------


class PersonForm(RegionPickerMixin, RegistryForm):
    nik = identifier_field(_("NIK"), _("16 digits, as on the KTP or family card (KK)."))
    consent = forms.BooleanField(
        label=_("The person agreed to their data being processed for this purpose"),
        required=True,
    )
    guardian_consent = forms.BooleanField(
        label=_("The guardian agreed (needed when the person is under 18)"), required=False
    )
    # NIK beside the name; each consent box right after what it consents to
    FIELD_ORDER = [
        "full_name",
        "nik",
        "gender",
        "birth_date",
        "birth_place",
        "phone",
        "email",
        "address",
        "regency",
        "district",
        "pesantren",
        "affiliation",
        "consent_purpose",
        "consent",
        "guardian_name",
        "guardian_relation",
        "guardian_consent",
    ]

    class Meta:
        model = Person
        fields = [
            "full_name",
            "gender",
            "birth_date",
            "birth_place",
            "phone",
            "email",
            "address",
            "regency",
            "district",
            "pesantren",
            "affiliation",
            "consent_purpose",
            "guardian_name",
            "guardian_relation",
        ]
        widgets = {
            "pesantren": RecordPicker("pesantren"),
            "birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "placeholder": "0812-3456-7890"}),
        }

    def setup(self):
        self.setup_regions()
        self.order_fields(self.FIELD_ORDER)
        self.fields["gender"].help_text = _("Leave empty to take it from the NIK.")
        self.fields["birth_date"].help_text = _("Leave empty to take it from the NIK.")
        self.fields["consent_purpose"].required = True
        if self.is_new:
            self.fields["nik"].required = True
            self.initial.setdefault("consent_purpose", _("Taking part in the OPOP programme"))
        else:
            self.fields["nik"].help_text = _(
                "Stored: %(masked)s. Leave empty to keep it; type a new one to correct it."
            ) % {"masked": self.instance.nik_masked or "—"}
            self.initial["consent"] = bool(self.instance.consent_at)
            self.initial["guardian_consent"] = bool(self.instance.guardian_consent_at)
        if self.access.role == Role.PARTICIPANT:
            del self.fields["pesantren"]  # a participant cannot move themselves
        else:
            self.limit(
                "pesantren",
                selectors.pesantren_editable_by(self.access).only("id", "name"),
                required=self.access.role in PESANTREN_SCOPED,
            )

    def typed_nik(self) -> str | None:
        return (self.cleaned_data.get("nik") or "").strip() or None

    def service_kwargs(self) -> dict:
        return {"data": self.service_data(), "nik": self.typed_nik()}

    def clean(self):
        cleaned = super().clean()
        nik = self.typed_nik()
        if not nik and self.instance.nik_cipher:
            nik = pii.decrypt(self.instance.nik_cipher)  # only to check; never shown
        if not nik or self.has_error("nik"):
            return cleaned
        try:
            info = rules.nik_checked(
                nik, gender=cleaned.get("gender") or "", birth_date=cleaned.get("birth_date")
            )
        except ValidationError as exc:
            self.add_service_error(exc)
            return cleaned
        cleaned["gender"] = cleaned.get("gender") or info.gender
        cleaned["birth_date"] = cleaned.get("birth_date") or info.birth_date
        return cleaned

    def service_data(self) -> dict:
        data = super().service_data()
        data["consent_at"] = _consent_time(
            self.instance.consent_at, self.cleaned_data.get("consent")
        )
        data["guardian_consent_at"] = _consent_time(
            self.instance.guardian_consent_at, self.cleaned_data.get("guardian_consent")
        )
        return data


def _consent_time(stored: dt.datetime | None, given: bool) -> dt.datetime | None:
    """When consent was given: kept from before if still ticked, now if newly ticked."""
    if not given:
        return None
    return stored or timezone.now()


# --- Enterprise ------------------------------------------------------------------------------


class EnterpriseForm(RegionPickerMixin, RegistryForm):
    owner_nik = identifier_field(
        _("Owner's NIK"), _("To link the business to a person in the register.")
    )
    nib = identifier_field(_("NIB"), _("13 digits, from OSS."))

    class Meta:
        model = Enterprise
        fields = [
            "name",
            "sector",
            "description",
            "owner",
            "pesantren",
            "cooperative",
            "nib",
            "regency",
            "started_year",
            "employees",
            "monthly_revenue",
            "status",
        ]
        widgets = {
            "owner": forms.HiddenInput,
            "pesantren": RecordPicker("pesantren"),
            "cooperative": RecordPicker("cooperative"),
            "description": forms.Textarea(attrs={"rows": 3}),
            "monthly_revenue": forms.NumberInput(attrs={"min": 0, "step": 1000}),
        }

    def setup(self):
        self.setup_regions()
        people = selectors.people_editable_by(self.access)
        self.fields["owner"].queryset = people
        if self.access.role == Role.PARTICIPANT:  # their own business: the owner is fixed
            del self.fields["owner_nik"]
            del self.fields["owner"]
            self.initial["owner"] = self.access.membership.person_id
        self.limit("pesantren", selectors.pesantren_editable_by(self.access).only("id", "name"))
        self.limit(
            "cooperative", selectors.cooperatives_editable_by(self.access).only("id", "name")
        )
        self.order_fields(["name", "sector", "description", "owner_nik"])

    def owner_label(self) -> str:
        owner = self.initial.get("owner") or self.instance.owner_id
        if not owner:
            return ""
        found = selectors.people_visible_to(self.access).filter(pk=owner).first()
        return str(found) if found else ""

    def service_data(self) -> dict:
        data = super().service_data()
        if self.access.role == Role.PARTICIPANT and self.is_new:
            data["owner"] = self.access.membership.person
        return data

    def clean_nib(self):
        value = self.cleaned_data.get("nib", "").strip()
        return parse_nib(value) if value else ""

    def clean_monthly_revenue(self):
        value = self.cleaned_data.get("monthly_revenue")
        if value is not None and value < 0:
            raise ValidationError(_("Revenue cannot be negative."))
        return value

    def clean_owner_nik(self):
        value = (self.cleaned_data.get("owner_nik") or "").strip()
        if not value:
            return None
        nik = parse_nik(value).nik
        owner = selectors.people_editable_by(self.access).filter(nik_hash=pii.nik_hash(nik)).first()
        if owner is None:
            raise ValidationError(_("No person with this NIK among the records you may edit."))
        return owner

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("owner_nik"):
            cleaned["owner"] = cleaned["owner_nik"]
        if self.access.role in PESANTREN_SCOPED and not (
            cleaned.get("owner") or cleaned.get("pesantren")
        ):
            field = "pesantren" if "pesantren" in self.fields else None
            self.add_error(field, _("Choose the pesantren, or give the owner's NIK."))
        return cleaned


# --- Pillar participation --------------------------------------------------------------------


class ParticipationForm(RegistryForm):
    """Santripreneur and sociopreneur are people; pesantrenpreneur is a pesantren."""

    class Meta:
        model = Participation
        fields = ["pillar", "cohort_year", "status", "enterprise"]
        labels = {"enterprise": _("Enterprise")}

    def __init__(self, data=None, *, access, subject, instance=None):
        self.subject = subject
        super().__init__(data, access=access, instance=instance)

    def setup(self):
        if isinstance(self.subject, Pesantren):
            pillars = [Pillar.PESANTRENPRENEUR]
        else:
            pillars = [Pillar.SANTRIPRENEUR, Pillar.SOCIOPRENEUR]
        self.fields["pillar"].choices = [(p.value, p.label) for p in pillars]
        self.fields["enterprise"].queryset = self.subject.enterprises.only("id", "name")
        self.fields["enterprise"].required = False
        if self.is_new:
            self.initial.setdefault("cohort_year", timezone.localdate().year)

    def clean_cohort_year(self):
        year = self.cleaned_data["cohort_year"]
        first = self.access.programme.started_year
        if not first <= year <= timezone.localdate().year + 1:
            raise ValidationError(
                _("The cohort year must be between %(first)s and next year.") % {"first": first}
            )
        return year

    def service_data(self) -> dict:
        data = super().service_data()
        key = "pesantren" if isinstance(self.subject, Pesantren) else "person"
        data[key] = self.subject
        return data


# --- Personal data: deletion on request ------------------------------------------------------


class AnonymiseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (e.g. the request's reference)"),
        max_length=255,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that the name, NIK and contact data are deleted for good"),
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


FORMS = {
    Pesantren: PesantrenForm,
    Cooperative: CooperativeForm,
    Person: PersonForm,
    Enterprise: EnterpriseForm,
}
