"""Grants pages: thin views over `selectors` (who sees what) and `services` (every write).

Reading: grant readers (admins, auditors, officers in their kab/kota) and cooperative managers
(their own cooperative). Writing: managers propose, report and record loans; programme admins
(`manages_grants`) keep schemes, verify, sign, pay, review reports and close. Anything outside
the reader's scope is a 404; a reader without the right to an action gets a 403.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opop.accounts.decorators import require_access
from opop.common.forms import form_saved
from opop.common.uploads import EXTENSIONS
from opop.grants import forms, selectors, services
from opop.grants.models import AccountabilityReport, Disbursement, GrantProposal, GrantScheme
from opop.grants.transparency import transparency_rows
from opop.programmes.models import Programme

Status = GrantProposal.Status


def grants_reader(view):
    """Log in, then require a role that reads grants (staff or a cooperative manager)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not selectors.reads_any_grants(request.access):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _proposal(request, pk: int) -> GrantProposal:
    return get_object_or_404(selectors.proposals_visible_to(request.access), pk=pk)


def _own_proposal(request, pk: int) -> GrantProposal:
    proposal = _proposal(request, pk)
    if not request.access.manages_cooperative:
        raise PermissionDenied
    return proposal


def _managed_proposal(request, pk: int) -> GrantProposal:
    access = request.access
    if not access or not access.manages_grants:
        # A grant reader learns nothing about rows outside their scope (404); in scope, 403.
        if selectors.reads_any_grants(access):
            _proposal(request, pk)
        raise PermissionDenied
    return _proposal(request, pk)


