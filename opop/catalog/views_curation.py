"""The product page's curation panel and its "Submit for curation" button."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opop.accounts.decorators import require_access
from opop.catalog import curation, selectors


def curation_context(product, *, may_edit: bool) -> dict:
    """What the product page shows of curation: the status, and for its keeper the way in."""
    stage = curation.curation_open_stage(product.programme) if may_edit else None
    may_submit = bool(stage) and curation.curation_refusal(product) is None
    return {
        "curation": curation.curation_status(product),
        "curation_stage": stage if may_submit else None,
        "curation_missing": curation.curation_missing(product) if may_submit else [],
    }


@require_access("writes_registry")
@require_POST
def curation_submit(request, pk: int):
    product = get_object_or_404(selectors.products_editable_by(request.access), pk=pk)
    try:
        curation.curation_submit(actor=request.user, product=product)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The product was submitted for curation."))
    return redirect(reverse("catalog:product_detail", args=[product.pk]) + "#curation")
