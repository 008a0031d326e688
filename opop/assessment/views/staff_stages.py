"""A stage: its entries, who scores what, juror progress, and the buttons that move it on."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from opop.accounts.decorators import require_access
from opop.assessment import selectors, services
from opop.assessment.forms import AssignmentForm, EntryAddForm
from opop.assessment.models import Assignment, Round, Stage
from opop.assessment.views import staff
from opop.catalog.selectors import products_visible_to
from opop.common.forms import apply_service_errors
from opop.intake.models import Application
from opop.intake.selectors_staff import applications_visible_to

PAGE_SIZE = 50
CANDIDATES_SHOWN = 50
SHORT_SHOWN = 20
APPLICATION_READY = (Application.Status.VERIFIED, Application.Status.ACCEPTED)


def _entries(stage, query: str = ""):
    rows = stage.entries.select_related("regency").annotate(
        assigned=Count("assignments"),
        submitted=Count("assignments", filter=Q(assignments__submitted_at__isnull=False)),
    )
    if query:
        rows = rows.filter(title__icontains=query)
    return rows.order_by("title", "pk")


def short_entries(stage):
    """Entries with fewer jurors than the round asks for."""
    return _entries(stage).filter(assigned__lt=stage.round.jurors_per_entry)


def _candidates(request, stage, query: str) -> dict:
    """Products (and for auditions, applications) of the programme not yet in the stage."""
    products = (
        products_visible_to(request.access)
        .exclude(pk__in=stage.entries.filter(product__isnull=False).values("product_id"))
        .select_related("enterprise")
        .order_by("name", "pk")
    )
    applications = Application.objects.none()
    if stage.round.purpose == Round.Purpose.AUDITION:
        applications = (
            applications_visible_to(request.access)
            .filter(status__in=APPLICATION_READY)
            .exclude(
                pk__in=stage.entries.filter(application__isnull=False).values("application_id")
            )
            .select_related("cohort")
            .order_by("reference")
        )
    if query:
        products = products.filter(name__icontains=query)
        applications = applications.filter(
            Q(reference__icontains=query)
            | Q(pesantren_name__icontains=query)
            | Q(business_name__icontains=query)
        )
    return {"products": products, "applications": applications}


@require_access("reads_assessment")
def stage_detail(request, pk: int):
    stage = staff.stage_or_404(request, pk)
    return _render_stage(request, stage)


def _page(request, stage):
    """The page of entries the reader is on (a POST keeps the page's query string)."""
    query = request.GET.get("q", "").strip()
    entries = _entries(stage, query).prefetch_related(
        Prefetch("assignments", queryset=Assignment.objects.select_related("juror__user"))
    )
    return query, Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))


def _assignment_form(stage, page, form=None):
    """Hand assignment offers the entries of the page being looked at."""
    form = form or AssignmentForm(stage=stage)
    form.fields["entry"].queryset = stage.entries.filter(
        pk__in=[entry.pk for entry in page.object_list]
    ).order_by("title", "pk")
    return form


def _render_stage(request, stage, *, entry_form=None, assignment_form=None, status=200):
    may_run = request.access.runs_assessment
    query, page = _page(request, stage)
    needed = stage.round.jurors_per_entry
    short = short_entries(stage)
    context = {
        "stage": stage,
        "round": stage.round,
        "page": page,
        "query": query,
        "needed": needed,
        "short": short[:SHORT_SHOWN],
        "short_count": short.count(),
        "progress": selectors.juror_progress(stage),
        "may_run": may_run,
        "next_stage": stage.round.stages.filter(position__gt=stage.position).first(),
        "Status": Stage.Status,
    }
    if may_run and stage.status in staff.OPEN_FOR_CHANGES:
        pick = request.GET.get("pq", "").strip()
        found = _candidates(request, stage, pick)
        context |= {
            "pick": pick,
            "candidate_products": found["products"][:CANDIDATES_SHOWN],
            "candidate_applications": found["applications"][:CANDIDATES_SHOWN],
            "entry_form": entry_form,
            "assignment_form": _assignment_form(stage, page, assignment_form),
        }
    return render(request, "assessment/stage_detail.html", context, status=status)


def _closed_refusal(request, stage, message: str):
    messages.error(request, message)
    return redirect("assessment:stage_detail", stage.pk)


