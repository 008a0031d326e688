"""Staff pages of intake: the verification queue, one file with its documents and history, and
the decision. Cohort pages are in `staff_cohorts.py`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from opop.accounts.decorators import require_access
from opop.common.audit import audit_record
from opop.common.forms import apply_service_errors
from opop.common.models import AuditEvent
from opop.intake import selectors_staff as selectors
from opop.intake.forms_staff import DecisionForm, QueueFilterForm, checklist_keys
from opop.intake.models import Application, DocumentKind
from opop.intake.services.verification import application_decide, checklist_rows
from opop.intake.views.staff_display import application_sections

PAGE_SIZE = 25
EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}


@require_access("reads_intake")
@require_GET
def queue(request):
    access = request.access
    programme_wide = access.is_programme_wide
    filters = QueueFilterForm(
        request.GET,
        cohorts=selectors.cohorts_visible_to(access),
        regencies=selectors.regencies_for_filter(access) if programme_wide else None,
    )
    rows = selectors.queue_rows(access, **filters.filters())
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    since = selectors.overdue_since()
    now = timezone.now()
    for application in page.object_list:
        application.overdue = selectors.is_overdue(application, since=since)
        application.waited = _waited(application, now)
    context = {
        "filters": filters,
        "page": page,
        "counts": selectors.queue_counts(access),
        "overdue_days": selectors.OVERDUE_WORKING_DAYS,
        "programme_wide": programme_wide,
        "may_manage_cohorts": access.administers_programme or access.role == "auditor",
    }
    return render(request, "intake/staff_queue.html", context)


def _waited(application: Application, now) -> str:
    """ "3 days": how long a waiting file has waited since its latest submission."""
    if application.status != Application.Status.SUBMITTED or not application.submitted_at:
        return ""
    minutes = max(int((now - application.submitted_at).total_seconds() // 60), 0)
    if minutes >= 24 * 60:
        days = minutes // (24 * 60)
        return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}
    if minutes >= 60:
        hours = minutes // 60
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}


def _visible(request, reference: str) -> Application:
    return get_object_or_404(
        selectors.applications_visible_to(request.access).select_related(
            "cohort", "regency", "district", "origin_pesantren", "applicant"
        ),
        reference=reference,
    )


@require_access("reads_intake")
@require_GET
def application_detail(request, reference: str):
    return _render_detail(request, _visible(request, reference))


def _render_detail(request, application: Application, form: DecisionForm | None = None):
    access = request.access
    documents = list(application.documents.all())
    may_verify = selectors.applications_verifiable_by(access).filter(pk=application.pk).exists()
    may_decide = may_verify and application.status == Application.Status.SUBMITTED
    if may_decide and form is None:
        keys = checklist_keys(application, [d.kind for d in documents])
        form = DecisionForm(keys=keys)
    uploaded = {d.kind for d in documents}
    history = list(selectors.application_history(application))
    for event in history:
        event.checklist_rows = checklist_rows(event.checklist)
    context = {
        "application": application,
        "sections": application_sections(application, access=access),
        "documents": documents,
        "missing": [
            str(DocumentKind(k).label)
            for k in application.cohort.required_documents or []
            if k not in uploaded and k in DocumentKind.values
        ],
        "may_download": may_verify,
        "form": form if may_decide else None,
        "history": history,
        "matches": selectors.registry_matches(application),
        "overdue": selectors.is_overdue(application, since=selectors.overdue_since()),
        "waited": _waited(application, timezone.now()),
        "overdue_days": selectors.OVERDUE_WORKING_DAYS,
    }
    return render(request, "intake/staff_application.html", context)


@require_access("verifies_intake")
@require_POST
def application_decide_view(request, reference: str):
    application = get_object_or_404(
        selectors.applications_verifiable_by(request.access).select_related(
            "cohort", "regency", "district", "origin_pesantren", "applicant"
        ),
        reference=reference,
    )
    keys = checklist_keys(application, list(application.documents.values_list("kind", flat=True)))
    form = DecisionForm(request.POST, keys=keys)
    if form.is_valid():
        try:
            application_decide(
                actor=request.user,
                application=application,
                decision=form.cleaned_data["decision"],
                reasons=form.cleaned_data["reasons"],
                checklist=form.checklist(),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Decision saved; the applicant has been told."))
            return redirect("intake:staff_queue")
    application.refresh_from_db()
    if application.status != Application.Status.SUBMITTED:
        messages.error(request, _("This file was decided in the meantime: see its history."))
        return redirect("intake:staff_application", reference=application.reference)
    return _render_detail(request, application, form=form)


@require_access("verifies_intake")
@require_GET
def document_download(request, reference: str, pk: int):
    application = get_object_or_404(
        selectors.applications_verifiable_by(request.access), reference=reference
    )
    document = get_object_or_404(application.documents, pk=pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.VIEW_PII,
        instance=application,
        note=f"document {document.kind}",
    )
    # Named by the file's reference and kind, never the applicant's own file name.
    extension = EXTENSIONS.get(document.content_type, "")
    filename = f"{application.reference}-{document.kind}{extension}"
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type=document.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
