"""Forms of the applicant's pages: the account, starting a file, and the file itself.

The application form checks only what was typed (every field is optional while drafting): a
bad value is reported at its field and left out, the good ones are saved. Completeness and the
cohort's rules are checked on submission (`opop.intake.eligibility`).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opop.common import pii
from opop.common.identifiers import parse_nib, parse_nik, parse_npwp, parse_nspp, parse_phone
from opop.intake.models import Application, Cohort
from opop.intake.services.registration import applicant_fields
from opop.regions.models import Region
from opop.regions.selectors import regencies_of
from opop.registry import rules
from opop.registry.models import Pesantren

CHOOSE = _("— choose —")
DESCRIPTION_MAX_LENGTH = 2000


class NeverShownInput(forms.TextInput):
    """A text box that never writes a value back into the page (the NIK is shown masked only,
    even when the form comes back with an error)."""

    def format_value(self, value):
        return None


def _identifier(label, help_text="", *, widget=forms.TextInput) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=30,
        help_text=help_text,
        widget=widget(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class ApplicationForm(forms.ModelForm):
    nik = _identifier(_("NIK"), _("16 digits, as on the KTP."), widget=NeverShownInput)
    nspp = _identifier(_("NSPP"), _("12 digits, from the Ministry of Religious Affairs."))
    cooperative_nib = _identifier(_("Cooperative NIB"), _("13 digits, from OSS."))
    cooperative_npwp = _identifier(_("Cooperative NPWP"), _("15 or 16 digits."))
    business_nib = _identifier(_("Business NIB"), _("13 digits, from OSS; empty if none yet."))
    # A tick on the form, stored as the moment consent was given.
    guardian_consent_at = forms.BooleanField(
        label=_("My parent or guardian agrees to this registration and to the use of my data"),
        help_text=_("Needed when you are under 18."),
        required=False,
    )

    class Meta:
        model = Application
        fields = [
            "pesantren_name",
            "nspp",
            "pesantren_kind",
            "leader_name",
            "founded_year",
            "regency",
            "district",
            "address",
            "cooperative_name",
            "cooperative_legal_status",
            "cooperative_legal_number",
            "cooperative_nib",
            "cooperative_npwp",
            "full_name",
            "gender",
            "birth_date",
            "phone",
            "email",
            "affiliation",
            "guardian_name",
            "guardian_relation",
            "origin_pesantren",
            "business_name",
            "business_sector",
            "business_nib",
            "business_started_year",
            "business_description",
        ]
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "placeholder": "0812-3456-7890"}),
            "business_description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, data=None, *, instance: Application):
        super().__init__(data, instance=instance)
        self.cohort: Cohort = instance.cohort
        wanted = set(applicant_fields(self.cohort)) | {"nik"}
        for name in list(self.fields):
            if name not in wanted:
                del self.fields[name]
        for field in self.fields.values():
            field.required = False
        if "guardian_consent_at" in self.fields:
            self.fields["guardian_consent_at"].initial = bool(instance.guardian_consent_at)
        self._setup_nik()
        self._setup_regions()
        if "origin_pesantren" in self.fields:
            self._setup_origin()
        if self.cohort.is_for_pesantren:
            self.fields["full_name"].label = _("Representative's full name")
            self.fields["birth_date"].label = _("Representative's birth date")
            self.fields["phone"].label = _("Representative's phone")
            self.fields["email"].label = _("Representative's e-mail")
        self.fields["birth_date"].help_text = _("Leave empty to take it from the NIK.")
        if "gender" in self.fields:
            self.fields["gender"].help_text = _("Leave empty to take it from the NIK.")
        if "business_description" in self.fields:
            description = self.fields["business_description"]
            description.validators.append(MaxLengthValidator(DESCRIPTION_MAX_LENGTH))
            description.widget.attrs["maxlength"] = DESCRIPTION_MAX_LENGTH
        for field in self.fields.values():
            _style(field)

    def _setup_nik(self) -> None:
        self.show_stored_nik(self.instance.nik_masked)

    def show_stored_nik(self, masked: str) -> None:
        """Say which NIK is on file (masked), e.g. again after a save that stored one."""
        if not masked:
            return
        text = _("Stored: %(masked)s. Leave empty to keep it; type it again to correct it.") % {
            "masked": masked
        }
        self.fields["nik"].help_text = text
        # A bound field copies its help text when first built (during validation).
        self["nik"].help_text = text

    def _setup_regions(self) -> None:
        regency, district = self.fields["regency"], self.fields["district"]
        regency.queryset = regencies_of(self.cohort.programme.province_id)
        regency.widget.attrs.update(
            {
                "hx-get": reverse("regions:options"),
                "hx-trigger": "change",
                "hx-target": f"#{self['district'].auto_id}",
                "hx-swap": "innerHTML",
                "hx-vals": "js:{parent: this.value}",
            }
        )
        chosen = self.data.get("regency", "") if self.is_bound else self.instance.regency_id
        district.queryset = (
            Region.objects.filter(parent_id=chosen) if chosen else Region.objects.none()
        )

    def _setup_origin(self) -> None:
        """Validated against every pesantren of the programme, but the select only ever holds
        the chosen one: the search box (HTMX) fills it with matches, so the page stays small."""
        field = self.fields["origin_pesantren"]
        field.queryset = Pesantren.objects.filter(programme_id=self.cohort.programme_id)
        field.help_text = _("Type part of its name to search. Leave empty if it is not listed.")
        chosen = self.data.get("origin_pesantren") if self.is_bound else None
        chosen = chosen or self.instance.origin_pesantren_id
        selected = []
        if chosen and str(chosen).isdigit():
            selected = list(field.queryset.filter(pk=chosen).values_list("pk", "name"))
        field.widget.choices = [("", CHOOSE), *selected]

    # --- Field checks: only what was typed ---------------------------------------------------

    def _parsed(self, name, parse):
        value = (self.cleaned_data.get(name) or "").strip()
        return parse(value) if value else ""

    def clean_nik(self):
        value = (self.cleaned_data.get("nik") or "").strip()
        return parse_nik(value, today=timezone.localdate()).nik if value else ""

    def clean_nspp(self):
        return self._parsed("nspp", parse_nspp)

    def clean_cooperative_nib(self):
        return self._parsed("cooperative_nib", parse_nib)

    def clean_business_nib(self):
        return self._parsed("business_nib", parse_nib)

    def clean_cooperative_npwp(self):
        return self._parsed("cooperative_npwp", parse_npwp)

    def clean_phone(self):
        return self._parsed("phone", parse_phone)

    def clean_founded_year(self):
        return _year(self.cleaned_data.get("founded_year"), 1500, _("e.g. 1985"))

    def clean_business_started_year(self):
        return _year(self.cleaned_data.get("business_started_year"), 1950, _("e.g. 2021"))

    def clean_guardian_consent_at(self):
        if not self.cleaned_data.get("guardian_consent_at"):
            return None
        return self.instance.guardian_consent_at or timezone.now()

    def clean_birth_date(self):
        born = self.cleaned_data.get("birth_date")
        if born and not (born.year >= 1900 and born <= timezone.localdate()):
            raise ValidationError(_("Give a real birth date."))
        return born

    def clean(self):
        cleaned = super().clean()
        if self.has_error("nik"):
            return cleaned
        nik = cleaned.get("nik") or (
            pii.decrypt(self.instance.nik_cipher) if self.instance.nik_cipher else ""
        )
        if not nik:
            return cleaned
        try:
            info = rules.nik_checked(
                nik, gender=cleaned.get("gender") or "", birth_date=cleaned.get("birth_date")
            )
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                self.add_error(name if name in self.fields else None, errors)
            return cleaned
        if "gender" in self.fields and not cleaned.get("gender") and "gender" in cleaned:
            cleaned["gender"] = info.gender
        if not cleaned.get("birth_date") and "birth_date" in cleaned:
            cleaned["birth_date"] = info.birth_date
        return cleaned

    def _post_clean(self):
        # The service validates the model; the instance stays as stored until it saves.
        pass

    def valid_data(self) -> dict:
        """The fields that passed their checks (all of them when the form is valid)."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name in self.fields and name != "nik" and name not in self.errors
        }

    def typed_nik(self) -> str:
        return "" if self.has_error("nik") else self.cleaned_data.get("nik", "")

    def sections(self) -> list[tuple[str, list]]:
        """Bound fields by heading, in page order (the kecamatan goes with the kab/kota)."""
        return [
            (title, [self[name] for name in names if name in self.fields])
            for title, names in self._section_names()
        ]

    def _section_names(self) -> list[tuple[str, list[str]]]:
        if self.cohort.is_for_pesantren:
            return [
                (
                    _("Pesantren"),
                    [
                        "pesantren_name",
                        "nspp",
                        "pesantren_kind",
                        "leader_name",
                        "founded_year",
                        "regency",
                        "address",
                    ],
                ),
                (_("Cooperative (koppontren)"), [n for n in self.fields if "cooperative" in n]),
                (_("Representative"), ["full_name", "nik", "birth_date", "phone", "email"]),
                (
                    _("Flagship business (optional)"),
                    ["business_name", "business_sector", "business_description"],
                ),
            ]
        return [
            (
                _("About you"),
                ["full_name", "nik", "gender", "birth_date", "phone", "email", "affiliation"],
            ),
            (
                _("Parent or guardian (applicants under 18)"),
                ["guardian_name", "guardian_relation", "guardian_consent_at"],
            ),
            (_("Where you live"), ["regency", "address"]),
            (_("Pesantren of origin"), ["origin_pesantren"]),
            (_("Your business"), [n for n in self.fields if n.startswith("business_")]),
        ]

    def show_needed(self, names) -> None:
        """Mark the fields a submission needs, for display only: called after validation, so a
        draft is never refused for what it lacks (the page's form has `novalidate`)."""
        for name in names:
            if name in self.fields:
                self.fields[name].required = True


def _year(year, first: int, example):
    if year and not first <= year <= timezone.localdate().year:
        raise ValidationError(
            _("Give a year between %(first)s and this year (%(example)s).")
            % {"first": first, "example": example}
        )
    return year


def _style(field: forms.Field) -> None:
    if isinstance(field, forms.ModelChoiceField):
        field.empty_label = CHOOSE
    elif isinstance(field, forms.ChoiceField) and field.choices and field.choices[0][0] == "":
        field.choices = [("", CHOOSE), *list(field.choices)[1:]]
    css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
    field.widget.attrs["class"] = f"{field.widget.attrs.get('class', '')} {css}".strip()
