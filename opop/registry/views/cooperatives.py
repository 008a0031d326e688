"""Cooperative (koppontren) pages: list, detail, create, edit."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from opop.accounts.decorators import require_access
from opop.registry import selectors
from opop.registry.views.common import COOPERATIVE, form_page, list_page
from opop.registry.views.display import field_rows, readable_history

DETAIL_FIELDS = [
    "legal_status",
    "legal_number",
    "legal_date",
    "nik_koperasi",
    "nib",
    "npwp",
    "chair_name",
    "members_count",
    "status",
]


@require_access("reads_registry")
def cooperative_list(request):
    return list_page(request, COOPERATIVE)


@require_access("reads_registry")
def cooperative_detail(request, pk: int):
    access = request.access
    cooperative = get_object_or_404(
        COOPERATIVE.visible(access).select_related("pesantren", "pesantren__regency"), pk=pk
    )
    context = {
        "register": COOPERATIVE,
        "record": cooperative,
        "rows": field_rows(cooperative, DETAIL_FIELDS, access=access),
        "pesantren_visible": selectors.pesantren_visible_to(access)
        .filter(pk=cooperative.pesantren_id)
        .exists(),
        "enterprises": selectors.enterprises_visible_to(access)
        .filter(cooperative=cooperative)
        .select_related("owner"),
        "history": readable_history(cooperative, access=access),
        "may_edit": COOPERATIVE.editable(access).filter(pk=pk).exists(),
    }
    return render(request, "registry/cooperative_detail.html", context)


@require_access("writes_registry")
@require_http_methods(["GET", "POST"])
def cooperative_create(request):
    if not COOPERATIVE.may_create(request.access):
        raise PermissionDenied
    initial = {"pesantren": request.GET.get("pesantren")} if request.GET.get("pesantren") else None
    return form_page(request, COOPERATIVE, initial=initial)


@require_access("writes_registry")
@require_http_methods(["GET", "POST"])
def cooperative_edit(request, pk: int):
    cooperative = get_object_or_404(COOPERATIVE.editable(request.access), pk=pk)
    return form_page(request, COOPERATIVE, instance=cooperative)
