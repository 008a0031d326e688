"""The juror's scoresheet and the owner's appeal: forms that only parse and check the input.

The scoresheet is built from the round's rubric: one score and one comment per criterion, plus
the visit date and findings in a field verification stage. A draft may leave scores empty; a
submission may not. The service (`scoresheet_save`) re-checks everything that depends on the
data (who, which stage status, the scale), so these checks are for clear messages first.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opop.common.forms import BootstrapFormMixin

# Scores may be given in halves on a number input (e.g. 7.5 on 1–10).
STEP = Decimal("0.5")
# Scales with at most this many whole values get a segmented choice instead of a number input.
SEGMENTED_MAX_OPTIONS = 7
COMMENT_MAX = 2000
ACTION_DRAFT, ACTION_SUBMIT = "draft", "submit"


def score_field(criterion_id: int) -> str:
    return f"score_{criterion_id}"


def comment_field(criterion_id: int) -> str:
    return f"comment_{criterion_id}"


def plain(value) -> str:
    """A score as the juror typed it: 7 rather than 7.00, 7.5 rather than 7.50."""
    if value is None or value == "":
        return ""
    number = Decimal(value)
    return (
        str(number.quantize(Decimal(1)))
        if number == number.to_integral()
        else str(number.normalize())
    )


class ScoresheetForm(BootstrapFormMixin, forms.Form):
    def __init__(self, *args, round, criteria, field_visit: bool, **kwargs):
        self.round = round
        self.criteria = list(criteria)
        self.field_visit = field_visit
        options = round.scale_max - round.scale_min + 1
        self.segmented = options <= SEGMENTED_MAX_OPTIONS
        fields = {}
        for criterion in self.criteria:
            fields[score_field(criterion.pk)] = forms.DecimalField(
                label=criterion.name,
                required=False,
                min_value=round.scale_min,
                max_value=round.scale_max,
                step_size=1 if self.segmented else STEP,
                max_digits=5,
                decimal_places=2,
                widget=forms.NumberInput(attrs={"inputmode": "decimal"}),
                error_messages={
                    "min_value": gettext_lazy("The lowest score is %(limit_value)s."),
                    "max_value": gettext_lazy("The highest score is %(limit_value)s."),
                },
            )
            fields[comment_field(criterion.pk)] = forms.CharField(
                label=_("Comment on “%(criterion)s”") % {"criterion": criterion.name},
                required=False,
                max_length=COMMENT_MAX,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        if field_visit:
            fields["visited_on"] = forms.DateField(
                label=_("Visit date"),
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            )
            fields["visit_notes"] = forms.CharField(
                label=_("Visit findings"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
        # Fields depend on the rubric: set them before the mixin styles the widgets.
        self.base_fields = fields
        super().__init__(*args, **kwargs)

    @property
    def submitting(self) -> bool:
        return self.data.get("action") == ACTION_SUBMIT

    def clean(self):
        cleaned = super().clean()
        if not self.submitting:
            return cleaned
        for criterion in self.criteria:
            name = score_field(criterion.pk)
            if cleaned.get(name) is None and name not in self.errors:
                self.add_error(name, _("Score this criterion before submitting."))
        if self.field_visit and not cleaned.get("visited_on") and "visited_on" not in self.errors:
            self.add_error("visited_on", _("Enter the date of the visit before submitting."))
        if self.errors:
            self.add_error(
                None, _("Nothing was submitted: correct the marked fields, or save a draft.")
            )
        return cleaned

    def values(self) -> dict[int, Decimal | None]:
        """Every criterion: its score, or None to clear it (a draft may leave it empty)."""
        return {c.pk: self.cleaned_data.get(score_field(c.pk)) for c in self.criteria}

    def comments(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data.get(comment_field(c.pk), "").strip() for c in self.criteria}

    def rows(self) -> list[dict]:
        """Per criterion, what the template needs: the criterion, its two fields, the options of
        a segmented choice and the value currently chosen."""
        options = (
            [str(v) for v in range(self.round.scale_min, self.round.scale_max + 1)]
            if self.segmented
            else None
        )
        rows = []
        for criterion in self.criteria:
            score = self[score_field(criterion.pk)]
            rows.append(
                {
                    "criterion": criterion,
                    "score": score,
                    "comment": self[comment_field(criterion.pk)],
                    "options": options,
                    "current": plain(score.value()) if score.value() not in (None, "") else "",
                }
            )
        return rows


def scoresheet_initial(assignment, scores) -> dict:
    initial = {}
    for score in scores:
        initial[score_field(score.criterion_id)] = plain(score.value)
        initial[comment_field(score.criterion_id)] = score.comment
    initial["visited_on"] = assignment.visited_on
    initial["visit_notes"] = assignment.visit_notes
    return initial


class AppealForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why should the result be reviewed?"),
        min_length=20,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Say which criterion or comment you disagree with and why. The panel answers in "
            "writing."
        ),
    )
