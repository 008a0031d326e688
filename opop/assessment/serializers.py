"""Shapes of the assessment API: a juror's assignments and scoresheet, an owner's results.

Nothing here carries a juror's name to an owner, or another juror's score to a juror: the
views decide what rows reach these serializers, these only decide the fields.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from opop.assessment.models import Appeal, Assignment, Criterion, Entry, Round, Stage
from opop.assessment.views.owner import feedback, share_url


class RoundRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Round
        fields = ["id", "name", "year", "purpose", "scale_min", "scale_max"]


class StageRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Stage
        fields = ["id", "name", "kind", "status", "scoring_closes_on"]


class EntryRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Entry
        fields = ["id", "title"]


class AssignmentSerializer(serializers.ModelSerializer):
    entry = EntryRefSerializer()
    stage = StageRefSerializer()
    round = RoundRefSerializer(source="stage.round")

    class Meta:
        model = Assignment
        fields = ["id", "entry", "stage", "round", "submitted_at", "total"]


class AssignmentFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=["todo", "done", "all"],
        default="all",
        help_text="`todo`: not submitted yet; `done`: submitted; `all` (default).",
    )


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "name", "guidance", "weight"]


class ScoreSerializer(serializers.Serializer):
    criterion = serializers.IntegerField(help_text="A criterion id of the round's rubric.")
    value = serializers.DecimalField(max_digits=5, decimal_places=2)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class ScoresheetSerializer(serializers.Serializer):
    """The caller's own sheet; `editable` is false once submitted or when the stage is not
    open for scoring."""

    assignment = serializers.IntegerField()
    entry = EntryRefSerializer()
    round = RoundRefSerializer()
    stage = StageRefSerializer()
    editable = serializers.BooleanField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    total = serializers.DecimalField(max_digits=7, decimal_places=3, allow_null=True)
    visited_on = serializers.DateField(allow_null=True)
    visit_notes = serializers.CharField(allow_blank=True)
    criteria = CriterionSerializer(many=True)
    scores = ScoreSerializer(many=True)


class ScoresheetInputSerializer(serializers.Serializer):
    scores = ScoreSerializer(many=True, help_text="Scores to save; a draft may leave some out.")
    submit = serializers.BooleanField(
        default=False,
        help_text="true: submit (every criterion scored within the scale; a field visit "
        "stage also needs `visited_on`). The sheet is sealed afterwards.",
    )
    visited_on = serializers.DateField(required=False, allow_null=True, default=None)
    visit_notes = serializers.CharField(required=False, allow_blank=True, default="")

    def validate_scores(self, scores):
        criteria = self.context["criteria"]
        round_ = self.context["round"]
        seen = set()
        errors = []
        for row in scores:
            problem = {}
            if row["criterion"] not in criteria:
                problem["criterion"] = [_("Not a criterion of this round.")]
            elif row["criterion"] in seen:
                problem["criterion"] = [_("This criterion is given twice.")]
            elif not round_.scale_min <= row["value"] <= round_.scale_max:
                problem["value"] = [
                    _("Scores go from %(low)s to %(high)s.")
                    % {"low": round_.scale_min, "high": round_.scale_max}
                ]
            seen.add(row["criterion"])
            errors.append(problem)
        if any(errors):
            raise serializers.ValidationError(errors)
        return scores

    def validate(self, attrs):
        if attrs["submit"]:
            given = {row["criterion"] for row in attrs["scores"]}
            missing = [pk for pk in self.context["criteria"] if pk not in given]
            if missing:
                raise serializers.ValidationError(
                    {
                        "scores": [
                            _("Score every criterion before submitting; missing: %(ids)s.")
                            % {"ids": ", ".join(str(pk) for pk in missing)}
                        ]
                    }
                )
            if self.context["field_visit"] and not attrs.get("visited_on"):
                raise serializers.ValidationError(
                    {"visited_on": [_("Enter the date of the visit before submitting.")]}
                )
        return attrs


class FeedbackSerializer(serializers.Serializer):
    criterion = serializers.IntegerField()
    name = serializers.CharField()
    mean = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    comments = serializers.ListField(
        child=serializers.CharField(), help_text="Jurors' comments, without their names."
    )


class AppealSerializer(serializers.ModelSerializer):
    class Meta:
        model = Appeal
        fields = ["id", "created_at", "reason", "decision", "decision_note", "decided_at"]


class ResultSerializer(serializers.ModelSerializer):
    round = RoundRefSerializer(source="stage.round")
    stage = StageRefSerializer()
    appeal_until = serializers.DateTimeField(source="stage.appeal_until", allow_null=True)
    feedback = serializers.SerializerMethodField(help_text="Per criterion, in rubric order.")
    appeals = AppealSerializer(many=True)
    share_url = serializers.SerializerMethodField(
        help_text="A wa.me link sharing the result (passed entries only; empty otherwise)."
    )

    class Meta:
        model = Entry
        fields = [
            "id",
            "title",
            "round",
            "stage",
            "outcome",
            "final_score",
            "rank",
            "decided_at",
            "appeal_until",
            "feedback",
            "appeals",
            "share_url",
        ]

    @extend_schema_field(FeedbackSerializer(many=True))
    def get_feedback(self, entry) -> list[dict]:
        # The round's criteria come prefetched with the entries (no query per row).
        rows = feedback(entry, entry.stage.round.criteria.all())
        return FeedbackSerializer(
            [
                {
                    "criterion": row["criterion"].pk,
                    "name": row["criterion"].name,
                    "mean": row["mean"],
                    "comments": row["comments"],
                }
                for row in rows
            ],
            many=True,
        ).data

    def get_share_url(self, entry) -> str:
        return share_url(entry)
