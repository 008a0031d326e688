"""The applicant's first pages: open cohorts and the account (public), starting a file, and
the list of one's own files. The file itself is in `applicant_file.py`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from opop.accounts.ratelimit import client_ip, login_blocked, login_failed
from opop.common.forms import apply_service_errors
from opop.intake import selectors_applicant
from opop.intake.documents import document_max_bytes
from opop.intake.forms_register import (
    ACCOUNT_CONSENT_PURPOSE,
    APPLICATION_CONSENT_PURPOSE,
    RegisterForm,
    StartForm,
)
from opop.intake.models import Application, DocumentKind
from opop.intake.services import registration

# Account creation shares the login limiter (opop.accounts.ratelimit): every attempt counts,
# per (address, e-mail) and per address, under its own key so it never unlocks a login.
REGISTER_KEY = "intake-register:"
MINE_PER_PAGE = 20


def _registration_blocked(request) -> bool:
    return login_blocked(client_ip(request), REGISTER_KEY + request.POST.get("email", ""))


def _registration_attempted(request) -> None:
    login_failed(client_ip(request), REGISTER_KEY + request.POST.get("email", ""))


@require_GET
def cohorts_open(request):
    cohorts = list(selectors_applicant.cohorts_open())
    live = {}
    if request.user.is_authenticated:
        live = {
            a.cohort_id: a
            for a in selectors_applicant.applications_of(request.user).exclude(
                status__in=[Application.Status.WITHDRAWN, Application.Status.REJECTED]
            )
        }
    rows = [
        {
            "cohort": cohort,
            "application": live.get(cohort.pk),
            "documents": _document_labels(cohort),
        }
        for cohort in cohorts
    ]
    context = {"rows": rows, "max_mb": document_max_bytes() // (1024 * 1024)}
    return render(request, "intake/cohorts_open.html", context)


def _document_labels(cohort) -> list[str]:
    return [DocumentKind(k).label for k in cohort.required_documents if k in DocumentKind]


def _start_url(cohort_id: str) -> str | None:
    if cohort_id.isdigit():
        return reverse("intake:start", args=[int(cohort_id)])
    return None


@require_http_methods(["GET", "POST"])
def register(request):
    cohort_id = request.GET.get("cohort", "")
    next_url = _start_url(cohort_id) or reverse("intake:cohorts_open")
    if request.user.is_authenticated:
        return redirect(next_url)
    form = RegisterForm(request.POST or None)
    status, error = 200, None
    if request.method == "POST":
        if _registration_blocked(request):
            error = _("Too many attempts from this connection. Wait 15 minutes and try again.")
            status = 429
        else:
            _registration_attempted(request)
            user = _account_created(request, form)
            if user:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _("Your account is ready."))
                return redirect(next_url)
            status = 400
    context = {"form": form, "error": error, "cohort_id": cohort_id, "next_url": next_url}
    return render(request, "intake/register.html", context, status=status)


def _account_created(request, form: RegisterForm):
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        return registration.account_register(
            full_name=data["full_name"],
            email=data["email"],
            password=data["password1"],
            consent_purpose=str(ACCOUNT_CONSENT_PURPOSE),
            language=(get_language() or "id")[:5],
        )
    except ValidationError as exc:  # the same e-mail registered a moment ago
        apply_service_errors(form, exc)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def start(request, cohort_id: int):
    cohort = selectors_applicant.cohort_for_start(cohort_id)
    existing = registration.application_live(actor=request.user, cohort=cohort)
    if existing:
        return redirect("intake:application_detail", existing.reference)
    form = StartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = registration.application_start(
                actor=request.user, cohort=cohort, consent=form.cleaned_data["consent"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Your application %(reference)s is started. Fill it in at your own pace.")
                % {"reference": application.reference},
            )
            return redirect("intake:application_edit", application.reference)
    context = {
        "cohort": cohort,
        "form": form,
        "purpose": APPLICATION_CONSENT_PURPOSE,
        "documents": _document_labels(cohort),
        "max_mb": document_max_bytes() // (1024 * 1024),
    }
    return render(request, "intake/apply_start.html", context)


@login_required
@require_GET
def mine(request):
    applications = selectors_applicant.applications_of(request.user).order_by("-created_at", "-id")
    page = Paginator(applications, MINE_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "intake/mine.html", {"page": page})
