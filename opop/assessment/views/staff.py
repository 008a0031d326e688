"""What every staff page of the assessment engine shares: fetching objects only through the
rounds the reader may see (IDs in URLs are never trusted), and small display helpers.

The pages themselves live in `staff_rounds.py` (rounds, rubric, panel), `staff_stages.py`
(entries, assignment, progress), `staff_transitions.py` (open, close, publish, carry forward),
`staff_results.py` (ranking, cut-off, export) and `staff_entries.py` (appeals, one entry).
"""

from __future__ import annotations

from decimal import Decimal

from django.shortcuts import get_object_or_404

from opop.assessment import selectors
from opop.assessment.models import Appeal, Assignment, Criterion, Entry, Juror, Stage

RESULTS_VISIBLE = (Stage.Status.CLOSED, Stage.Status.PUBLISHED)
# Entries and assignments change only until scoring closes (the services say so too).
OPEN_FOR_CHANGES = (Stage.Status.SETUP, Stage.Status.SCORING)


def visible_rounds(request):
    return selectors.rounds_visible_to(request.access)


def round_or_404(request, pk: int):
    return get_object_or_404(visible_rounds(request).select_related("programme"), pk=pk)


def stage_or_404(request, pk: int) -> Stage:
    return get_object_or_404(
        Stage.objects.filter(round__in=visible_rounds(request)).select_related("round"), pk=pk
    )


def entry_or_404(request, pk: int) -> Entry:
    return get_object_or_404(
        Entry.objects.filter(stage__round__in=visible_rounds(request)).select_related(
            "stage__round", "regency", "pesantren", "owner", "product", "application", "enterprise"
        ),
        pk=pk,
    )


def criterion_or_404(request, pk: int) -> Criterion:
    return get_object_or_404(
        Criterion.objects.filter(round__in=visible_rounds(request)).select_related("round"),
        pk=pk,
    )


def juror_or_404(request, pk: int) -> Juror:
    return get_object_or_404(
        Juror.objects.filter(round__in=visible_rounds(request)).select_related("round", "user"),
        pk=pk,
    )


def assignment_or_404(request, pk: int) -> Assignment:
    return get_object_or_404(
        Assignment.objects.filter(stage__round__in=visible_rounds(request)).select_related(
            "entry", "juror__user", "stage__round"
        ),
        pk=pk,
    )


def appeal_or_404(request, pk: int) -> Appeal:
    return get_object_or_404(
        Appeal.objects.filter(entry__stage__round__in=visible_rounds(request)).select_related(
            "entry__stage__round"
        ),
        pk=pk,
    )


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def weight_shares(criteria) -> list[tuple]:
    """Each criterion with its weight as a percentage of the rubric's total weight."""
    total = sum(c.weight for c in criteria) or 1
    return [(c, Decimal(100 * c.weight) / total) for c in criteria]
