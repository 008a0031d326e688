from django import forms
from django.utils.translation import gettext_lazy as _

from opop.journey.selectors import ASPECTS


class JourneyFilterForm(forms.Form):
    """`?aspect=&year=`: a value that does not parse is ignored, as on the registry lists."""

    aspect = forms.ChoiceField(
        label=_("Aspect"),
        required=False,
        choices=[("", _("All aspects"))] + [(a.code, a.label) for a in ASPECTS],
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)

    def values(self) -> tuple[str | None, int | None]:
        if self.is_valid():
            return self.cleaned_data["aspect"] or None, self.cleaned_data["year"]
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return data.get("aspect") or None, data.get("year")
