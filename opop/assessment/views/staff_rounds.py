"""Rounds, their rubric, stages and panel: read by runners and auditors, changed by runners."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from opop.accounts.decorators import require_access
from opop.assessment import services
from opop.assessment.forms import CriterionForm, JurorForm, RoundFilterForm, RoundForm, StageForm
from opop.assessment.views import staff
from opop.common.forms import form_saved
from opop.programmes.models import Partner

PAGE_SIZE = 25


@require_access("reads_assessment")
def round_list(request):
    filters = RoundFilterForm(request.GET)
    rows = filters.apply(staff.visible_rounds(request)).annotate(
        stage_count=Count("stages", distinct=True), juror_count=Count("jurors", distinct=True)
    )
    page = Paginator(rows.order_by("-year", "name", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"filters": filters, "page": page, "may_run": request.access.runs_assessment}
    return render(request, "assessment/round_list.html", context)


@require_access("reads_assessment")
def round_detail(request, pk: int):
    round_ = staff.round_or_404(request, pk)
    return _render_round(request, round_)


def _render_round(request, round_, criterion_form=None):
    criteria = list(round_.criteria.all())
    jurors = list(round_.jurors.select_related("user", "partner").prefetch_related("affiliations"))
    stages = round_.stages.annotate(entry_count=Count("entries")).order_by("position")
    frozen = services.rubric_is_frozen(round_)
    may_run = request.access.runs_assessment
    context = {
        "round": round_,
        "criteria": staff.weight_shares(criteria),
        "total_weight": sum(c.weight for c in criteria),
        "stages": stages,
        "jurors": jurors,
        "balance": _panel_balance(jurors),
        "frozen": frozen,
        "may_run": may_run,
        "criterion_form": (criterion_form or CriterionForm(initial={"position": len(criteria) + 1}))
        if may_run and not frozen
        else None,
    }
    return render(request, "assessment/round_detail.html", context)


def _panel_balance(jurors) -> list[dict]:
    """Active jurors per Penta Helix group, every group listed (an empty one is a warning)."""
    active = [j for j in jurors if j.is_active]
    return [
        {
            "group": value,
            "label": label,
            "count": sum(1 for j in active if j.group == value),
            "share": round(100 * sum(1 for j in active if j.group == value) / len(active))
            if active
            else 0,
        }
        for value, label in Partner.Kind.choices
    ]


def _round_form(request, instance=None):
    form = RoundForm(request.POST or None, instance=instance)
    saved = form_saved(
        request,
        form,
        lambda: services.round_save(
            actor=request.user,
            programme=request.access.programme,
            data=form.service_data(),
            instance=instance,
        ),
        success=_("Round saved."),
    )
    if saved:
        return redirect("assessment:round_detail", saved.pk)
    return render(request, "assessment/round_form.html", {"form": form, "instance": instance})


@require_access("runs_assessment")
@require_http_methods(["GET", "POST"])
def round_create(request):
    return _round_form(request)


@require_access("runs_assessment")
@require_http_methods(["GET", "POST"])
def round_edit(request, pk: int):
    return _round_form(request, instance=staff.round_or_404(request, pk))


# --- Rubric ----------------------------------------------------------------------------------


@require_access("runs_assessment")
@require_POST
def criterion_add(request, pk: int):
    round_ = staff.round_or_404(request, pk)
    form = CriterionForm(request.POST)
    saved = form_saved(
        request,
        form,
        lambda: services.criterion_save(actor=request.user, round=round_, data=form.cleaned_data),
        success=_("Criterion added."),
    )
    if saved:
        return redirect(reverse("assessment:round_detail", args=[round_.pk]) + "#rubric")
    return _render_round(request, round_, criterion_form=form)


@require_access("runs_assessment")
@require_http_methods(["GET", "POST"])
def criterion_edit(request, pk: int):
    criterion = staff.criterion_or_404(request, pk)
    round_ = criterion.round
    form = CriterionForm(request.POST or None, instance=criterion)
    saved = form_saved(
        request,
        form,
        lambda: services.criterion_save(
            actor=request.user, round=round_, data=form.cleaned_data, instance=criterion
        ),
        success=_("Criterion saved."),
    )
    if saved:
        return redirect(reverse("assessment:round_detail", args=[round_.pk]) + "#rubric")
    context = {"form": form, "round": round_, "title": _("Edit criterion")}
    return render(request, "assessment/round_part_form.html", context)


@require_access("runs_assessment")
@require_POST
def criterion_delete(request, pk: int):
    criterion = staff.criterion_or_404(request, pk)
    try:
        services.criterion_delete(actor=request.user, criterion=criterion)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Criterion deleted."))
    return redirect(reverse("assessment:round_detail", args=[criterion.round_id]) + "#rubric")


# --- Stages ----------------------------------------------------------------------------------


def _stage_form(request, round_, instance=None):
    initial = None if instance else {"position": round_.stages.count() + 1}
    form = StageForm(request.POST or None, instance=instance, initial=initial)
    saved = form_saved(
        request,
        form,
        lambda: services.stage_save(
            actor=request.user, round=round_, data=form.cleaned_data, instance=instance
        ),
        success=_("Stage saved."),
    )
    if saved:
        return redirect("assessment:stage_detail", saved.pk)
    title = _("Edit stage") if instance else _("New stage")
    context = {"form": form, "round": round_, "title": title, "stage": instance}
    return render(request, "assessment/round_part_form.html", context)


@require_access("runs_assessment")
@require_http_methods(["GET", "POST"])
def stage_create(request, pk: int):
    return _stage_form(request, staff.round_or_404(request, pk))


@require_access("runs_assessment")
@require_http_methods(["GET", "POST"])
def stage_edit(request, pk: int):
    stage = staff.stage_or_404(request, pk)
    return _stage_form(request, stage.round, instance=stage)


# --- Panel -----------------------------------------------------------------------------------


def _juror_form(request, round_, juror=None):
    form = JurorForm(request.POST or None, access=request.access, juror=juror)
    saved = form_saved(
        request,
        form,
        lambda: services.juror_save(
            actor=request.user,
            round=round_,
            user=form.cleaned_data["user"],
            group=form.cleaned_data["group"],
            partner=form.cleaned_data["partner"],
            is_chair=form.cleaned_data["is_chair"],
            affiliation_ids=[p.pk for p in form.cleaned_data["affiliation_ids"]],
        ),
        success=_("Panel updated."),
    )
    if saved:
        return redirect(reverse("assessment:round_detail", args=[round_.pk]) + "#panel")
    title = _("Edit juror") if juror else _("Add a juror")
    context = {"form": form, "round": round_, "title": title, "juror": juror}
    return render(request, "assessment/round_juror_form.html", context)


@require_access("runs_assessment")
@require_http_methods(["GET", "POST"])
def juror_add(request, pk: int):
    return _juror_form(request, staff.round_or_404(request, pk))


@require_access("runs_assessment")
@require_http_methods(["GET", "POST"])
def juror_edit(request, pk: int):
    juror = staff.juror_or_404(request, pk)
    return _juror_form(request, juror.round, juror=juror)
