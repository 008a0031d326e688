"""Who sees which grants, loans and schemes. Deny by default; another programme's rows are
never in any queryset here, so a view's `get_object_or_404` on them is a 404.

- programme admins (`manages_grants`) and auditors: the whole programme;
- officers (`reads_grants`): cooperatives of pesantren in their kab/kota;
- cooperative managers (`manages_cooperative`): their own pesantren's cooperatives, drafts too.
Staff never see a manager's drafts.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet, Sum

from opop.accounts.models import Role
from opop.grants.models import (
    AccountabilityReport,
    Disbursement,
    GrantProposal,
    GrantScheme,
    LoanApplication,
)
from opop.registry.models import Cooperative
from opop.registry.selectors import cooperatives_visible_to


def reads_any_grants(access) -> bool:
    return bool(
        access and (access.reads_grants or access.manages_grants or access.manages_cooperative)
    )


def cooperatives_in_grant_scope(access) -> QuerySet[Cooperative]:
    if not reads_any_grants(access):
        return Cooperative.objects.none()
    return cooperatives_visible_to(access)


def proposals_visible_to(access) -> QuerySet[GrantProposal]:
    if not reads_any_grants(access):
        return GrantProposal.objects.none()
    qs = GrantProposal.objects.filter(
        programme_id=access.programme_id,
        cooperative__in=cooperatives_in_grant_scope(access).values("pk"),
    )
    if not access.manages_cooperative:
        qs = qs.exclude(status=GrantProposal.Status.DRAFT)
    return qs.select_related("scheme", "cooperative", "cooperative__pesantren")


def proposals_editable_by(access) -> QuerySet[GrantProposal]:
    """A manager's own proposals (whether they may change one now is the service's call)."""
    if not access or not access.manages_cooperative:
        return GrantProposal.objects.none()
    return proposals_visible_to(access)


def schemes_visible_to(access) -> QuerySet[GrantScheme]:
    if not reads_any_grants(access):
        return GrantScheme.objects.none()
    return GrantScheme.objects.filter(programme_id=access.programme_id)


def disbursements_visible_to(access) -> QuerySet[Disbursement]:
    return Disbursement.objects.filter(proposal__in=proposals_visible_to(access).values("pk"))


def receipts_of(report: AccountabilityReport):
    return report.receipts.all()


def may_record_loans(access) -> bool:
    """Managers for their cooperative; programme admins and officers (their kab/kota)."""
    return bool(
        access
        and (access.manages_cooperative or access.manages_grants or access.role == Role.OFFICER)
    )


def loans_visible_to(access) -> QuerySet[LoanApplication]:
    if not reads_any_grants(access):
        return LoanApplication.objects.none()
    return LoanApplication.objects.filter(
        programme_id=access.programme_id,
        cooperative__in=cooperatives_in_grant_scope(access).values("pk"),
    ).select_related("cooperative")


def loans_editable_by(access) -> QuerySet[LoanApplication]:
    if not may_record_loans(access):
        return LoanApplication.objects.none()
    return loans_visible_to(access)


def scheme_budget(scheme: GrantScheme) -> dict:
    """The scheme's budget against committed (signed NPHD) and disbursed, in two queries."""
    committed = GrantProposal.objects.filter(
        scheme=scheme, status__in=GrantProposal.COMMITTED
    ).aggregate(total=Sum("agreed_amount"))["total"]
    disbursed = Disbursement.objects.filter(proposal__scheme=scheme).aggregate(total=Sum("amount"))[
        "total"
    ]
    committed, disbursed = committed or 0, disbursed or 0
    return {
        "total": scheme.total_budget,
        "committed": committed,
        "disbursed": disbursed,
        "uncommitted": scheme.total_budget - committed,
        "committed_pct": round(100 * committed / scheme.total_budget) if scheme.total_budget else 0,
        "disbursed_pct": round(100 * disbursed / scheme.total_budget) if scheme.total_budget else 0,
    }


def schemes_with_budget(access) -> list[dict]:
    schemes = list(schemes_visible_to(access))
    committed = dict(
        GrantProposal.objects.filter(scheme__in=schemes, status__in=GrantProposal.COMMITTED)
        .values("scheme")
        .annotate(total=Sum("agreed_amount"))
        .values_list("scheme", "total")
    )
    disbursed = dict(
        Disbursement.objects.filter(proposal__scheme__in=schemes)
        .values("proposal__scheme")
        .annotate(total=Sum("amount"))
        .values_list("proposal__scheme", "total")
    )
    return [
        {
            "scheme": s,
            "committed": committed.get(s.pk) or 0,
            "disbursed": disbursed.get(s.pk) or 0,
            "uncommitted": s.total_budget - (committed.get(s.pk) or 0),
        }
        for s in schemes
    ]


def proposal_filter(qs, *, scheme: str = "", status: str = "", q: str = ""):
    if scheme.isdigit():
        qs = qs.filter(scheme_id=int(scheme))
    if status in GrantProposal.Status.values:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(
            Q(cooperative__name__icontains=q) | Q(cooperative__pesantren__name__icontains=q)
        )
    return qs
