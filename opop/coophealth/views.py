"""`/cooperative-health/`: the staff list, a cooperative's reports, the report form, the import
and the export. Scope comes from `selectors`; every write goes through `services`/`importing`."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from opop.accounts.decorators import require_access
from opop.common.forms import form_saved
from opop.coophealth import importing, selectors
from opop.coophealth import status as health
from opop.coophealth.forms import ImportUploadForm, ListFilterForm, ReportForm
from opop.coophealth.models import CooperativeReport, ReportImport
from opop.coophealth.services import CREATED, UNCHANGED, report_save
from opop.registry.selectors import regencies_for_filter

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def reporter_required(view):
    """Log in; staff who coach and cooperative managers may type reports (403 otherwise)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        access = request.access
        if not access or not (access.coaches or access.manages_cooperative):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _filters(request):
    form = ListFilterForm(request.GET or None, regencies=regencies_for_filter(request.access))
    if form.is_valid():
        return form, form.cleaned_data
    return form, {}


@require_access("reads_coaching")
@require_http_methods(["GET", "HEAD"])
def health_list(request):
    year = health.this_year()
    form, chosen = _filters(request)
    coops = selectors.health_list(
        request.access,
        regency=chosen.get("regency", ""),
        status=chosen.get("status", ""),
        query=chosen.get("q", ""),
        year=year,
    )
    page = Paginator(coops, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for coop in page.object_list:
        summary = getattr(coop, "health", None)
        code = (
            health.status_from(summary.latest_year, summary.latest_active_year, year=year)
            if summary
            else health.NO_REPORT
        )
        rows.append(
            {
                "coop": coop,
                "report": summary.latest_report if summary else None,
                "status": code,
                "status_label": health.LABELS[code],
            }
        )
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "year": year,
        "may_import": request.access.coaches,
    }
    return render(request, "coophealth/list.html", context)


@require_access("reads_coaching")
@require_http_methods(["GET", "HEAD"])
def cooperative_detail(request, pk: int):
    coop = get_object_or_404(
        selectors.cooperatives_readable_by(request.access).select_related("pesantren__regency"),
        pk=pk,
    )
    reports = list(selectors.reports_of(coop))
    year = health.this_year()
    code = health.status_of_reports(reports, year=year)
    may_report = selectors.cooperatives_reportable_by(request.access).filter(pk=pk).exists()
    context = {
        "coop": coop,
        "history": selectors.history_with_growth(reports),
        "status": code,
        "status_label": health.LABELS[code],
        "year": year,
        "may_report": may_report,
    }
    return render(request, "coophealth/detail.html", context)


@reporter_required
@require_http_methods(["GET", "POST"])
def report_edit(request, pk: int):
    coop = get_object_or_404(selectors.cooperatives_reportable_by(request.access), pk=pk)
    try:
        year = int(request.POST.get("year") or request.GET.get("year") or health.this_year() - 1)
    except ValueError:
        year = health.this_year() - 1
    instance = CooperativeReport.objects.filter(cooperative=coop, year=year).first()
    if instance is None:
        instance = CooperativeReport(cooperative=coop, programme_id=coop.programme_id, year=year)
    form = ReportForm(request.POST or None, instance=instance)
    saved = form_saved(
        request,
        form,
        lambda: report_save(
            actor=request.user,
            cooperative=coop,
            year=form.cleaned_data["year"],
            data=form.cleaned_data,
        ),
        success=_("Report saved."),
    )
    if saved:
        if saved.outcome == UNCHANGED:
            messages.info(request, _("Nothing had changed."))
        return redirect("coophealth:cooperative", pk=coop.pk)
    return render(
        request,
        "coophealth/report_form.html",
        {"form": form, "coop": coop, "existing": instance.pk is not None},
    )


@require_access("reads_coaching")
@require_http_methods(["GET", "HEAD"])
def export_xlsx(request):
    """The list as a spreadsheet in the import's columns: correct it and import it back."""
    try:
        year = int(request.GET.get("year") or health.this_year() - 1)
    except ValueError:
        year = health.this_year() - 1
    _form, chosen = _filters(request)
    content = importing.reports_xlsx(request.access, year=year, regency=chosen.get("regency", ""))
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="laporan-koperasi-{year}.xlsx"'
    return response


@require_access("coaches")
@require_http_methods(["GET", "POST"])
def import_start(request):
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > importing.MAX_BYTES:
            form.add_error("file", _("The file is too large."))
        else:
            batch = importing.import_check(
                actor=request.user, access=request.access, data=upload.read(), name=upload.name
            )
            return redirect("coophealth:import_detail", pk=batch.pk)
    recent = selectors.imports_of(request.access)[:10]
    context = {"form": form, "recent": recent, "last_year": health.this_year() - 1}
    return render(request, "coophealth/import_start.html", context)


@require_access("coaches")
@require_http_methods(["GET", "HEAD"])
def import_detail(request, pk: int):
    batch = get_object_or_404(selectors.imports_of(request.access), pk=pk)
    earlier = (
        selectors.imports_of(request.access)
        .filter(sha256=batch.sha256, status=ReportImport.Status.COMMITTED)
        .exclude(pk=batch.pk)
        .first()
    )
    return render(
        request,
        "coophealth/import_detail.html",
        {"batch": batch, "earlier": earlier, "CREATED": CREATED},
    )


@require_access("coaches")
@require_POST
def import_commit(request, pk: int):
    batch = get_object_or_404(selectors.imports_of(request.access), pk=pk)
    try:
        importing.import_commit(
            actor=request.user,
            access=request.access,
            batch=batch,
            all_or_nothing=request.POST.get("mode") != "valid_only",
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Import finished."))
    return redirect("coophealth:import_detail", pk=batch.pk)
