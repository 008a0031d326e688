"""Pages of facilitator visits: the list, the offline-capable new-report page (whose POST is
also the phone's idempotent send), a report with its photos and review, the edit page of a
returned report, action items done, and overdue action items."""

from __future__ import annotations

import json
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opop.accounts.decorators import require_access
from opop.accounts.models import Role
from opop.common.forms import apply_service_errors
from opop.visits import selectors
from opop.visits.forms import NewVisitForm, ReviewForm, VisitForm
from opop.visits.models import Purpose, Visit
from opop.visits.photos import MAX_PHOTOS, photos_cleaned
from opop.visits.services.visits import (
    action_item_set_done,
    visit_resubmit,
    visit_review,
    visit_submit,
)

PAGE_SIZE = 25
EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png"}
BLANK_ITEM_ROWS = 3


def reads_visits(view):
    """Facilitators, supervisors and auditors; everyone else is refused (403)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        access = request.access
        if not access or not (
            access.writes_visits or access.supervises_visits or access.role == Role.AUDITOR
        ):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@reads_visits
@require_GET
def visit_list(request):
    access = request.access
    status = request.GET.get("status", "")
    if status not in Visit.Status.values:
        status = ""
    rows = selectors.visit_rows(access, status=status)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "visits/list.html",
        {
            "page": page,
            "status": status,
            "statuses": Visit.Status.choices,
            "overdue_count": selectors.overdue_items(access).count(),
            "writes": access.writes_visits,
        },
    )


def _wants_json(request) -> bool:
    return request.content_type == "application/json" or "application/json" in request.headers.get(
        "Accept", ""
    )


@require_access("writes_visits")
@require_http_methods(["GET", "POST"])
def visit_new(request):
    access = request.access
    choices = selectors.pesantren_for_visits(access)
    if request.method == "GET":
        return render(
            request,
            "visits/new.html",
            {
                "form": NewVisitForm(pesantren_choices=choices),
                "pesantren": list(choices.values("id", "name")),
                "purposes": Purpose.choices,
                "max_photos": MAX_PHOTOS,
                "blank_items": range(BLANK_ITEM_ROWS),
            },
        )
    as_json = _wants_json(request)
    files = request.FILES.getlist("photos")
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            return JsonResponse(
                {"errors": {"__all__": [_("The report could not be read.")]}}, status=400
            )
        if not isinstance(data, dict):
            data = {}
        files = []
    else:
        data = request.POST
    form = NewVisitForm(data, pesantren_choices=choices)
    visit = None
    if form.is_valid():
        # A resend of a report already received: answer at once, without decoding its photos
        # again (the service would return the same report).
        visit = selectors.visit_sent_before(request.user, form.cleaned_data["client_uuid"])
        created = False
    if visit is None and form.is_valid():
        try:
            photos = photos_cleaned(files)
            visit, created = visit_submit(
                actor=request.user,
                access=access,
                pesantren=form.cleaned_data["pesantren"],
                client_uuid=form.cleaned_data["client_uuid"],
                visited_on=form.cleaned_data["visited_on"],
                purpose=form.cleaned_data["purpose"],
                purpose_other=form.cleaned_data["purpose_other"],
                notes=form.cleaned_data["notes"],
                location=form.cleaned_data.get("location"),
                items=form.cleaned_data["items"],
                photos=photos,
            )
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                exc = ValidationError({"photos": exc.messages})
            apply_service_errors(form, exc)
    if visit is None:
        if as_json:
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
        return render(
            request,
            "visits/new.html",
            {
                "form": form,
                "pesantren": list(choices.values("id", "name")),
                "purposes": Purpose.choices,
                "max_photos": MAX_PHOTOS,
                "blank_items": range(BLANK_ITEM_ROWS),
            },
            status=400,
        )
    url = reverse("visits:detail", args=[visit.pk])
    if as_json:
        return JsonResponse(
            {"id": visit.pk, "url": url, "created": created, "client_uuid": str(visit.client_uuid)},
            status=201 if created else 200,
        )
    messages.success(request, _("The visit report was sent."))
    return redirect(url)


def _visible(request, pk: int) -> Visit:
    return get_object_or_404(
        selectors.visits_visible_to(request.access).select_related(
            "pesantren", "pesantren__regency", "facilitator", "reviewed_by"
        ),
        pk=pk,
    )


@reads_visits
@require_GET
def visit_detail(request, pk: int):
    access = request.access
    visit = _visible(request, pk)
    may_review = (
        access.supervises_visits
        and visit.status == Visit.Status.SUBMITTED
        and selectors.visits_reviewable_by(access).filter(pk=visit.pk).exists()
    )
    return render(
        request,
        "visits/detail.html",
        {
            "visit": visit,
            "items": list(visit.action_items.all()),
            "photos": list(visit.photos.all()),
            "today": selectors.local_today(),
            "review_form": ReviewForm() if may_review else None,
            "may_edit": access.writes_visits and visit.status == Visit.Status.RETURNED,
            "may_mark": access.writes_visits or access.supervises_visits,
        },
    )


@require_access("supervises_visits")
@require_POST
def visit_review_view(request, pk: int):
    visit = get_object_or_404(selectors.visits_reviewable_by(request.access), pk=pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            visit_review(
                actor=request.user,
                access=request.access,
                visit=visit,
                decision=form.cleaned_data["decision"],
                note=form.cleaned_data["review_note"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if form.cleaned_data["decision"] == Visit.Status.REVIEWED:
                messages.success(request, _("The report is marked reviewed."))
            else:
                messages.success(request, _("The report was returned to the facilitator."))
    else:
        messages.error(request, _("Choose whether the report is reviewed or returned."))
    return redirect("visits:detail", pk=visit.pk)


@require_access("writes_visits")
@require_http_methods(["GET", "POST"])
def visit_edit(request, pk: int):
    visit = get_object_or_404(
        selectors.visits_editable_by(request.access).select_related("pesantren"), pk=pk
    )
    photos = list(visit.photos.all())
    if request.method == "POST":
        form = VisitForm(request.POST)
        if form.is_valid():
            try:
                remove = [int(v) for v in request.POST.getlist("remove_photo") if v.isdigit()]
                visit_resubmit(
                    actor=request.user,
                    access=request.access,
                    visit=visit,
                    visited_on=form.cleaned_data["visited_on"],
                    purpose=form.cleaned_data["purpose"],
                    purpose_other=form.cleaned_data["purpose_other"],
                    notes=form.cleaned_data["notes"],
                    items=form.cleaned_data["items"],
                    photos=photos_cleaned(request.FILES.getlist("photos")),
                    remove_photo_ids=remove,
                )
            except ValidationError as exc:
                if not hasattr(exc, "error_dict"):
                    exc = ValidationError({"photos": exc.messages})
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("The corrected report was sent for review."))
                return redirect("visits:detail", pk=visit.pk)
        item_rows = _item_rows_from(request.POST)
    else:
        form = VisitForm(
            initial={
                "visited_on": visit.visited_on,
                "purpose": visit.purpose,
                "purpose_other": visit.purpose_other,
                "notes": visit.notes,
            }
        )
        item_rows = [
            {"text": i.text, "due_on": i.due_on.isoformat(), "responsible": i.responsible}
            for i in visit.action_items.all()
        ]
    item_rows += [{"text": "", "due_on": "", "responsible": ""}] * BLANK_ITEM_ROWS
    return render(
        request,
        "visits/edit.html",
        {
            "visit": visit,
            "form": form,
            "photos": photos,
            "item_rows": item_rows,
            "max_photos": MAX_PHOTOS,
        },
    )


def _item_rows_from(data: QueryDict) -> list[dict]:
    from opop.visits.forms import _items_raw

    return [row for row in _items_raw(data) if any(str(v).strip() for v in row.values())]


@reads_visits
@require_GET
def visit_photo(request, pk: int, photo_pk: int):
    visit = _visible(request, pk)
    photo = get_object_or_404(visit.photos, pk=photo_pk)
    try:
        handle = photo.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        filename=f"visit-{visit.pk}-{photo.pk}{EXTENSIONS.get(photo.content_type, '')}",
        content_type=photo.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def item_done(request, pk: int):
    access = request.access
    item = get_object_or_404(selectors.items_changeable_by(access), pk=pk)
    action_item_set_done(
        actor=request.user, access=access, item=item, done=request.POST.get("done") == "1"
    )
    target = request.POST.get("next", "")
    if target == "overdue":
        return redirect("visits:overdue")
    return redirect("visits:detail", pk=item.visit_id)


@reads_visits
@require_GET
def overdue(request):
    access = request.access
    rows = selectors.overdue_items(access)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "visits/overdue.html",
        {
            "page": page,
            "today": selectors.local_today(),
            "may_mark": access.writes_visits or access.supervises_visits,
        },
    )
