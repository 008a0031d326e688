"""Forms of the account and of starting a file, each with the purpose the consent is for."""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from opop.accounts.models import User
from opop.common.forms import BootstrapFormMixin

ACCOUNT_CONSENT_PURPOSE = _(
    "Keeping your account and your OPOP registration: checking your eligibility, verifying "
    "your file and telling you the result."
)
APPLICATION_CONSENT_PURPOSE = _(
    "The data you give in this application (identity, contact, pesantren and business data) is "
    "used to check your eligibility and verify your file and, if you are accepted, to record "
    "you in the programme's registry. It is shown only to you and to programme staff."
)


class RegisterForm(BootstrapFormMixin, forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    consent = forms.BooleanField(required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per request, in the visitor's language (not once at import).
        self.fields[
            "password1"
        ].help_text = password_validation.password_validators_help_text_html()
        self.fields["consent"].label = _(
            "I agree that my data is processed for this purpose: %(purpose)s"
        ) % {"purpose": ACCOUNT_CONSENT_PURPOSE}

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(
                _("An account with this e-mail already exists: log in instead."), code="exists"
            )
        return email

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords are not the same."))
        elif first:
            candidate = User(email=cleaned.get("email", ""), full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(first, user=candidate)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class StartForm(BootstrapFormMixin, forms.Form):
    consent = forms.BooleanField(
        label=_("I agree that the data in my application is processed for this purpose."),
        required=True,
    )
