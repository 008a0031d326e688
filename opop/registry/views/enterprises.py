"""Enterprise pages: list, detail, create, edit."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from opop.accounts.decorators import require_access
from opop.registry import selectors
from opop.registry.views.common import ENTERPRISE, form_page, list_page
from opop.registry.views.display import field_rows, readable_history

DETAIL_FIELDS = [
    "sector",
    "description",
    "nib",
    "regency",
    "started_year",
    "employees",
    "monthly_revenue",
    "status",
]


@require_access("reads_registry")
def enterprise_list(request):
    return list_page(request, ENTERPRISE)


def _linked(access, enterprise) -> list[dict]:
    """Owner, pesantren and cooperative; a link only to those the reader may open."""
    linked = []
    for name, key, selector in (
        ("owner", "person", selectors.people_visible_to),
        ("pesantren", "pesantren", selectors.pesantren_visible_to),
        ("cooperative", "cooperative", selectors.cooperatives_visible_to),
    ):
        related = getattr(enterprise, name)
        if related is None:
            continue
        may_open = selector(access).filter(pk=related.pk).exists()
        linked.append(
            {
                "label": enterprise._meta.get_field(name).verbose_name,
                "name": str(related),
                "url": reverse(f"registry:{key}_detail", args=[related.pk]) if may_open else "",
            }
        )
    return linked


@require_access("reads_registry")
def enterprise_detail(request, pk: int):
    access = request.access
    enterprise = get_object_or_404(
        ENTERPRISE.visible(access).select_related("owner", "pesantren", "cooperative", "regency"),
        pk=pk,
    )
    context = {
        "register": ENTERPRISE,
        "record": enterprise,
        "rows": field_rows(enterprise, DETAIL_FIELDS, access=access),
        "linked": _linked(access, enterprise),
        "participations": selectors.participations_visible_to(access).filter(enterprise=enterprise),
        "history": readable_history(enterprise, access=access),
        "may_edit": ENTERPRISE.editable(access).filter(pk=pk).exists(),
    }
    return render(request, "registry/enterprise_detail.html", context)


@require_access("writes_registry")
@require_http_methods(["GET", "POST"])
def enterprise_create(request):
    access = request.access
    if not ENTERPRISE.may_create(access):
        raise PermissionDenied
    initial = {}
    for name in ("owner", "pesantren", "cooperative"):
        if request.GET.get(name, "").isdigit():
            initial[name] = int(request.GET[name])
    return form_page(request, ENTERPRISE, initial=initial)


@require_access("writes_registry")
@require_http_methods(["GET", "POST"])
def enterprise_edit(request, pk: int):
    enterprise = get_object_or_404(ENTERPRISE.editable(request.access), pk=pk)
    return form_page(request, ENTERPRISE, instance=enterprise)