@require_access("reads_assessment")
def stage_progress(request, pk: int):
    """The juror progress table alone, refreshed in place by HTMX."""
    stage = staff.stage_or_404(request, pk)
    context = {"stage": stage, "progress": selectors.juror_progress(stage)}
    return render(request, "assessment/_stage_progress.html", context)


@require_access("runs_assessment")
def entry_candidates(request, pk: int):
    """The product/application pickers filtered by name, for the HTMX search box."""
    stage = staff.stage_or_404(request, pk)
    pick = request.GET.get("pq", "").strip()
    found = _candidates(request, stage, pick)
    context = {
        "stage": stage,
        "candidate_products": found["products"][:CANDIDATES_SHOWN],
        "candidate_applications": found["applications"][:CANDIDATES_SHOWN],
    }
    return render(request, "assessment/_stage_candidates.html", context)


@require_access("runs_assessment")
@require_POST
def entry_add(request, pk: int):
    stage = staff.stage_or_404(request, pk)
    if stage.status not in staff.OPEN_FOR_CHANGES:
        return _closed_refusal(
            request, stage, _("Entries can only be added before scoring closes.")
        )
    found = _candidates(request, stage, "")
    form = EntryAddForm(request.POST, **found)
    if not form.is_valid():
        return _render_stage(request, stage, entry_form=form, status=400)
    subjects = [{"product": p} for p in form.cleaned_data["products"]] + [
        {"application": a} for a in form.cleaned_data["applications"]
    ]
    try:
        with transaction.atomic():  # all the picked subjects, or none
            for subject in subjects:
                services.entry_add(actor=request.user, stage=stage, **subject)
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return _render_stage(request, stage, entry_form=form, status=400)
    messages.success(
        request,
        ngettext("%(n)d entry added.", "%(n)d entries added.", len(subjects))
        % {"n": len(subjects)},
    )
    return redirect(reverse("assessment:stage_detail", args=[stage.pk]) + "#entries")


@require_access("runs_assessment")
@require_POST
def assignments_balance(request, pk: int):
    stage = staff.stage_or_404(request, pk)
    try:
        created = services.assignments_balance(actor=request.user, stage=stage)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            ngettext("%(n)d assignment made.", "%(n)d assignments made.", created) % {"n": created},
        )
    return redirect(reverse("assessment:stage_detail", args=[stage.pk]) + "#assignment")


@require_access("runs_assessment")
@require_POST
def assignment_add(request, pk: int):
    """Assign one entry to one juror by hand; a conflict of interest is refused at the form."""
    stage = staff.stage_or_404(request, pk)
    if stage.status not in staff.OPEN_FOR_CHANGES and not staff.is_htmx(request):
        return _closed_refusal(
            request, stage, _("Jurors can only be assigned before scoring closes.")
        )
    form = AssignmentForm(request.POST, stage=stage)
    done = False
    if form.is_valid():
        try:
            services.assignment_add(
                actor=request.user,
                entry=form.cleaned_data["entry"],
                juror=form.cleaned_data["juror"],
            )
            done = True
        except ValidationError as exc:
            apply_service_errors(form, exc)
    if staff.is_htmx(request):
        _query, page = _page(request, stage)
        context = {
            "stage": stage,
            "assignment_form": _assignment_form(stage, page, None if done else form),
            "assigned": form.cleaned_data if done else None,
        }
        return render(request, "assessment/_stage_assignment_form.html", context)
    entry = form.cleaned_data.get("entry")
    if request.POST.get("back") == "entry" and entry is not None:
        # Started from the entry's page: go back there, with the refusal if there was one.
        if done:
            messages.success(request, _("Entry assigned."))
        else:
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("assessment:entry_staff", entry.pk)
    if done:
        messages.success(request, _("Entry assigned."))
        return redirect(reverse("assessment:stage_detail", args=[stage.pk]) + "#assignment")
    return _render_stage(request, stage, assignment_form=form, status=400)


@require_access("runs_assessment")
@require_POST
def assignment_remove(request, pk: int):
    assignment = staff.assignment_or_404(request, pk)
    try:
        services.assignment_remove(actor=request.user, assignment=assignment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Assignment removed."))
    return redirect("assessment:entry_staff", assignment.entry_id)
