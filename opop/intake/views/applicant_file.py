"""The applicant's own file: status page, editing (drafts and submission), withdrawal,
documents (upload, own download) and the pesantren-of-origin search.

Every file is found through `selectors_applicant.application_of(user, reference)`: another
person's reference is a 404 for everyone, staff included (they have their own pages).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opop.common.forms import apply_service_errors
from opop.common.uploads import ACCEPT, EXTENSIONS
from opop.intake import documents, selectors_applicant
from opop.intake.eligibility import check_eligibility, missing_fields, required_fields
from opop.intake.forms_applicant import ApplicationForm
from opop.intake.models import Application, DocumentKind
from opop.intake.services import registration


def _panel(application: Application) -> dict:
    """What the "Before you can submit" panel shows (empty once the file left the applicant)."""
    if application.status not in Application.EDITABLE:
        return {"missing": [], "unmet": [], "editable": False}
    return {
        "missing": missing_fields(application),
        "unmet": check_eligibility(application),
        "editable": True,
    }


def _documents_context(
    application: Application, errors: dict | None = None, *, uploads: bool = True
) -> dict:
    """The documents panel: every kind the cohort offers with upload forms (`uploads`, while
    the file is editable), or only the stored ones."""
    uploads = uploads and application.status in Application.EDITABLE
    stored = {doc.kind: doc for doc in application.documents.all()}
    required = set(application.cohort.required_documents)
    rows = [
        {
            "kind": kind,
            "label": DocumentKind(kind).label,
            "document": stored.get(kind),
            "required": kind in required,
            "error": (errors or {}).get(kind, ""),
        }
        for kind in documents.document_kinds_for(application.cohort)
        if uploads or kind in stored
    ]
    return {
        "application": application,
        "document_rows": rows,
        "editable": uploads,
        "accept": ACCEPT,
        "max_mb": documents.document_max_bytes() // (1024 * 1024),
    }


def _timeline(application: Application) -> list[dict]:
    """Events for the applicant: what happened and why, never who on the staff did it."""
    rows = []
    for event in application.events.all():
        checklist = [
            {
                "label": DocumentKind(kind).label if kind in DocumentKind else kind,
                "ok": bool(item.get("ok")),
                "note": item.get("note", ""),
            }
            for kind, item in (event.checklist or {}).items()
            if isinstance(item, dict)
        ]
        rows.append({"event": event, "checklist": checklist})
    return rows


def _summary(application: Application) -> list[tuple[str, str]]:
    """What the applicant typed, for reading back; the NIK only masked."""
    rows = []
    for name in registration.applicant_fields(application.cohort):
        field = Application._meta.get_field(name)
        value = getattr(application, name)
        display = getattr(application, f"get_{name}_display", None)
        if display and value:
            value = display()
        rows.append((field.verbose_name, value if value not in (None, "") else "—"))
        if name == "full_name":
            rows.append((_("NIK"), application.nik_masked or "—"))
    return rows


@login_required
@require_GET
@never_cache
def application_detail(request, reference: str):
    application = selectors_applicant.application_of(request.user, reference)
    context = {
        "application": application,
        "events": _timeline(application),
        "panel": _panel(application),
        "summary": _summary(application),
        **_documents_context(application, uploads=False),
    }
    return render(request, "intake/apply_detail.html", context)


def _already_sent(request, application: Application):
    application.refresh_from_db(fields=["status"])
    if application.status == Application.Status.SUBMITTED:
        messages.info(request, _("This application was already submitted: nothing more to do."))
    else:
        messages.info(request, _("This application can no longer be changed."))
    return redirect("intake:application_detail", application.reference)


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def application_edit(request, reference: str):
    application = selectors_applicant.application_of(request.user, reference)
    if application.status not in Application.EDITABLE:
        if request.method == "POST":
            return _already_sent(request, application)
        return redirect("intake:application_detail", reference)
    form = ApplicationForm(request.POST or None, instance=application)
    refusal: list[str] = []
    if request.method == "POST":
        form.is_valid()
        try:
            application = registration.application_save_draft(
                actor=request.user,
                application=application,
                data=form.valid_data(),
                nik=form.typed_nik() or None,
            )
        except ValidationError as exc:
            application.refresh_from_db(fields=["status"])
            if application.status not in Application.EDITABLE:
                return _already_sent(request, application)
            apply_service_errors(form, exc)
        submitting = request.POST.get("action") == "submit"
        if form.errors:
            messages.warning(
                request,
                _("Not submitted. Saved, except the fields marked below: correct them first.")
                if submitting
                else _("Saved, except the fields marked below: correct them and save again."),
            )
        elif submitting:
            try:
                sent = registration.application_submit(actor=request.user, application=application)
            except ValidationError as exc:
                refusal = exc.messages
            else:
                if sent:
                    messages.success(request, _("Your application was submitted. Thank you!"))
                    return redirect("intake:application_detail", reference)
                return _already_sent(request, application)
        else:
            messages.success(request, _("Draft saved. You can come back to it at any time."))
            return redirect("intake:application_edit", reference)
        application = selectors_applicant.application_of(request.user, reference)
    return _render_edit(request, application, form, refusal)


def _render_edit(request, application, form, refusal):
    form.show_needed(required_fields(application))
    form.show_stored_nik(application.nik_masked)
    context = {
        "application": application,
        "form": form,
        "refusal": refusal,
        "panel": _panel(application),
        **_documents_context(application),
    }
    return render(request, "intake/apply_form.html", context)


@login_required
@require_POST
def application_withdraw(request, reference: str):
    application = selectors_applicant.application_of(request.user, reference)
    try:
        if registration.application_withdraw(actor=request.user, application=application):
            messages.success(request, _("Your application was withdrawn."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("intake:application_detail", reference)


@login_required
@require_POST
def document_upload(request, reference: str):
    application = selectors_applicant.application_of(request.user, reference)
    kind = request.POST.get("kind", "")
    errors = {}
    try:
        documents.application_document_save(
            actor=request.user,
            application=application,
            kind=kind,
            upload=request.FILES.get("file"),
        )
    except ValidationError as exc:
        errors[kind] = " ".join(exc.messages)
    application = selectors_applicant.application_of(request.user, reference)
    if request.headers.get("HX-Request"):
        context = {**_documents_context(application, errors), "panel": _panel(application)}
        return render(request, "intake/apply_documents_swap.html", context)
    if errors:
        messages.error(request, errors[kind])
    else:
        messages.success(request, _("Document uploaded."))
    return redirect("intake:application_edit", reference)


@login_required
@require_GET
@never_cache
def document_download(request, reference: str, kind: str):
    application = selectors_applicant.application_of(request.user, reference)
    document = next((d for d in application.documents.all() if d.kind == kind), None)
    if document is None:
        raise Http404
    extension = EXTENSIONS.get(document.content_type, "bin")
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=f"{application.reference}-{document.kind}.{extension}",
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def pesantren_options(request, reference: str):
    """`<option>`s for the pesantren-of-origin search box (HTMX)."""
    application = selectors_applicant.application_of(request.user, reference)
    found = selectors_applicant.pesantren_search(
        cohort=application.cohort, text=request.GET.get("q", "")
    )
    return render(request, "intake/apply_pesantren_options.html", {"pesantren": found})
