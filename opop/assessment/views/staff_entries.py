"""Appeals of a stage and one entry seen by staff (its scoresheets only once the stage closed)."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Prefetch, Value, When
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opop.accounts.decorators import require_access
from opop.assessment import services
from opop.assessment.forms import AppealDecisionForm, AssignmentForm
from opop.assessment.models import Appeal, Entry, Score
from opop.assessment.views import staff
from opop.common.forms import form_saved
from opop.registry.views.display import readable_history


def _appeals(stage):
    return (
        Appeal.objects.filter(entry__stage=stage)
        .select_related("entry", "submitted_by", "decided_by")
        .annotate(
            waiting=Case(
                When(decision=Appeal.Decision.PENDING, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("waiting", "-decided_at", "created_at")
    )


@require_access("reads_assessment")
def appeal_list(request, pk: int):
    stage = staff.stage_or_404(request, pk)
    return _render_appeals(request, stage)


def _render_appeals(request, stage, *, failed=None, status=200):
    appeals = list(_appeals(stage))
    may_run = request.access.runs_assessment
    forms = {}
    if may_run:
        for appeal in appeals:
            if appeal.decision == Appeal.Decision.PENDING:
                failing = failed is not None and failed[0].pk == appeal.pk
                forms[appeal.pk] = (
                    failed[1] if failing else AppealDecisionForm(prefix=f"appeal-{appeal.pk}")
                )
    pending = [a for a in appeals if a.decision == Appeal.Decision.PENDING]
    labels = dict(Entry.Outcome.choices)
    for appeal in appeals:
        appeal.before_label = labels.get(appeal.outcome_before, appeal.outcome_before)
        appeal.after_label = labels.get(appeal.outcome_after, appeal.outcome_after)
    context = {
        "stage": stage,
        "round": stage.round,
        "pending": [(a, forms.get(a.pk)) for a in pending],
        "decided": [a for a in appeals if a.decision != Appeal.Decision.PENDING],
        "may_run": may_run,
    }
    return render(request, "assessment/appeals.html", context, status=status)


@require_access("runs_assessment")
@require_POST
def appeal_decide(request, pk: int):
    appeal = staff.appeal_or_404(request, pk)
    stage = appeal.entry.stage
    form = AppealDecisionForm(request.POST, prefix=f"appeal-{appeal.pk}")
    saved = form_saved(
        request,
        form,
        lambda: services.appeal_decide(
            actor=request.user,
            appeal=appeal,
            decision=form.cleaned_data["decision"],
            note=form.cleaned_data["note"],
            outcome=form.cleaned_data["outcome"] or None,
        ),
        success=_("Decision recorded; the applicant is told."),
    )
    if saved:
        return redirect(reverse("assessment:appeal_list", args=[stage.pk]) + "#decided")
    return _render_appeals(request, stage, failed=(appeal, form), status=400)


@require_access("reads_assessment")
def entry_staff(request, pk: int):
    entry = staff.entry_or_404(request, pk)
    stage = entry.stage
    results_open = stage.status in staff.RESULTS_VISIBLE
    sheets = entry.assignments.select_related("juror__user").order_by("juror__user__full_name")
    if results_open:
        sheets = sheets.prefetch_related(
            Prefetch(
                "scores",
                queryset=Score.objects.select_related("criterion").order_by(
                    "criterion__position", "criterion_id"
                ),
            )
        )
    may_run = request.access.runs_assessment
    may_assign = may_run and stage.status in staff.OPEN_FOR_CHANGES
    assignment_form = None
    if may_assign:
        assignment_form = AssignmentForm(stage=stage, initial={"entry": entry.pk})
        assignment_form.fields["entry"].queryset = stage.entries.filter(pk=entry.pk)
    context = {
        "entry": entry,
        "stage": stage,
        "round": stage.round,
        "sheets": list(sheets),
        "results_open": results_open,
        "criteria": staff.weight_shares(list(stage.round.criteria.all())),
        "appeals": entry.appeals.select_related("submitted_by", "decided_by"),
        "history": readable_history(entry, access=request.access),
        "may_run": may_run,
        "may_assign": may_assign,
        "assignment_form": assignment_form,
    }
    return render(request, "assessment/entry_staff.html", context)
