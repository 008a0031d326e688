"""Forms of the Agen Pos Pesantren pages; the services validate and save."""

from __future__ import annotations

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opop.common.forms import BootstrapFormMixin
from opop.logistics.models import PostAgent, Tariff
from opop.regions.models import Region
from opop.regions.selectors import regencies_of
from opop.registry.models import Pesantren


def _all_regencies():
    return Region.objects.filter(level=Region.Level.REGENCY).order_by("code")


class RegencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.code} {obj.name}"


class TariffFilterForm(BootstrapFormMixin, forms.Form):
    origin = RegencyChoiceField(label=_("From"), queryset=Region.objects.none(), required=False)
    destination = RegencyChoiceField(label=_("To"), queryset=Region.objects.none(), required=False)

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["origin"].queryset = regencies_of(programme.province_id).order_by("code")
        self.fields["destination"].queryset = _all_regencies()

    def apply(self, qs):
        if not self.is_valid():
            return qs
        for name in ("origin", "destination"):
            if self.cleaned_data.get(name):
                qs = qs.filter(**{name: self.cleaned_data[name]})
        return qs

    @property
    def is_filtered(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.values())


class TariffForm(BootstrapFormMixin, forms.ModelForm):
    origin = RegencyChoiceField(label=_("From"), queryset=Region.objects.none())
    destination = RegencyChoiceField(label=_("To"), queryset=Region.objects.none())

    class Meta:
        model = Tariff
        fields = ["origin", "destination", "first_kg", "next_kg", "days"]

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["origin"].queryset = regencies_of(programme.province_id).order_by("code")
        self.fields["destination"].queryset = _all_regencies()

    def _post_clean(self):
        """The service runs the model's full validation; the form checks only its fields."""


class TariffImportForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Tariff workbook (.xlsx)"),
        help_text=_("Columns: origin code, destination code, first kg, next kg, days."),
    )


class PostAgentForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = PostAgent
        fields = ["pesantren", "agent_code", "commission_bp", "is_active"]
        help_texts = {"commission_bp": _("Basis points of each shipping fee: 1000 = 10 %.")}

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        taken = PostAgent.objects.filter(programme=programme)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        self.fields["pesantren"].queryset = (
            Pesantren.objects.filter(programme=programme)
            .exclude(pk__in=taken.values("pesantren_id"))
            .order_by("name")
        )

    def _post_clean(self):
        """The service runs the model's full validation; the form checks only its fields."""


PERIOD = re.compile(r"^(\d{4})-(\d{2})$")


def period_of(raw: str | None) -> tuple[int, int]:
    """`2025-03` -> (2025, 3); anything else -> this month (Asia/Jakarta)."""
    match = PERIOD.match(raw or "")
    if match and 1 <= int(match.group(2)) <= 12 and int(match.group(1)) >= 2000:
        return int(match.group(1)), int(match.group(2))
    today = timezone.localdate()
    return today.year, today.month
