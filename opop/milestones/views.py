"""Milestone pages: a pesantren's checklist (claims and decisions on it), the evidence download,
the verification queue, progress by kab/kota, and the checklist editor for programme admins.

Who may do what is decided in `selectors`; a pesantren outside the reader's scope (or another
programme's) is a 404, a page the role may not use at all a 403.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opop.common.forms import apply_service_errors
from opop.common.uploads import EXTENSIONS
from opop.milestones import selectors, services
from opop.milestones.forms import ClaimForm, DecisionForm, ItemForm
from opop.milestones.models import Level, PesantrenMilestone
from opop.regions.models import Region

PAGE_SIZE = 25


def _require(check):
    """Log in, then require `check(request.access)`; 403 otherwise."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not check(getattr(request, "access", None)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


@_require(selectors.reads_milestones)
@require_GET
def index(request):
    access = request.access
    if selectors.reads_queue(access):
        return redirect("milestones:progress")
    own = selectors.pesantren_readable_by(access).order_by("pk").first()
    if own is None:
        raise Http404
    return redirect("milestones:checklist", own.pk)


@_require(selectors.reads_milestones)
@require_GET
@never_cache
def checklist(request, pk: int):
    access = request.access
    pesantren = get_object_or_404(
        selectors.pesantren_readable_by(access).select_related("regency"), pk=pk
    )
    may_claim = selectors.pesantren_claimable_by(access).filter(pk=pk).exists()
    may_verify = selectors.pesantren_verifiable_by(access).filter(pk=pk).exists()
    level_row = selectors.level_of(pesantren)
    context = {
        "pesantren": pesantren,
        "level": Level(level_row.level if level_row else 0),
        "level_row": level_row,
        "groups": selectors.checklist_rows(pesantren),
        "may_claim": may_claim,
        "may_verify": may_verify,
        "claim_form": ClaimForm(),
        "decision_form": DecisionForm(),
        "max_mb": services.evidence_max_bytes() // (1024 * 1024),
        "claimable": PesantrenMilestone.CLAIMABLE,
    }
    return render(request, "milestones/checklist.html", context)


@_require(selectors.claims_milestones)
@require_POST
def claim(request, pk: int, item_id: int):
    access = request.access
    pesantren = get_object_or_404(selectors.pesantren_claimable_by(access), pk=pk)
    item = get_object_or_404(selectors.items_of(pesantren.programme_id), pk=item_id)
    form = ClaimForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.milestone_claim(
                actor=request.user,
                pesantren=pesantren,
                item=item,
                note=form.cleaned_data["note"],
                upload=form.cleaned_data["evidence"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
    if form.errors:
        messages.error(request, _error_text(form))
    else:
        messages.success(request, _("Claim sent: it waits for verification."))
    return redirect(f"{_checklist_url(pesantren.pk)}#item-{item.pk}")


@_require(selectors.reads_milestones)
@require_GET
@never_cache
def evidence(request, pk: int, item_id: int):
    pesantren = get_object_or_404(selectors.pesantren_readable_by(request.access), pk=pk)
    row = get_object_or_404(PesantrenMilestone, pesantren=pesantren, item_id=item_id)
    if not row.evidence:
        raise Http404
    extension = EXTENSIONS.get(row.evidence_type, "bin")
    response = FileResponse(
        row.evidence.open("rb"),
        as_attachment=True,
        filename=f"{row.item.code}-{pesantren.pk}.{extension}",
        content_type=row.evidence_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@_require(selectors.verifies_milestones)
@require_POST
def decide(request, claim_id: int):
    access = request.access
    claim_row = get_object_or_404(
        PesantrenMilestone.objects.filter(
            programme_id=access.programme_id,
            pesantren__in=selectors.pesantren_verifiable_by(access).order_by().values("pk"),
        ),
        pk=claim_id,
    )
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.milestone_decide(
                actor=request.user,
                claim=claim_row,
                verify=form.cleaned_data["decision"] == "verify",
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
    if form.errors:
        messages.error(request, _error_text(form))
    elif form.cleaned_data["decision"] == "verify":
        messages.success(request, _("Verified."))
    else:
        messages.success(request, _("Rejected; the cooperative manager is told why."))
    if request.POST.get("next") == "queue":
        return redirect("milestones:queue")
    return redirect(f"{_checklist_url(claim_row.pesantren_id)}#item-{claim_row.item_id}")


@_require(selectors.reads_queue)
@require_GET
@never_cache
def queue(request):
    access = request.access
    regency = request.GET.get("regency", "") if access.is_programme_wide else ""
    rows = selectors.queue_rows(access, regency=regency)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "may_verify": selectors.verifies_milestones(access),
        "decision_form": DecisionForm(),
        "regencies": _regencies(access) if access.is_programme_wide else [],
        "regency": regency,
    }
    return render(request, "milestones/queue.html", context)


@_require(selectors.reads_queue)
@require_GET
def progress(request):
    access = request.access
    regency = request.GET.get("regency", "")
    try:
        level = int(request.GET["level"]) if request.GET.get("level") else None
    except ValueError:
        level = None
    if level is not None and level not in Level.values:
        level = None
    rows = selectors.progress_by_regency(access)
    totals = [sum(row["levels"][lvl] for row in rows) for lvl in Level.values]
    listing = None
    if regency or level is not None:
        listing = Paginator(
            selectors.pesantren_with_levels(access, regency=regency, level=level), PAGE_SIZE
        ).get_page(request.GET.get("page"))
    context = {
        "rows": rows,
        "totals": totals,
        "grand_total": sum(row["total"] for row in rows),
        "levels": Level.choices,
        "regency": regency,
        "level": level,
        "listing": listing,
        "may_edit": selectors.edits_checklist(access),
    }
    return render(request, "milestones/progress.html", context)


@_require(selectors.edits_checklist)
@require_GET
def items(request):
    rows = selectors.checklist_items(request.access)
    return render(request, "milestones/items.html", {"items": rows})


@_require(selectors.edits_checklist)
@require_http_methods(["GET", "POST"])
def item_edit(request, item_id: int | None = None):
    access = request.access
    item = None
    if item_id is not None:
        item = get_object_or_404(selectors.checklist_items(access), pk=item_id)
    form = ItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_item_save(
                actor=request.user, programme=access.programme, data=form.cleaned_data, item=item
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Checklist item saved."))
            return redirect("milestones:items")
    return render(request, "milestones/item_form.html", {"form": form, "item": item})


def _checklist_url(pk: int) -> str:
    return reverse("milestones:checklist", args=[pk])


def _error_text(form) -> str:
    return " ".join(str(message) for errors in form.errors.values() for message in errors)


def _regencies(access):
    return list(
        Region.objects.filter(
            level=Region.Level.REGENCY, parent_id=access.programme.province_id
        ).order_by("code")
    )
