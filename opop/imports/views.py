"""Import pages: templates, upload, the job with its progress and row report, commit."""

from __future__ import annotations

from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRefresh

from opop.accounts.decorators import require_access
from opop.accounts.models import Role
from opop.imports import selectors, services, workbooks
from opop.imports.forms import CommitForm, UploadForm
from opop.imports.progress import progress_key
from opop.imports.reader import FileRefused
from opop.imports.registers import REGISTERS

JOBS_PER_PAGE = 20
ISSUES_PER_PAGE = 50


def _list_page(request, form, status=200):
    jobs = Paginator(selectors.import_jobs_visible_to(request.access), JOBS_PER_PAGE)
    return render(
        request,
        "imports/list.html",
        {
            "form": form,
            "page": jobs.get_page(request.GET.get("page")),
            "registers": REGISTERS.values(),
        },
        status=status,
    )


@require_access("imports")
@require_GET
def job_list(request):
    return _list_page(request, UploadForm())


@require_access("imports")
@require_POST
def job_upload(request):
    access = request.access
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _list_page(request, form, status=400)
    try:
        job = services.import_job_create(
            actor=request.user,
            programme=access.programme,
            register=form.cleaned_data["register"],
            upload=form.cleaned_data["file"],
            scope_regency=None if access.role == Role.ADMIN else access.regency_code,
            language=getattr(request, "LANGUAGE_CODE", None),
        )
    except FileRefused as exc:
        form.add_error("file", exc.message)
        return _list_page(request, form, status=400)
    return redirect("imports:detail", pk=job.pk)


@require_access("imports")
@require_GET
def template_download(request, register: str):
    if register not in REGISTERS:
        raise Http404
    response = HttpResponse(
        workbooks.template_xlsx(register),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{workbooks.template_filename(register)}"'
    )
    return response


def _visible_job(request, pk: int):
    return get_object_or_404(selectors.import_jobs_visible_to(request.access), pk=pk)


def _with_live_progress(job):
    """Rows processed so far: the job row, or the worker's note in the cache while a single
    all-or-nothing transaction keeps the job row's own figures invisible."""
    live = cache.get(progress_key(job.pk))
    if live and live > job.processed_rows:
        job.processed_rows = live
    return job


@require_access("imports")
@require_GET
def job_detail(request, pk: int):
    job = _with_live_progress(_visible_job(request, pk))
    issues = Paginator(selectors.import_issues(job), ISSUES_PER_PAGE)
    return render(
        request,
        "imports/detail.html",
        {
            "job": job,
            "register": REGISTERS[job.register],
            "issues": issues.get_page(request.GET.get("page")),
            "earlier": selectors.import_earlier_same_file(request.access, job),
            "may_download": selectors.import_file_downloadable_by(request.access, job),
        },
    )


@require_access("imports")
@require_GET
def job_progress(request, pk: int):
    job = _with_live_progress(_visible_job(request, pk))
    if not request.htmx:
        return redirect("imports:detail", pk=job.pk)
    if not job.is_running:
        return HttpResponseClientRefresh()
    return render(request, "imports/_progress.html", {"job": job})


@require_access("imports")
@require_POST
def job_commit(request, pk: int):
    job = _visible_job(request, pk)
    form = CommitForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how to import."))
        return redirect("imports:detail", pk=job.pk)
    job, started = services.import_job_commit(
        actor=request.user, job=job, mode=form.cleaned_data["mode"]
    )
    if not started:
        messages.info(request, _("This import was already started; it is not done twice."))
    return redirect("imports:detail", pk=job.pk)


@require_access("imports")
@require_GET
def job_file(request, pk: int):
    job = _visible_job(request, pk)
    if not selectors.import_file_downloadable_by(request.access, job):
        raise Http404
    try:
        handle = job.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=job.original_name)
