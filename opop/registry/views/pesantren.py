"""Pesantren pages: list, detail (with cooperatives, people, enterprises, participation and
history), create, edit."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from opop.accounts.decorators import require_access
from opop.registry import selectors
from opop.registry.views.common import PESANTREN, form_page, list_page
from opop.registry.views.display import field_rows, readable_history

DETAIL_FIELDS = [
    "nspp",
    "kind",
    "regency",
    "district",
    "address",
    "leader_name",
    "phone",
    "email",
    "founded_year",
    "santri_count",
    "status",
]
RELATED_ROWS = 25


@require_access("reads_registry")
def pesantren_list(request):
    return list_page(request, PESANTREN)


def _related(access, pesantren) -> dict:
    people = selectors.people_visible_to(access).filter(pesantren=pesantren)
    enterprises = selectors.enterprises_visible_to(access).filter(
        Q(pesantren=pesantren) | Q(owner__pesantren=pesantren)
    )
    return {
        "cooperatives": selectors.cooperatives_visible_to(access).filter(pesantren=pesantren),
        "people": people.select_related("regency").order_by("full_name", "id")[:RELATED_ROWS],
        "people_more": people[RELATED_ROWS : RELATED_ROWS + 1].exists(),
        "enterprises": enterprises.select_related("owner").order_by("name", "id")[:RELATED_ROWS],
        "enterprises_more": enterprises[RELATED_ROWS : RELATED_ROWS + 1].exists(),
        "participations": selectors.participations_visible_to(access).filter(
            pesantren=pesantren, person__isnull=True
        ),
    }


@require_access("reads_registry")
def pesantren_detail(request, pk: int):
    access = request.access
    pesantren = get_object_or_404(
        PESANTREN.visible(access).select_related("regency", "district"), pk=pk
    )
    may_edit = PESANTREN.editable(access).filter(pk=pk).exists()
    context = {
        "register": PESANTREN,
        "record": pesantren,
        "rows": field_rows(pesantren, DETAIL_FIELDS, access=access),
        "history": readable_history(pesantren, access=access),
        "may_edit": may_edit,
        "may_edit_participations": may_edit and selectors.may_edit_participations(access),
        "may_add_records": may_edit and selectors.may_create_in_scope(access),
        **_related(access, pesantren),
    }
    return render(request, "registry/pesantren_detail.html", context)


@require_access("writes_registry")
@require_http_methods(["GET", "POST"])
def pesantren_create(request):
    if not PESANTREN.may_create(request.access):
        raise PermissionDenied
    return form_page(request, PESANTREN)


@require_access("writes_registry")
@require_http_methods(["GET", "POST"])
def pesantren_edit(request, pk: int):
    pesantren = get_object_or_404(PESANTREN.editable(request.access), pk=pk)
    return form_page(request, PESANTREN, instance=pesantren)
