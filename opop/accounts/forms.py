from django import forms
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from opop.accounts.models import User
from opop.common.identifiers import parse_phone


class LoginForm(forms.Form):
    # Named "email" for the rate limiter and existing clients; a mobile number works too.
    email = forms.CharField(
        label=_("E-mail or mobile number"),
        max_length=254,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "inputmode": "email"}
        ),
    )
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, request, *args, **kwargs):
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        self.user = authenticate(
            self.request, email=email_for_login(data["email"]), password=data["password"]
        )
        if self.user is None or not self.user.is_active:
            raise forms.ValidationError(_("The e-mail, mobile number or password is wrong."))
        return data


def email_for_login(typed: str) -> str:
    """The account's e-mail for what was typed: an e-mail as it is, a mobile number looked up
    (an unknown number gives an e-mail no account has, so the answer stays "wrong")."""
    typed = typed.strip()
    if "@" in typed:
        return typed.lower()
    try:
        phone = parse_phone(typed)
    except ValidationError:
        return typed
    email = User.objects.filter(phone=phone).values_list("email", flat=True).first()
    return email or typed
