"""Certification tracker pages: the board, the staff list, a track's page with its history and
moves, starting or renewing a track, and the halal self-declare check."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from opop.accounts.decorators import require_access
from opop.certtracker import forms, rules, selectors, services
from opop.certtracker.models import TrackStatus
from opop.common.forms import apply_service_errors
from opop.registry.selectors import enterprises_visible_to, pesantren_visible_to

PAGE_SIZE = 25
BOARD_COLUMN = 30


@require_access("reads_coaching")
def board(request):
    """Current tracks in scope by shown status; `?pesantren=` narrows to one pesantren."""
    access = request.access
    today = timezone.localdate()
    tracks = selectors.current(selectors.tracks_visible_to(access))
    pesantren = None
    if request.GET.get("pesantren", "").isdigit():
        pesantren = get_object_or_404(pesantren_visible_to(access), pk=request.GET["pesantren"])
        tracks = tracks.filter(pesantren=pesantren)
    counts = dict(
        selectors.with_shown_status(tracks, today)
        .values("shown")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("shown", "n")
    )
    rows = tracks.select_related("product", "certification")
    columns = []
    for code, label in rules.SHOWN_STATUSES:
        cards = []
        if counts.get(code):
            cards = list(
                selectors.filtered(rows, shown=code, today=today).order_by("-status_on", "-id")[
                    :BOARD_COLUMN
                ]
            )
        columns.append({"code": code, "label": label, "count": counts.get(code, 0), "cards": cards})
    context = {
        "columns": columns,
        "pesantren": pesantren,
        "may_start": selectors.products_trackable_by(access).exists(),
        "staff": selectors.reads_staff_list(access),
        "today": today,
    }
    return render(request, "certtracker/board.html", context)


@require_access("reads_coaching")
def track_list(request):
    access = request.access
    if not selectors.reads_staff_list(access):
        raise PermissionDenied
    today = timezone.localdate()
    filters = forms.TrackFilterForm(request.GET, regencies=selectors.regencies_offered(access))
    tracks = selectors.filtered(
        selectors.current(selectors.tracks_visible_to(access)), today=today, **filters.values()
    )
    rows = (
        selectors.with_shown_status(tracks, today)
        .select_related("product", "product__enterprise", "regency", "certification")
        .order_by("-status_on", "-id")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for track in page.object_list:
        track.shown_label = rules.SHOWN_LABELS.get(track.shown, track.shown)
    return render(request, "certtracker/list.html", {"filters": filters, "page": page})


def _detail_context(request, track, move_form=None):
    access = request.access
    today = timezone.localdate()
    expires = track.certification.expires_on if track.certification else None
    shown = rules.shown_status(track.status, expires, today)
    movable = (
        not track.superseded and selectors.tracks_movable_by(access).filter(pk=track.pk).exists()
    )
    if movable and rules.MOVES.get(track.status) and move_form is None:
        move_form = forms.TrackMoveForm(status=track.status)
    return {
        "track": track,
        "shown": shown,
        "shown_label": rules.SHOWN_LABELS[shown],
        "steps": selectors.track_history(track),
        "earlier": selectors.predecessors(track),
        "move_form": move_form if movable else None,
        "may_renew": movable and shown in {rules.EXPIRING, rules.EXPIRED, TrackStatus.REJECTED},
        "is_halal": track.kind == "halal",
    }


def _visible_track(request, pk: int):
    return get_object_or_404(
        selectors.tracks_visible_to(request.access).select_related(
            "product", "product__enterprise", "regency", "pesantren", "certification", "renews"
        ),
        pk=pk,
    )


@require_access("reads_coaching")
def track_detail(request, pk: int):
    track = _visible_track(request, pk)
    return render(request, "certtracker/detail.html", _detail_context(request, track))


@require_access("reads_coaching")
@require_POST
def track_move(request, pk: int):
    track = _visible_track(request, pk)
    if not selectors.tracks_movable_by(request.access).filter(pk=track.pk).exists():
        raise PermissionDenied
    form = forms.TrackMoveForm(request.POST, status=track.status)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.track_move(
                actor=request.user,
                track=track,
                to_status=data["to_status"],
                on=data["on"],
                note=data["note"],
                authority_reference=data["authority_reference"],
                number=data.get("number") or "",
                issued_on=data.get("issued_on"),
                expires_on=data.get("expires_on"),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Track moved."))
            return redirect("certtracker:detail", pk=track.pk)
    context = _detail_context(request, track, move_form=form)
    return render(request, "certtracker/detail.html", context, status=400)


@require_access("reads_coaching")
@require_POST
def track_renew(request, pk: int):
    track = _visible_track(request, pk)
    if not selectors.tracks_movable_by(request.access).filter(pk=track.pk).exists():
        raise PermissionDenied
    try:
        new = services.track_start(actor=request.user, product=track.product, kind=track.kind)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("certtracker:detail", pk=track.pk)
    messages.success(request, _("Renewal planned."))
    return redirect("certtracker:detail", pk=new.pk)


@require_access("reads_coaching")
@require_http_methods(["GET", "POST"])
def track_start(request):
    products = selectors.products_trackable_by(request.access)
    if not products.exists():
        raise PermissionDenied
    initial = {k: request.GET[k] for k in ("product", "kind") if request.GET.get(k)}
    form = forms.TrackStartForm(request.POST or None, initial=initial, products=products)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            track = services.track_start(
                actor=request.user,
                product=data["product"],
                kind=data["kind"],
                on=data["on"],
                note=data["note"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Certification planned."))
            return redirect("certtracker:detail", pk=track.pk)
    return render(request, "certtracker/start.html", {"form": form})


@require_access("reads_coaching")
def eligibility(request):
    """The halal self-declare check: a few questions plus what the registry knows."""
    enterprises = enterprises_visible_to(request.access)
    form = forms.EligibilityForm(request.GET or None, enterprises=enterprises)
    result = None
    if request.GET and form.is_valid():
        data = form.cleaned_data
        enterprise = data["enterprise"]
        result = rules.halal_self_declare(
            nib=enterprise.nib if enterprise else None,
            monthly_revenue=enterprise.monthly_revenue if enterprise else None,
            small_business=data["small_business"],
            simple_process=data["simple_process"],
            low_risk_ingredients=data["low_risk_ingredients"],
            slaughtering=data["slaughtering"],
        )
    return render(request, "certtracker/eligibility.html", {"form": form, "result": result})
