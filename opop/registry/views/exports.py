"""Export .xlsx: the rows of a filtered list, masked by the reader's role (`opop.registry.
exporting`). A list of up to `REGISTRY_EXPORT_DIRECT_ROWS` rows downloads at once; a larger one
becomes a background export job whose page shows when it is ready (`export_jobs`)."""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from opop.accounts.decorators import require_access
from opop.registry import exporting, services
from opop.registry.export_jobs import registry_export_start
from opop.registry.models import RegistryExport
from opop.registry.views.common import COOPERATIVE, ENTERPRISE, PERSON, PESANTREN, Register


def export_response(request, register: Register) -> HttpResponse:
    access, key, query = request.access, register.key, request.GET
    rows = exporting.export_queryset(access, key, query)
    if (
        rows[: settings.REGISTRY_EXPORT_DIRECT_ROWS + 1].count()
        > settings.REGISTRY_EXPORT_DIRECT_ROWS
    ):
        export = registry_export_start(actor=request.user, access=access, register=key, query=query)
        return redirect("registry:export_detail", export.pk)
    if exporting.carries_clear_nik(access, key):
        services.registry_export_record(
            actor=request.user,
            programme=access.programme,
            what=f"{key} xlsx",
            note=query.urlencode()[:200],
        )
    response = HttpResponse(
        exporting.export_workbook(access, key, query), content_type=exporting.XLSX
    )
    response["Content-Disposition"] = f'attachment; filename="{exporting.export_filename(key)}"'
    return response


@require_access("reads_registry")
@never_cache
def pesantren_export(request):
    return export_response(request, PESANTREN)


@require_access("reads_registry")
@never_cache
def cooperative_export(request):
    return export_response(request, COOPERATIVE)


@require_access("reads_registry")
@never_cache
def person_export(request):
    return export_response(request, PERSON)


@require_access("reads_registry")
@never_cache
def enterprise_export(request):
    return export_response(request, ENTERPRISE)


def _own_export(request, pk: int) -> RegistryExport:
    """Only the reader who asked for an export sees it; anyone else gets a 404."""
    return get_object_or_404(
        RegistryExport, pk=pk, user=request.user, programme_id=request.access.programme_id
    )


@require_GET
@require_access("reads_registry")
@never_cache
def export_detail(request, pk: int):
    export = _own_export(request, pk)
    template = "registry/_export_status.html" if request.htmx else "registry/export_detail.html"
    return render(
        request,
        template,
        {
            "export": export,
            "kind": exporting.KINDS[export.register],
            "retention_days": settings.REGISTRY_EXPORT_RETENTION_DAYS,
        },
    )


@require_GET
@require_access("reads_registry")
@never_cache
def export_file(request, pk: int):
    export = _own_export(request, pk)
    if export.status != RegistryExport.Status.DONE or not export.file:
        raise Http404
    try:
        handle = export.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = export.file.name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=name, content_type=exporting.XLSX)