def _file_response(field_file, content_type: str, filename: str):
    extension = EXTENSIONS.get(content_type, "bin")
    response = FileResponse(
        field_file.open("rb"),
        as_attachment=True,
        filename=f"{filename}.{extension}",
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- lists and schemes ---------------------------------------------------------------------


@grants_reader
@require_GET
def home(request):
    access = request.access
    proposals = selectors.proposal_filter(
        selectors.proposals_visible_to(access),
        scheme=request.GET.get("scheme", ""),
        status=request.GET.get("status", ""),
        q=request.GET.get("q", "").strip(),
    ).order_by("-created_at", "-id")
    page = Paginator(proposals, 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    open_schemes = []
    if access.manages_cooperative:
        taken = set(
            selectors.proposals_visible_to(access)
            .exclude(status=Status.REJECTED)
            .values_list("scheme_id", flat=True)
        )
        open_schemes = [
            s
            for s in selectors.schemes_visible_to(access).filter(
                opens_on__lte=today, closes_on__gte=today
            )
            if s.pk not in taken
        ]
    return render(
        request,
        "grants/home.html",
        {
            "page": page,
            "schemes": selectors.schemes_with_budget(access),
            "open_schemes": open_schemes,
            "statuses": Status.choices,
            "may_manage": access.manages_grants,
            "may_record_loans": selectors.may_record_loans(access),
        },
    )


@grants_reader
@require_GET
def scheme_detail(request, pk: int):
    scheme = get_object_or_404(selectors.schemes_visible_to(request.access), pk=pk)
    proposals = selectors.proposals_visible_to(request.access).filter(scheme=scheme)
    return render(
        request,
        "grants/scheme_detail.html",
        {
            "scheme": scheme,
            "budget": selectors.scheme_budget(scheme),
            "proposals": proposals.order_by("cooperative__name"),
            "may_manage": request.access.manages_grants,
        },
    )


@require_access("manages_grants")
@require_http_methods(["GET", "POST"])
def scheme_edit(request, pk: int | None = None):
    scheme = None
    if pk is not None:
        scheme = get_object_or_404(selectors.schemes_visible_to(request.access), pk=pk)
    form = forms.SchemeForm(request.POST or None, instance=scheme or GrantScheme())
    saved = form_saved(
        request,
        form,
        lambda: services.scheme_save(
            actor=request.user,
            programme=request.access.programme,
            scheme=scheme,
            **{name: form.cleaned_data[name] for name in form.Meta.fields},
        ),
        success=_("Scheme saved."),
    )
    if saved:
        return redirect("grants:scheme_detail", saved.pk)
    return render(request, "grants/scheme_form.html", {"form": form, "scheme": scheme})


# --- proposals: the manager's side ---------------------------------------------------------


def _lines_formset(request, proposal=None):
    if request.method == "POST":
        return forms.BudgetLineFormSet(request.POST, prefix="lines")
    initial = (
        [{"description": ln.description, "amount": ln.amount} for ln in proposal.lines.all()]
        if proposal
        else []
    )
    formset = forms.BudgetLineFormSet(prefix="lines", initial=initial)
    formset.extra = max(8 - len(initial), 3)
    return formset


def _lines(formset) -> list[dict]:
    return [f.cleaned_data for f in formset.forms if f.cleaned_data]


@require_access("manages_cooperative")
@require_http_methods(["GET", "POST"])
def proposal_create(request, scheme_pk: int):
    scheme = get_object_or_404(selectors.schemes_visible_to(request.access), pk=scheme_pk)
    cooperative = selectors.cooperatives_in_grant_scope(request.access).first()
    if cooperative is None:
        raise Http404
    form = forms.ProposalForm(request.POST or None)
    formset = _lines_formset(request)
    proposal = formset.is_valid() and form_saved(
        request,
        form,
        lambda: services.proposal_create(
            actor=request.user,
            scheme=scheme,
            cooperative=cooperative,
            plan=form.cleaned_data["plan"],
            amount_requested=form.cleaned_data["amount_requested"],
            lines=_lines(formset),
        ),
        success=_("Draft saved. Add attachments, then submit."),
    )
    if proposal:
        return redirect("grants:proposal_detail", proposal.pk)
    return render(
        request,
        "grants/proposal_form.html",
        {"form": form, "formset": formset, "scheme": scheme, "cooperative": cooperative},
    )


@require_access("manages_cooperative")
@require_http_methods(["GET", "POST"])
def proposal_edit(request, pk: int):
    proposal = _own_proposal(request, pk)
    if proposal.status not in GrantProposal.EDITABLE:
        messages.error(request, _("This proposal can no longer be changed."))
        return redirect("grants:proposal_detail", pk)
    form = forms.ProposalForm(
        request.POST or None,
        initial={"plan": proposal.plan, "amount_requested": proposal.amount_requested},
    )
    formset = _lines_formset(request, proposal)
    if formset.is_valid() and form_saved(
        request,
        form,
        lambda: services.proposal_update(
            actor=request.user,
            proposal=proposal,
            plan=form.cleaned_data["plan"],
            amount_requested=form.cleaned_data["amount_requested"],
            lines=_lines(formset),
        ),
        success=_("Proposal saved."),
    ):
        return redirect("grants:proposal_detail", pk)
    return render(
        request,
        "grants/proposal_form.html",
        {
            "form": form,
            "formset": formset,
            "scheme": proposal.scheme,
            "cooperative": proposal.cooperative,
            "proposal": proposal,
        },
    )


def _detail(request, proposal, status: int = 200, **bound):
    access = request.access
    disbursements = list(proposal.disbursements.select_related("report").order_by("number"))
    planned = services.planned_tranches(proposal) if proposal.agreed_amount else []
    next_number = len(disbursements) + 1
    context = {
        "proposal": proposal,
        "lines": proposal.lines.all(),
        "attachments": proposal.attachments.all(),
        "disbursements": disbursements,
        "planned": planned,
        "position": services.money_position(proposal),
        "checklist_items": services.checklist_items(),
        "is_manager": access.manages_cooperative,
        "may_manage": access.manages_grants,
        "attachment_form": bound.get("attachment_form") or forms.AttachmentForm(),
        "verify_form": bound.get("verify_form") or forms.VerifyForm(),
        "agreement_form": bound.get("agreement_form") or forms.AgreementForm(),
        "disburse_form": bound.get("disburse_form")
        or forms.DisburseForm(
            initial={
                "client_key": forms.new_client_key(),
                "amount": planned[next_number - 1] if next_number <= len(planned) else None,
                "paid_on": timezone.localdate(),
            }
        ),
        "close_form": bound.get("close_form") or forms.CloseForm(),
        "next_number": next_number,
        "errors": bound.get("errors", []),
    }
    return render(request, "grants/proposal_detail.html", context, status=status)


@grants_reader
@require_GET
def proposal_detail(request, pk: int):
    return _detail(request, _proposal(request, pk))


@require_access("manages_cooperative")
@require_POST
def attachment_upload(request, pk: int):
    proposal = _own_proposal(request, pk)
    form = forms.AttachmentForm(request.POST, request.FILES)
    if form_saved(
        request,
        form,
        lambda: services.attachment_add(
            actor=request.user,
            proposal=proposal,
            title=form.cleaned_data["title"],
            upload=form.cleaned_data["file"],
        ),
        success=_("Attachment added."),
    ):
        return redirect("grants:proposal_detail", pk)
    return _detail(request, proposal, status=400, attachment_form=form)


@grants_reader
@require_GET
@never_cache
def attachment_download(request, pk: int, attachment_pk: int):
    proposal = _proposal(request, pk)
    attachment = get_object_or_404(proposal.attachments, pk=attachment_pk)
    return _file_response(
        attachment.file, attachment.content_type, f"proposal-{pk}-{attachment.pk}"
    )


def _simple_action(request, proposal, call, success: str):
    try:
        call()
    except ValidationError as exc:
        return _detail(request, proposal, status=400, errors=exc.messages)
    messages.success(request, success)
    return redirect("grants:proposal_detail", proposal.pk)


@require_access("manages_cooperative")
@require_POST
def proposal_submit(request, pk: int):
    proposal = _own_proposal(request, pk)
    return _simple_action(
        request,
        proposal,
        lambda: services.proposal_submit(actor=request.user, proposal=proposal),
        _("Proposal submitted for verification."),
    )


# --- proposals: the programme admin's side -------------------------------------------------


@login_required
@require_POST
def proposal_verify(request, pk: int):
    proposal = _managed_proposal(request, pk)
    form = forms.VerifyForm(request.POST)
    if form_saved(
        request,
        form,
        lambda: services.proposal_verify(
            actor=request.user,
            proposal=proposal,
            decision=form.cleaned_data["decision"],
            checklist=form.checklist(),
            note=form.cleaned_data["note"],
        ),
        success=_("Decision recorded."),
    ):
        return redirect("grants:proposal_detail", pk)
    return _detail(request, proposal, status=400, verify_form=form)


@login_required
@require_POST
def agreement_record(request, pk: int):
    proposal = _managed_proposal(request, pk)
    form = forms.AgreementForm(request.POST, request.FILES)
    if form_saved(
        request,
        form,
        lambda: services.agreement_record(
            actor=request.user,
            proposal=proposal,
            nphd_number=form.cleaned_data["nphd_number"],
            nphd_date=form.cleaned_data["nphd_date"],
            upload=form.cleaned_data["document"],
        ),
        success=_("Grant agreement recorded."),
    ):
        return redirect("grants:proposal_detail", pk)
    return _detail(request, proposal, status=400, agreement_form=form)


@grants_reader
@require_GET
@never_cache
def agreement_document(request, pk: int):
    proposal = _proposal(request, pk)
    if not proposal.nphd_file:
        raise Http404
    return _file_response(proposal.nphd_file, proposal.nphd_content_type, f"nphd-{pk}")


@login_required
@require_POST
def tranche_disburse(request, pk: int):
    proposal = _managed_proposal(request, pk)
    form = forms.DisburseForm(request.POST)
    if form_saved(
        request,
        form,
        lambda: services.tranche_disburse(
            actor=request.user, proposal=proposal, **form.cleaned_data
        ),
        success=_("Tranche recorded."),
    ):
        return redirect("grants:proposal_detail", pk)
    return _detail(request, proposal, status=400, disburse_form=form)


@login_required
@require_POST
def proposal_close(request, pk: int):
    proposal = _managed_proposal(request, pk)
    form = forms.CloseForm(request.POST)
    if form_saved(
        request,
        form,
        lambda: services.proposal_close(
            actor=request.user,
            proposal=proposal,
            remaining_returned=form.cleaned_data["remaining_returned"],
            returned_amount=form.cleaned_data["returned_amount"] or 0,
            note=form.cleaned_data["note"],
        ),
        success=_("Grant closed."),
    ):
        return redirect("grants:proposal_detail", pk)
    return _detail(request, proposal, status=400, close_form=form)


# --- accountability reports (LPJ) ----------------------------------------------------------


def _tranche(request, pk: int, number: int) -> Disbursement:
    proposal = _proposal(request, pk)
    return get_object_or_404(
        Disbursement.objects.select_related("proposal", "proposal__scheme"),
        proposal=proposal,
        number=number,
    )


def _report_page(request, tranche, status=200, **bound):
    report = AccountabilityReport.objects.filter(disbursement=tranche).first()
    access = request.access
    editable = access.manages_cooperative and (
        report is None or report.status in AccountabilityReport.EDITABLE
    )
    receipts = list(report.receipts.all()) if report else []
    return render(
        request,
        "grants/report.html",
        {
            "tranche": tranche,
            "proposal": tranche.proposal,
            "report": report,
            "receipts": receipts,
            "receipts_total": sum(r.amount for r in receipts),
            "editable": editable,
            "may_decide": access.manages_grants
            and report is not None
            and report.status == AccountabilityReport.Status.SUBMITTED,
            "report_form": bound.get("report_form")
            or forms.ReportForm(initial={"summary": report.summary if report else ""}),
            "receipt_form": bound.get("receipt_form") or forms.ReceiptForm(),
            "decision_form": bound.get("decision_form") or forms.ReportDecisionForm(),
            "errors": bound.get("errors", []),
        },
        status=status,
    )


@grants_reader
@require_http_methods(["GET", "POST"])
def report(request, pk: int, number: int):
    """GET shows the LPJ of one tranche; POST (manager) saves its summary, or submits it."""
    tranche = _tranche(request, pk, number)
    if request.method == "GET":
        return _report_page(request, tranche)
    if not request.access.manages_cooperative:
        raise PermissionDenied
    form = forms.ReportForm(request.POST)
    submit = "submit" in request.POST

    def save():
        services.report_save(
            actor=request.user, disbursement=tranche, summary=form.cleaned_data["summary"]
        )
        if submit:
            services.report_submit(actor=request.user, disbursement=tranche)

    success = _("Report submitted.") if submit else _("Report saved.")
    if form_saved(request, form, save, success=success):
        return redirect("grants:report", pk, number)
    return _report_page(request, tranche, status=400, report_form=form)


@require_access("manages_cooperative")
@require_POST
def receipt_add(request, pk: int, number: int):
    tranche = _tranche(request, pk, number)
    form = forms.ReceiptForm(request.POST, request.FILES)
    if form_saved(
        request,
        form,
        lambda: services.receipt_add(
            actor=request.user,
            disbursement=tranche,
            upload=form.cleaned_data["file"],
            **{k: form.cleaned_data[k] for k in ("spent_on", "description", "amount")},
        ),
        success=_("Receipt added."),
    ):
        return redirect("grants:report", pk, number)
    return _report_page(request, tranche, status=400, receipt_form=form)


@require_access("manages_cooperative")
@require_POST
def receipt_delete(request, pk: int, number: int, receipt_pk: int):
    tranche = _tranche(request, pk, number)
    receipt = get_object_or_404(
        services.Receipt.objects.select_related("report__disbursement__proposal"),
        report__disbursement=tranche,
        pk=receipt_pk,
    )
    try:
        services.receipt_delete(actor=request.user, receipt=receipt)
    except ValidationError as exc:
        return _report_page(request, tranche, status=400, errors=exc.messages)
    messages.success(request, _("Receipt removed."))
    return redirect("grants:report", pk, number)


@grants_reader
@require_GET
@never_cache
def receipt_file(request, pk: int, number: int, receipt_pk: int):
    tranche = _tranche(request, pk, number)
    receipt = get_object_or_404(services.Receipt, report__disbursement=tranche, pk=receipt_pk)
    return _file_response(receipt.file, receipt.content_type, f"receipt-{pk}-{receipt.pk}")


@login_required
@require_POST
def report_decide(request, pk: int, number: int):
    access = request.access
    if not access or not access.manages_grants:
        if selectors.reads_any_grants(access):
            _tranche(request, pk, number)
        raise PermissionDenied
    tranche = _tranche(request, pk, number)
    form = forms.ReportDecisionForm(request.POST)
    if form_saved(
        request,
        form,
        lambda: services.report_decide(
            actor=request.user,
            disbursement=tranche,
            accept=form.cleaned_data["decision"] == "accept",
            note=form.cleaned_data["note"],
        ),
        success=_("Decision recorded."),
    ):
        return redirect("grants:report", pk, number)
    return _report_page(request, tranche, status=400, decision_form=form)


# --- loans ---------------------------------------------------------------------------------


@grants_reader
@require_http_methods(["GET", "POST"])
def loan_list(request):
    access = request.access
    may_record = selectors.may_record_loans(access)
    form = None
    if may_record:
        form = forms.LoanForm(
            request.POST or None, cooperatives=selectors.cooperatives_in_grant_scope(access)
        )
    if request.method == "POST":
        if not may_record:
            raise PermissionDenied
        if form_saved(
            request,
            form,
            lambda: services.loan_create(actor=request.user, **form.cleaned_data),
            success=_("Loan application recorded."),
        ):
            return redirect("grants:loan_list")
    loans = selectors.loans_visible_to(access).select_related("cooperative__pesantren")
    page = Paginator(loans, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "grants/loans.html",
        {"page": page, "form": form, "move_form": forms.LoanMoveForm(), "may_record": may_record},
        status=400 if request.method == "POST" else 200,
    )


@grants_reader
@require_POST
def loan_move(request, pk: int):
    access = request.access
    loan = get_object_or_404(selectors.loans_visible_to(access), pk=pk)
    if not selectors.may_record_loans(access):
        raise PermissionDenied
    form = forms.LoanMoveForm(request.POST)
    if form.is_valid():
        try:
            services.loan_move(actor=request.user, loan=loan, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Loan status changed."))
    else:
        messages.error(request, _("Choose a status and a date."))
    return redirect("grants:loan_list")


# --- public --------------------------------------------------------------------------------


@require_GET
def transparency(request):
    """Public: one programme's grants (`?programme=jatim`), or the programmes to choose from."""
    programmes = Programme.objects.filter(is_active=True).order_by("name")
    code = request.GET.get("programme", "").strip()
    if not code:
        return render(request, "grants/transparency_choose.html", {"programmes": programmes})
    programme = get_object_or_404(programmes, code=code)
    data = transparency_rows(programme.pk)
    return render(
        request,
        "grants/transparency.html",
        {"programme": programme, "data": data, "statuses": dict(Status.choices)},
    )
