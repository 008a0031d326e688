"""Post agent pages (admin registers; officers read their kab/kota) and the commission report."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from opop.accounts.decorators import require_access
from opop.common.forms import form_saved
from opop.logistics import selectors, services
from opop.logistics.forms import PostAgentForm, period_of
from opop.logistics.views import xlsx_response


def _reads_agents(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not selectors.reads_agents(getattr(request, "access", None)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@_reads_agents
@require_GET
def agent_list(request):
    agents = selectors.agents_visible_to(request.access).select_related("pesantren", "regency")
    context = {"agents": agents, "may_edit": request.access.administers_programme}
    return render(request, "logistics/agent_list.html", context)


def _agent_form(request, instance=None):
    programme = request.access.programme
    form = PostAgentForm(request.POST or None, instance=instance, programme=programme)
    saved = form_saved(
        request,
        form,
        lambda: services.post_agent_save(
            actor=request.user, programme=programme, data=form.cleaned_data, instance=instance
        ),
        success=_("Post agent saved."),
    )
    if saved:
        return redirect("logistics:agent_list")
    return render(request, "logistics/agent_form.html", {"form": form, "instance": instance})


@require_access("administers_programme")
@require_http_methods(["GET", "POST"])
def agent_create(request):
    return _agent_form(request)


@require_access("administers_programme")
@require_http_methods(["GET", "POST"])
def agent_edit(request, pk: int):
    agent = get_object_or_404(selectors.agents_visible_to(request.access), pk=pk)
    return _agent_form(request, agent)


@login_required
@require_GET
def commissions(request):
    access = getattr(request, "access", None)
    agents = selectors.agents_for_commissions(access)
    if not access or not (access.administers_programme or agents.exists()):
        raise PermissionDenied
    year, month = period_of(request.GET.get("period"))
    period = f"{year:04d}-{month:02d}"
    rows = selectors.commission_report(agents, year, month)
    if request.GET.get("format") == "xlsx":
        return _commissions_xlsx(rows, period)
    totals = {
        "shipments": sum(r.shipments for r in rows),
        "fees": sum(r.fees for r in rows),
        "commission": sum(r.commission for r in rows),
    }
    context = {"rows": rows, "period": period, "totals": totals}
    return render(request, "logistics/commissions.html", context)


def _commissions_xlsx(rows, period: str):
    from opop.common.spreadsheets import write_xlsx

    headers = [
        _("agent code"),
        _("pesantren"),
        _("kab/kota"),
        _("shipments"),
        _("shipping fees (Rp)"),
        _("commission (basis points)"),
        _("commission (Rp)"),
    ]
    content = write_xlsx(
        headers,
        (
            [
                r.agent.agent_code,
                r.agent.pesantren.name,
                r.agent.regency.name,
                r.shipments,
                r.fees,
                r.agent.commission_bp,
                r.commission,
            ]
            for r in rows
        ),
        sheet_title=_("Commissions"),
    )
    return xlsx_response(content, f"agent-commissions-{period}.xlsx")
