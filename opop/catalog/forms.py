"""Forms of the catalogue pages; the services validate and save."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from opop.catalog.models import Category, Certification, Product
from opop.catalog.selectors import curated_now
from opop.common.forms import BootstrapFormMixin
from opop.registry.pickers import RecordPicker
from opop.registry.selectors import enterprises_editable_by


class ProductForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Product
        fields = [
            "enterprise",
            "category",
            "name",
            "description",
            "price",
            "unit",
            "weight_grams",
            "monthly_capacity",
            "status",
        ]
        widgets = {
            "enterprise": RecordPicker("enterprise"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises_editable_by(access).order_by("name")

    def _post_clean(self):
        """The service runs the model's full validation; the form checks only its fields."""


class CertificationForm(BootstrapFormMixin, forms.ModelForm):
    # Only carries the upload; the service checks its content and size and stores it privately.
    document = forms.FileField(
        label=_("Certificate document"),
        required=False,
        help_text=_("PDF, JPEG or PNG, at most 5 MB."),
        widget=forms.FileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    class Meta:
        model = Certification
        fields = ["kind", "number", "issued_on", "expires_on"]
        widgets = {
            "issued_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "expires_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.document:
            self.fields["document"].help_text = _(
                "A document is on file; upload another to replace it. PDF, JPEG or PNG, "
                "at most 5 MB."
            )

    def _post_clean(self):
        """The service normalises the number by its kind and reports errors at the field."""

    def certification_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class ProductFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search by name"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "class": "form-control form-control-sm"}),
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.all(),
        required=False,
        empty_label=_("All categories"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All statuses")), *Product.Status.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    curated = forms.BooleanField(
        label=_("Produk Unggulan OPOP only"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def apply(self, rows):
        if not self.is_valid():
            return rows
        data = self.cleaned_data
        if data.get("q"):
            rows = rows.filter(name__icontains=data["q"].strip())
        if data.get("category"):
            rows = rows.filter(category=data["category"])
        if data.get("status"):
            rows = rows.filter(status=data["status"])
        if data.get("curated"):
            rows = rows.filter(curated_now())
        return rows

    @property
    def is_filtered(self) -> bool:
        return any(self.data.get(name) for name in ("q", "category", "status", "curated"))


class ProductPhotoForm(BootstrapFormMixin, forms.Form):
    """Only carries the file; the service checks its content, size and the photo limit."""

    image = forms.FileField(
        label=_("Photo"),
        help_text=_("JPEG, PNG or WebP, at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
