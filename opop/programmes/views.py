"""Programme settings: the programme's legal basis, years and budgets, indicators and targets,
and the Penta Helix partner register. The programme admin changes them; the auditor reads."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from opop.common.audit import history_for
from opop.common.forms import form_saved
from opop.programmes import selectors, services
from opop.programmes.forms import (
    AgreementForm,
    IndicatorForm,
    PartnerForm,
    ProgrammeForm,
    ProgrammeYearForm,
    TargetsForm,
)
from opop.programmes.models import Partner

SAFE_METHODS = ("GET", "HEAD")


def settings_access(view):
    """Log in; the admin and the auditor may read, only the admin may post (403 otherwise)."""

    @login_required
    @require_http_methods(["GET", "HEAD", "POST"])
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        access = request.access
        if not selectors.reads_settings(access):
            raise PermissionDenied
        if request.method not in SAFE_METHODS and not selectors.changes_settings(access):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def settings_change(view):
    """Pages that only create something: the programme admin alone, even to look (403)."""

    @login_required
    @require_http_methods(["GET", "HEAD", "POST"])
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not selectors.changes_settings(request.access):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _form_page(request, form, *, title: str, cancel_url: str, history=None, intro: str = ""):
    return render(
        request,
        "programmes/form.html",
        {
            "form": form,
            "title": title,
            "cancel_url": cancel_url,
            "history": history,
            "intro": intro,
            "can_change": selectors.changes_settings(request.access),
        },
    )


# --- Overview and the programme itself -------------------------------------------------------


@settings_access
def overview(request):
    access = request.access
    counts = selectors.partner_counts_by_kind(access)
    return render(
        request,
        "programmes/settings.html",
        {
            "programme": access.programme,
            "years": selectors.years_of(access),
            "indicators": selectors.indicators_of(access),
            "partner_kinds": [
                (value, label, counts.get(value, 0)) for value, label in Partner.Kind.choices
            ],
            "partner_total": sum(counts.values()),
            "can_change": selectors.changes_settings(access),
        },
    )


@settings_access
def programme_edit(request):
    programme = request.access.programme
    form = ProgrammeForm(request.POST or None, instance=programme)
    saved = form_saved(
        request,
        form,
        lambda: services.programme_update(
            actor=request.user, programme=programme, data=form.cleaned_data
        ),
        success=_("Programme saved."),
    )
    if saved:
        return redirect("programmes:settings")
    return _form_page(
        request,
        form,
        title=_("Programme and legal basis"),
        cancel_url=reverse("programmes:settings"),
        history=history_for(programme)[:50],
    )


# --- Years -----------------------------------------------------------------------------------


@settings_change
def year_create(request):
    form = ProgrammeYearForm(request.POST or None)
    saved = form_saved(
        request,
        form,
        lambda: services.programme_year_save(
            actor=request.user, programme=request.access.programme, data=form.cleaned_data
        ),
        success=_("Year added."),
    )
    if saved:
        return redirect("programmes:settings")
    return _form_page(
        request, form, title=_("Add a year"), cancel_url=reverse("programmes:settings")
    )


@settings_access
def year_edit(request, year: int):
    instance = get_object_or_404(selectors.years_of(request.access), year=year)
    initial = {"year": instance.year, "budget": instance.budget, "notes": instance.notes}
    form = ProgrammeYearForm(request.POST or None, initial=initial, editing=True)
    saved = form_saved(
        request,
        form,
        lambda: services.programme_year_save(
            actor=request.user,
            programme=request.access.programme,
            data={k: v for k, v in form.cleaned_data.items() if k != "year"},
            instance=instance,
        ),
        success=_("Year saved."),
    )
    if saved:
        return redirect("programmes:settings")
    return _form_page(
        request,
        form,
        title=_("Year %(year)s") % {"year": instance.year},
        cancel_url=reverse("programmes:settings"),
        history=history_for(instance)[:50],
    )


# --- Indicators and targets ------------------------------------------------------------------


@settings_access
def targets(request):
    access = request.access
    can_change = selectors.changes_settings(access)
    form = TargetsForm(
        request.POST or None,
        indicators=selectors.indicators_of(access),
        years=selectors.target_years_of(access),
    )
    if not can_change:
        for field in form.fields.values():
            field.disabled = True
    saved = form_saved(
        request,
        form,
        lambda: services.indicator_targets_save(
            actor=request.user, programme=access.programme, indicators=form.changes()
        ),
        success=_("Targets saved."),
    )
    if saved:
        return redirect("programmes:targets")
    return render(
        request,
        "programmes/targets.html",
        {"form": form, "can_change": can_change},
        status=400 if form.is_bound and form.errors else 200,
    )


@settings_change
def indicator_create(request):
    form = IndicatorForm(request.POST or None)
    saved = form_saved(
        request,
        form,
        lambda: services.indicator_create(
            actor=request.user, programme=request.access.programme, data=form.cleaned_data
        ),
        success=_("Indicator added."),
    )
    if saved:
        return redirect("programmes:targets")
    return _form_page(
        request, form, title=_("Add an indicator"), cancel_url=reverse("programmes:targets")
    )


# --- Partners and agreements -----------------------------------------------------------------


@settings_access
def partner_list(request):
    kind = request.GET.get("kind", "")
    query = request.GET.get("q", "").strip()
    partners = selectors.partners_of(request.access, kind=kind, query=query)
    page = Paginator(partners, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "programmes/partner_list.html",
        {
            "page": page,
            "kinds": Partner.Kind.choices,
            "kind": kind if kind in Partner.Kind.values else "",
            "q": query,
            "can_change": selectors.changes_settings(request.access),
        },
    )


@settings_change
def partner_create(request):
    form = PartnerForm(request.POST or None)
    partner = form_saved(
        request,
        form,
        lambda: services.partner_save(
            actor=request.user, programme=request.access.programme, data=form.cleaned_data
        ),
        success=_("Partner registered."),
    )
    if partner:
        return redirect("programmes:partner_detail", pk=partner.pk)
    return _form_page(
        request, form, title=_("Register a partner"), cancel_url=reverse("programmes:partner_list")
    )


@settings_access
def partner_detail(request, pk: int):
    partner = get_object_or_404(selectors.partners_of(request.access), pk=pk)
    return render(
        request,
        "programmes/partner_detail.html",
        {
            "partner": partner,
            "agreements": partner.agreements.order_by("-starts_on", "-id"),
            "history": history_for(partner)[:50],
            "can_change": selectors.changes_settings(request.access),
        },
    )


@settings_access
def partner_edit(request, pk: int):
    partner = get_object_or_404(selectors.partners_of(request.access), pk=pk)
    form = PartnerForm(request.POST or None, instance=partner)
    saved = form_saved(
        request,
        form,
        lambda: services.partner_save(
            actor=request.user,
            programme=request.access.programme,
            data=form.cleaned_data,
            instance=partner,
        ),
        success=_("Partner saved."),
    )
    if saved:
        return redirect("programmes:partner_detail", pk=partner.pk)
    return _form_page(
        request,
        form,
        title=partner.name,
        cancel_url=reverse("programmes:partner_detail", args=[partner.pk]),
        history=history_for(partner)[:50],
    )


@settings_change
def agreement_create(request, pk: int):
    partner = get_object_or_404(selectors.partners_of(request.access), pk=pk)
    form = AgreementForm(request.POST or None)
    saved = form_saved(
        request,
        form,
        lambda: services.agreement_save(
            actor=request.user, partner=partner, data=form.cleaned_data
        ),
        success=_("Agreement added."),
    )
    if saved:
        return redirect("programmes:partner_detail", pk=partner.pk)
    return _form_page(
        request,
        form,
        title=_("New agreement with %(partner)s") % {"partner": partner.name},
        cancel_url=reverse("programmes:partner_detail", args=[partner.pk]),
    )


@settings_access
def agreement_edit(request, pk: int):
    agreement = get_object_or_404(selectors.agreements_of(request.access), pk=pk)
    form = AgreementForm(request.POST or None, instance=agreement)
    saved = form_saved(
        request,
        form,
        lambda: services.agreement_save(
            actor=request.user,
            partner=agreement.partner,
            data=form.cleaned_data,
            instance=agreement,
        ),
        success=_("Agreement saved."),
    )
    if saved:
        return redirect("programmes:partner_detail", pk=agreement.partner_id)
    return _form_page(
        request,
        form,
        title=f"{agreement.number} — {agreement.partner.name}",
        cancel_url=reverse("programmes:partner_detail", args=[agreement.partner_id]),
        history=history_for(agreement)[:50],
    )
