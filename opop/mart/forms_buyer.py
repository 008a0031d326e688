"""Buyer forms: sign-up, address book (with the chained kab/kota → kecamatan picker), cart
quantities and the checkout choices."""

from __future__ import annotations

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from opop.accounts.models import User
from opop.common.identifiers import parse_phone
from opop.mart.models import BuyerAddress, Order, Payment
from opop.regions.models import Region


def _bootstrap(form: forms.Form) -> None:
    for field in form.fields.values():
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        if isinstance(field.widget, forms.RadioSelect):
            field.widget.attrs["class"] = "form-check-input"
            continue
        if isinstance(field.widget, forms.CheckboxInput):
            continue
        field.widget.attrs["class"] = f"{field.widget.attrs.get('class', '')} {css}".strip()


class RegisterForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"))
    phone = forms.CharField(
        label=_("WhatsApp number"),
        max_length=20,
        required=False,
        help_text=_("Optional; sellers use it to reach you about an order."),
    )
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this e-mail exists; log in instead."))
        return email

    def clean_phone(self):
        value = self.cleaned_data.get("phone", "").strip()
        if not value:
            return ""
        phone = parse_phone(value, mobile=True)
        if User.objects.filter(phone=phone).exists():
            raise forms.ValidationError(_("This number belongs to another account."))
        return phone

    def clean_password(self):
        password = self.cleaned_data["password"]
        validate_password(password)
        return password


class AddressForm(forms.ModelForm):
    class Meta:
        model = BuyerAddress
        fields = ["label", "recipient", "phone", "regency", "district", "street", "postal_code"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)
        regency = self.fields["regency"]
        regency.queryset = Region.objects.filter(level=Region.Level.REGENCY).order_by("name")
        regency.widget.attrs.update(
            {
                "hx-get": reverse("regions:options"),
                "hx-trigger": "change",
                "hx-target": f"#{self['district'].auto_id}",
                "hx-swap": "innerHTML",
                "hx-vals": "js:{parent: this.value}",
            }
        )
        chosen = self.data.get(self.add_prefix("regency")) if self.is_bound else None
        chosen = chosen or (self.instance.regency_id if self.instance.pk else None)
        self.fields["district"].queryset = (
            Region.objects.filter(parent_id=chosen) if chosen else Region.objects.none()
        )

    def clean_phone(self):
        return parse_phone(self.cleaned_data["phone"].strip(), mobile=True)

    def clean(self):
        data = super().clean()
        regency, district = data.get("regency"), data.get("district")
        if regency and district and district.parent_id != regency.pk:
            self.add_error("district", _("This kecamatan is not in the chosen kab/kota."))
        return data


class QuantityForm(forms.Form):
    product = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=0, max_value=999)


class CheckoutForm(forms.Form):
    """Address, delivery per seller (`delivery_<enterprise id>`), payment method and the
    idempotency key generated when the page was rendered."""

    address = forms.ModelChoiceField(
        label=_("Deliver to"), queryset=BuyerAddress.objects.none(), empty_label=None
    )
    method = forms.ChoiceField(label=_("Payment"), widget=forms.RadioSelect)
    idempotency_key = forms.CharField(max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, user, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = groups
        self.fields["address"].queryset = BuyerAddress.objects.filter(user=user)
        methods = Payment.Method.choices
        if len(groups) > 1:
            methods = [(v, label) for v, label in methods if v in {"va", "qris"}]
        self.fields["method"].choices = methods
        for group in groups:
            self.fields[f"delivery_{group['seller'].pk}"] = forms.ChoiceField(
                label=group["seller"].name,
                choices=Order.Delivery.choices,
                initial=Order.Delivery.POST,
                widget=forms.RadioSelect,
            )
        _bootstrap(self)

    def delivery_fields(self):
        return [self[f"delivery_{group['seller'].pk}"] for group in self.groups]

    def deliveries(self) -> dict[int, str]:
        return {
            g["seller"].pk: self.cleaned_data[f"delivery_{g['seller'].pk}"] for g in self.groups
        }
