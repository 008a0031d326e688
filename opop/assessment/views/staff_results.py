"""The ranking of a closed stage: the table, the cut-off, outliers for the chair, the export.

The page is built for 5,000 entries: one query for the page's entries (the ranking selector,
with the kab/kota joined), one for the rubric, one for the flagged sheets of the page's entries.
Scoresheet counts are annotated by the selector and criterion means read from
`Entry.criterion_results`: nothing is queried per row.
"""

from __future__ import annotations

import statistics
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opop.accounts.decorators import require_access
from opop.assessment import selectors, services
from opop.assessment.forms import CutoffForm, ReopenForm, stage_data
from opop.assessment.models import Assignment, Entry, Stage
from opop.assessment.views import staff
from opop.common.forms import apply_service_errors
from opop.common.spreadsheets import write_xlsx

PAGE_SIZE = 50


def criterion_mean(entry, criterion):
    result = entry.criterion_results.get(str(criterion.pk)) or entry.criterion_results.get(
        criterion.pk
    )
    mean = result.get("mean") if isinstance(result, dict) else result
    return None if mean is None else Decimal(str(mean))


def _outliers(entries) -> dict[int, list[dict]]:
    """For each entry on the page with a flagged sheet: who, their total, the others' median.
    One query, and none when the page has no flagged sheet."""
    ids = [entry.pk for entry in entries if entry.outlier_count]
    if not ids:
        return {}
    sheets = (
        Assignment.objects.filter(entry_id__in=ids, submitted_at__isnull=False)
        .select_related("juror__user")
        .order_by("entry_id", "pk")
    )
    by_entry: dict[int, list[Assignment]] = {}
    for sheet in sheets:
        by_entry.setdefault(sheet.entry_id, []).append(sheet)
    flagged: dict[int, list[dict]] = {}
    for entry_id, group in by_entry.items():
        for sheet in group:
            if not sheet.is_outlier:
                continue
            others = [s.total for s in group if s.pk != sheet.pk and s.total is not None]
            flagged.setdefault(entry_id, []).append(
                {
                    "assignment": sheet,
                    "juror": sheet.juror.user,
                    "total": sheet.total,
                    "others_median": statistics.median(others) if others else None,
                }
            )
    return flagged


def _results_stage(request, pk: int):
    stage = staff.stage_or_404(request, pk)
    if stage.status not in staff.RESULTS_VISIBLE:
        messages.info(request, _("The ranking is shown once the stage is closed."))
        return stage, redirect("assessment:stage_detail", stage.pk)
    return stage, None


@require_access("reads_assessment")
def ranking(request, pk: int):
    stage, refused = _results_stage(request, pk)
    if refused:
        return refused
    return _render_ranking(request, stage)


def _render_ranking(request, stage, *, cutoff_form=None, status=200):
    criteria = list(stage.round.criteria.all())
    # Page over bare ids first (an index scan), then annotate only the page's rows: counting
    # scoresheets in the paged query itself would count every row up to the page's offset.
    page = Paginator(selectors.ranking_order(stage), PAGE_SIZE).get_page(request.GET.get("page"))
    page_ids = list(page.object_list)
    by_id = {e.pk: e for e in selectors.ranking(stage).filter(pk__in=page_ids)}
    entries = [by_id[pk] for pk in page_ids if pk in by_id]
    flagged = _outliers(entries)
    table = [
        {
            "entry": entry,
            "sheets": entry.submitted_count,
            "means": [(c, criterion_mean(entry, c)) for c in criteria],
            "outliers": flagged.get(entry.pk, []),
        }
        for entry in entries
    ]
    may_run = request.access.runs_assessment
    context = {
        "stage": stage,
        "round": stage.round,
        "criteria": criteria,
        "page": page,
        "table": table,
        "may_run": may_run,
        "may_change": may_run and stage.status == Stage.Status.CLOSED,
        "cutoff_form": cutoff_form
        or CutoffForm(initial={"cutoff_score": stage.cutoff_score, "quota": stage.quota}),
        "reopen_form": ReopenForm(),
        "unsubmitted": stage.assignments.filter(submitted_at__isnull=True).count(),
    }
    return render(request, "assessment/ranking.html", context, status=status)


@require_access("runs_assessment")
@require_POST
def stage_cutoff(request, pk: int):
    """Change the pass mark or quota, then rank and cut again."""
    stage, refused = _results_stage(request, pk)
    if refused:
        return refused
    form = CutoffForm(request.POST)
    if form.is_valid():
        try:
            stage = services.stage_save(
                actor=request.user,
                round=stage.round,
                data=stage_data(stage, **form.cleaned_data),
                instance=stage,
            )
            services.stage_recompute(actor=request.user, stage=stage)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Cut-off changed and results recomputed."))
            return redirect("assessment:ranking", stage.pk)
    stage.refresh_from_db()
    return _render_ranking(request, stage, cutoff_form=form, status=400)


@require_access("runs_assessment")
@require_POST
def scoresheet_reopen(request, pk: int):
    """The chair sends a flagged scoresheet back to its juror, with the reason."""
    assignment = staff.assignment_or_404(request, pk)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the scoresheet goes back to the juror."))
    else:
        try:
            services.scoresheet_reopen(
                actor=request.user, assignment=assignment, reason=form.cleaned_data["reason"]
            )
            # The sheet no longer counts until resubmitted: the ranking shows that at once.
            services.stage_recompute(actor=request.user, stage=assignment.stage)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("The scoresheet went back to %(juror)s.") % {"juror": assignment.juror.user},
            )
    return redirect(reverse("assessment:ranking", args=[assignment.stage_id]) + "#ranking")


@require_access("reads_assessment")
def ranking_export(request, pk: int):
    stage, refused = _results_stage(request, pk)
    if refused:
        return refused
    criteria = list(stage.round.criteria.all())
    headers = [
        _("Rank"),
        _("Entry"),
        _("Kabupaten/kota"),
        _("Final score"),
        _("Scoresheets"),
        *[c.name for c in criteria],
        _("Outcome"),
    ]
    outcome_labels = dict(Entry.Outcome.choices)

    def rows():
        for entry in selectors.ranking(stage).select_related("regency").iterator(chunk_size=1000):
            yield [
                entry.rank,
                entry.title,
                entry.regency.name if entry.regency else "",
                entry.final_score,
                entry.submitted_count,
                *[criterion_mean(entry, c) for c in criteria],
                str(outcome_labels.get(entry.outcome, entry.outcome)),
            ]

    content = write_xlsx(headers, rows(), sheet_title=_("Ranking"))
    stamp = timezone.localdate().isoformat()
    name = f"ranking-{slugify(stage.round.name)[:40]}-{stage.position}-{stamp}.xlsx"
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
