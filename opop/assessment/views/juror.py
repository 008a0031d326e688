"""The juror's pages: `/assessment/my/` (my assignments and progress) and the scoresheet.

Who may open them: any logged-in user holding a juror seat in a round of the programme chosen
in the session (403 otherwise), and only their own assignments (`selectors.assignments_of`):
another juror's assignment is a 404. While a stage is scoring, the sheet never shows what other
jurors gave (`selectors.scores_visible_to_juror` decides when the panel's scores appear).

The scoresheet must stay fast on a 5,000-entry round: a fixed handful of queries whatever the
rubric's size (the assignment with its subject in one join, the criteria, the own scores, and
photos/certifications for a product).
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from opop.assessment import selectors, services
from opop.assessment.forms_juror import ScoresheetForm, scoresheet_initial
from opop.assessment.models import Assignment, Juror, Stage
from opop.assessment.views.juror_subject import panel_scores, subject_of
from opop.common.forms import form_saved

PAGE_SIZE = 25
SHARED = (Stage.Status.CLOSED, Stage.Status.PUBLISHED)
# Fetched with the assignment. The subject itself (product, application or enterprise) comes in
# a second, small query: one 15-table join costs PostgreSQL more to plan than two short ones.
SHEET_RELATED = ("juror", "stage__round", "entry__pesantren", "entry__regency")


def juror_programme(request):
    """The programme whose rounds the user judges, or 403 when they hold no seat there."""
    access = request.access
    if not access or not _has_seat(request.user, access):
        raise PermissionDenied
    return access.programme


def _has_seat(user, access) -> bool:
    # The user's own seats only: a seat is the whole right to these pages.
    return Juror.objects.filter(user=user, round__programme_id=access.programme_id).exists()


def my_assignments_of(request):
    return selectors.assignments_of(request.user, juror_programme(request))


def my_assignment_or_refuse(request, pk: int) -> tuple[Assignment, object]:
    """The user's own assignment (and the queryset of all of theirs): 403 without a seat, 404
    for anyone else's. The seat is only looked up when the assignment is not found, which
    saves the scoresheet a query."""
    access = request.access
    mine = selectors.assignments_of(request.user, access.programme if access else None)
    assignment = mine.select_related(*SHEET_RELATED).filter(pk=pk).first()
    if assignment is None:
        if not access or not _has_seat(request.user, access):
            raise PermissionDenied
        raise Http404
    return assignment, mine


class MyFilter(forms.Form):
    TODO, DONE, ALL = "todo", "done", "all"
    show = forms.ChoiceField(
        choices=[
            (TODO, gettext_lazy("To score")),
            (DONE, gettext_lazy("Done")),
            (ALL, gettext_lazy("All")),
        ],
        required=False,
    )

    def chosen(self) -> str:
        return (self.is_valid() and self.cleaned_data["show"]) or self.TODO


@login_required
def my_assignments(request):
    assignments = my_assignments_of(request)
    show = MyFilter(request.GET).chosen()
    progress = list(
        assignments.order_by()
        .values(
            "stage_id",
            "stage__name",
            "stage__kind",
            "stage__status",
            "stage__scoring_closes_on",
            "stage__round__name",
            "stage__round__year",
        )
        .annotate(
            assigned=Count("id"),
            submitted=Count("id", filter=Q(submitted_at__isnull=False)),
        )
        .order_by("-stage__round__year", "stage__round__name", "stage__round_id", "stage_id")
    )
    for row in progress:
        row["status_label"] = Stage.Status(row["stage__status"]).label
        row["percent"] = round(100 * row["submitted"] / row["assigned"]) if row["assigned"] else 0
    rows = assignments
    if show == MyFilter.TODO:
        rows = rows.filter(submitted_at__isnull=True)
    elif show == MyFilter.DONE:
        rows = rows.filter(submitted_at__isnull=False)
    # Newest stage first, entries in the order they came in. The page is chosen on ids alone,
    # then its 25 rows are fetched with their entry: a juror of a 5,000-entry round would
    # otherwise have every entry joined before the page is cut.
    ids = rows.order_by("-stage_id", "entry_id", "id").values_list("pk", flat=True)
    page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
    found = Assignment.objects.select_related("entry", "stage__round").in_bulk(list(page))
    page.object_list = [found[pk] for pk in page.object_list]
    context = {
        "progress": progress,
        "page": page,
        "show": show,
        "choices": MyFilter.base_fields["show"].choices,
    }
    return render(request, "assessment/my_assignments.html", context)


def sheet_editable(assignment: Assignment) -> bool:
    """A sheet is open while unsubmitted and its stage is scoring, or when the chair sent it back
    after the close (the service re-checks both)."""
    if assignment.submitted_at is not None:
        return False
    status = assignment.stage.status
    return status == Stage.Status.SCORING or (
        status == Stage.Status.CLOSED and assignment.reopened_at is not None
    )


@login_required
@require_http_methods(["GET", "POST"])
def scoresheet(request, pk: int):
    assignment, mine = my_assignment_or_refuse(request, pk)
    stage = assignment.stage
    round_ = stage.round
    criteria = list(round_.criteria.all())
    scores = list(assignment.scores.all())
    editable = sheet_editable(assignment)
    field_visit = stage.kind == Stage.Kind.FIELD_VISIT
    form = None
    if editable:
        form = ScoresheetForm(
            request.POST or None,
            initial=scoresheet_initial(assignment, scores),
            round=round_,
            criteria=criteria,
            field_visit=field_visit,
        )
        submitting = request.method == "POST" and form.submitting
        saved = form_saved(
            request,
            form,
            lambda: services.scoresheet_save(
                actor=request.user,
                assignment=assignment,
                values=form.values(),
                comments=form.comments(),
                submit=form.submitting,
                visited_on=form.cleaned_data.get("visited_on"),
                visit_notes=form.cleaned_data.get("visit_notes", ""),
            ),
            success=_("Your scores are submitted. Thank you.")
            if submitting
            else _("Draft saved. You can come back and change it until you submit."),
        )
        if saved:
            return redirect("assessment:scoresheet", assignment.pk)
    elif request.method == "POST":
        raise PermissionDenied(_("This scoresheet can no longer be changed."))
    by_criterion = {score.criterion_id: score for score in scores}
    context = {
        "assignment": assignment,
        "entry": assignment.entry,
        "stage": stage,
        "round": round_,
        "field_visit": field_visit,
        "form": form,
        "rows": form.rows() if form else _read_only_rows(criteria, by_criterion),
        "subject": subject_of(assignment.entry),
        # Before the close the panel's scores are sealed: not even asked for.
        "panel": panel_scores(assignment, criteria, scores) if stage.status in SHARED else None,
        "next_assignment": (
            _next_to_score(mine, assignment) if stage.status == Stage.Status.SCORING else None
        ),
    }
    return render(request, "assessment/scoresheet.html", context)


def _read_only_rows(criteria, by_criterion) -> list[dict]:
    return [{"criterion": c, "own": by_criterion.get(c.pk)} for c in criteria]


def _next_to_score(mine, assignment: Assignment):
    """The juror's next unsubmitted sheet in the same stage, to keep going without the list."""
    return (
        mine.filter(stage_id=assignment.stage_id, submitted_at__isnull=True)
        .exclude(pk=assignment.pk)
        .order_by("entry_id", "id")
        .values("pk")
        .first()
    )
