"""Tariff table pages for the programme admin: list, add/edit, import (dry run), export."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from opop.accounts.decorators import require_access
from opop.common.forms import form_saved
from opop.common.spreadsheets import write_xlsx
from opop.logistics import selectors, services
from opop.logistics.forms import TariffFilterForm, TariffForm, TariffImportForm
from opop.logistics.tariff_import import TEMPLATE_HEADERS

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _tariffs(request):
    filters = TariffFilterForm(request.GET or None, programme=request.access.programme)
    rows = filters.apply(selectors.tariffs_for(request.access)).select_related(
        "origin", "destination"
    )
    return filters, rows


@require_access("administers_programme")
@require_GET
def tariff_list(request):
    filters, rows = _tariffs(request)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "logistics/tariff_list.html", {"filters": filters, "page": page})


def _tariff_form(request, instance=None):
    programme = request.access.programme
    form = TariffForm(request.POST or None, instance=instance, programme=programme)
    saved = form_saved(
        request,
        form,
        lambda: services.tariff_save(
            actor=request.user, programme=programme, data=form.cleaned_data, instance=instance
        ),
        success=_("Tariff saved."),
    )
    if saved:
        return redirect("logistics:tariff_list")
    return render(request, "logistics/tariff_form.html", {"form": form, "instance": instance})


@require_access("administers_programme")
@require_http_methods(["GET", "POST"])
def tariff_create(request):
    return _tariff_form(request)


@require_access("administers_programme")
@require_http_methods(["GET", "POST"])
def tariff_edit(request, pk: int):
    return _tariff_form(request, get_object_or_404(selectors.tariffs_for(request.access), pk=pk))


@require_access("administers_programme")
@require_http_methods(["GET", "POST"])
def tariff_import(request):
    form = TariffImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = services.tariffs_import(
            actor=request.user,
            programme=request.access.programme,
            upload=form.cleaned_data["file"],
            dry_run=request.POST.get("action") != "import",
        )
    context = {"form": form, "report": report, "headers": TEMPLATE_HEADERS}
    return render(request, "logistics/tariff_import.html", context)


@require_access("administers_programme")
@require_GET
def tariff_export(request):
    _filters, rows = _tariffs(request)
    content = write_xlsx(
        TEMPLATE_HEADERS + [_("from"), _("to")],
        (
            [t.origin_id, t.destination_id, t.first_kg, t.next_kg, t.days]
            + [t.origin.name, t.destination.name]
            for t in rows.iterator(chunk_size=2000)
        ),
        sheet_title=_("Tariffs"),
    )
    return xlsx_response(content, f"tariffs-{timezone.localdate().isoformat()}.xlsx")


def xlsx_response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
