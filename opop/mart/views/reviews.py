"""Buyers write reviews of what they received; programme admins moderate them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from opop.accounts.decorators import require_access
from opop.common.forms import apply_service_errors
from opop.mart.forms_seller import ModerateForm, ReviewForm
from opop.mart.models import OrderLine, Review
from opop.mart.services.reviews import REVIEWABLE, review_moderate, review_write

PAGE_SIZE = 25


def _back(request, fallback: str = "/mart/"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


@login_required
@require_http_methods(["GET", "POST"])
def review_write_page(request, line_id: int):
    # Another buyer's line is a 404: its existence is not theirs to learn.
    line = get_object_or_404(
        OrderLine.objects.select_related("order__seller", "product"),
        pk=line_id,
        order__buyer=request.user,
    )
    existing = Review.objects.filter(line=line).first()
    refusal = None
    if existing:
        refusal = _("You have already reviewed this product for this order.")
    elif line.order.status not in REVIEWABLE:
        refusal = _("You can review a product once you have received it.")
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            review_write(
                actor=request.user,
                line=line,
                rating=form.cleaned_data["rating"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Thank you, your review is published."))
            return redirect(_back(request))
    context = {
        "line": line,
        "form": form,
        "refusal": refusal,
        "review": existing,
        "next": _back(request, ""),
    }
    return render(
        request,
        "mart/review_form.html",
        context,
        status=400 if refusal and request.method == "POST" else 200,
    )


@require_access("administers_programme")
def review_moderation(request):
    status = request.GET.get("status", "")
    rows = (
        Review.objects.filter(product__programme_id=request.access.programme_id)
        .select_related("product__enterprise", "buyer")
        .order_by("-created_at", "-pk")
    )
    if status in Review.Status.values:
        rows = rows.filter(status=status)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "status": status, "statuses": Review.Status.choices}
    return render(request, "mart/review_moderation.html", context)


@require_POST
@require_access("administers_programme")
def review_moderate_action(request, pk: int):
    review = get_object_or_404(
        Review.objects.filter(product__programme_id=request.access.programme_id), pk=pk
    )
    form = ModerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid status."))
    else:
        try:
            review_moderate(
                actor=request.user,
                review=review,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["moderation_note"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except PermissionDenied:
            raise
        else:
            messages.success(request, _("Review updated."))
    return redirect(_back(request, reverse("mart:review_moderation")))
