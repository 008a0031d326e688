"""Reviews of the seller's products, with their one reply each."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opop.accounts.decorators import require_access
from opop.mart import selectors_seller as selectors
from opop.mart.forms_seller import ReplyForm
from opop.mart.services.reviews import review_reply

PAGE_SIZE = 20


@require_access("sells")
def seller_reviews(request):
    rows = (
        selectors.reviews_of_seller(request.access)
        .select_related("product", "buyer", "line__order")
        .order_by("reply", "-created_at")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "mart/seller_reviews.html", {"page": page, "reply_form": ReplyForm()})


@require_POST
@require_access("sells")
def seller_review_reply(request, pk: int):
    review = get_object_or_404(selectors.reviews_of_seller(request.access), pk=pk)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a reply."))
    else:
        try:
            review_reply(actor=request.user, review=review, text=form.cleaned_data["reply"])
        except (ValidationError, PermissionDenied) as exc:
            text = " ".join(getattr(exc, "messages", [])) or _("You cannot reply to this review.")
            messages.error(request, text)
        else:
            messages.success(request, _("Your reply is published."))
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("mart:seller_reviews")
