"""Cohort pages: list, create and edit, quotas per kab/kota, figures per kab/kota, and
acceptance of complete files. The programme admin manages them; the auditor reads them."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from opop.common.forms import form_saved
from opop.intake import selectors_staff as selectors
from opop.intake.forms_staff import AcceptForm, CohortForm, QuotaForm
from opop.intake.models import Application, DocumentKind
from opop.intake.services.acceptance import applications_accept, applications_accept_in_order
from opop.intake.services.cohorts import cohort_quotas_save, cohort_save
from opop.regions.selectors import regencies_of

PAGE_SIZE = 50
SAFE_METHODS = ("GET", "HEAD")


def cohort_access(view):
    """Log in; the admin and the auditor read, only the admin posts (403 otherwise)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        access = request.access
        if not access or access.role not in ("admin", "auditor"):
            raise PermissionDenied
        if request.method not in SAFE_METHODS and not access.administers_programme:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def cohort_change(view):
    """Pages that only change something: the programme admin alone, even to look."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.access or not request.access.administers_programme:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@cohort_access
@require_http_methods(["GET", "HEAD"])
def cohort_list(request):
    S = Application.Status
    cohorts = (
        selectors.cohorts_readable_by(request.access)
        .annotate(
            submitted=Count("applications", filter=Q(applications__status=S.SUBMITTED)),
            verified=Count("applications", filter=Q(applications__status=S.VERIFIED)),
            accepted=Count("applications", filter=Q(applications__status=S.ACCEPTED)),
        )
        .order_by("-year", "pillar", "id")
    )
    page = Paginator(cohorts, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "may_change": request.access.administers_programme}
    return render(request, "intake/cohort_list.html", context)


def _cohort_form(request, instance=None):
    access = request.access
    form = CohortForm(request.POST or None, instance=instance)
    saved = form_saved(
        request,
        form,
        lambda: cohort_save(
            actor=request.user,
            programme=access.programme,
            data=form.cleaned_data,
            instance=instance,
        ),
        success=_("Cohort saved."),
    )
    if saved:
        return redirect("intake:staff_cohort_detail", pk=saved.pk)
    return render(request, "intake/cohort_form.html", {"form": form, "cohort": instance})


@cohort_change
@require_http_methods(["GET", "POST"])
def cohort_create(request):
    return _cohort_form(request)


@cohort_change
@require_http_methods(["GET", "POST"])
def cohort_edit(request, pk: int):
    cohort = get_object_or_404(selectors.cohorts_manageable_by(request.access), pk=pk)
    return _cohort_form(request, instance=cohort)


@cohort_access
@require_http_methods(["GET", "HEAD"])
def cohort_detail(request, pk: int):
    return _render_detail(request, _readable(request, pk))


def _readable(request, pk: int):
    return get_object_or_404(
        selectors.cohorts_readable_by(request.access).select_related("programme"), pk=pk
    )


def _render_detail(request, cohort):
    access = request.access
    regencies = regencies_of(cohort.programme.province_id).order_by("name")
    regency = regencies.filter(code=request.GET.get("regency") or "").first()
    verified = selectors.cohort_verified(cohort, regency=regency)
    page = Paginator(verified, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.cohort_regency_rows(cohort)
    context = {
        "cohort": cohort,
        "rows": rows,
        "totals": {
            key: sum(r[key] for r in rows)
            for key in ("accepted", "verified", "submitted", "needs_fixing")
        },
        "page": page,
        "regencies": regencies,
        "regency": regency,
        "may_change": access.administers_programme,
        "required_documents": [
            str(DocumentKind(k).label)
            for k in cohort.required_documents
            if k in DocumentKind.values
        ],
    }
    return render(request, "intake/cohort_detail.html", context)


@cohort_access
@require_http_methods(["GET", "HEAD", "POST"])
def cohort_quotas(request, pk: int):
    cohort = _readable(request, pk)
    may_change = request.access.administers_programme
    form = QuotaForm(
        request.POST or None,
        regencies=regencies_of(cohort.programme.province_id).order_by("name"),
        quotas=dict(cohort.quotas.values_list("regency_id", "quota")),
    )
    if not may_change:
        for field in form.fields.values():
            field.disabled = True
    saved = form_saved(
        request,
        form,
        lambda: cohort_quotas_save(actor=request.user, cohort=cohort, quotas=form.quotas()),
        success=_("Quotas saved."),
    )
    if saved:
        return redirect("intake:staff_cohort_detail", pk=cohort.pk)
    context = {"cohort": cohort, "form": form, "may_change": may_change}
    return render(request, "intake/cohort_quotas.html", context)


@cohort_change
@require_POST
def cohort_accept(request, pk: int):
    cohort = get_object_or_404(selectors.cohorts_manageable_by(request.access), pk=pk)
    form = AcceptForm(request.POST, candidates=cohort.applications.all())
    if not form.is_valid():
        messages.error(request, " ".join(form.non_field_errors()) or _("Choose the files."))
        return redirect("intake:staff_cohort_detail", pk=cohort.pk)
    data = form.cleaned_data
    try:
        if data["in_order"]:
            accepted = applications_accept_in_order(actor=request.user, cohort=cohort)
        else:
            chosen = [data["one"]] if data["one"] else list(data["selected"])
            accepted = applications_accept(actor=request.user, cohort=cohort, applications=chosen)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("intake:staff_cohort_detail", pk=cohort.pk)
    if accepted:
        count = len(accepted)
        messages.success(
            request,
            ngettext(
                "%(count)d file accepted into the cohort.",
                "%(count)d files accepted into the cohort.",
                count,
            )
            % {"count": count},
        )
    elif data["in_order"]:
        messages.info(request, _("Nothing to accept: no complete file has room within the quotas."))
    else:
        messages.info(request, _("These files were already accepted; nothing changed."))
    return redirect("intake:staff_cohort_detail", pk=cohort.pk)
