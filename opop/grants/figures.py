"""Grant figures for the dashboard (issue 5, point 8): grants committed and disbursed, count and
Rupiah, by kab/kota, for one year.

A grant counts as committed in the year its agreement (NPHD) was signed; disbursed counts the
tranches paid in the year (Rp) and the grants that received at least one (count). Scope as the
registry: programme-wide roles see the whole programme, an officer their kab/kota, a
facilitator or manager their pesantren. Two grouped queries plus region names.
"""

from __future__ import annotations

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from opop.grants.models import Disbursement, GrantProposal
from opop.regions.models import Region
from opop.registry.selectors import pesantren_visible_to

REGENCY = "cooperative__pesantren__regency_id"


def _scoped(qs, access, prefix: str = ""):
    qs = qs.filter(**{f"{prefix}programme_id": access.programme_id})
    if access.is_programme_wide:
        return qs
    return qs.filter(
        **{f"{prefix}cooperative__pesantren__in": pesantren_visible_to(access).values("pk")}
    )


def dashboard_figures(access, *, year: int) -> dict:
    if not access or not access.reads_dashboard:
        raise PermissionError("no grant figures for this access")
    committed = (
        _scoped(GrantProposal.objects.all(), access)
        .filter(status__in=GrantProposal.COMMITTED, nphd_date__year=year)
        .values(REGENCY)
        .annotate(count=Count("id"), amount=Sum("agreed_amount"))
        .order_by()
    )
    disbursed = (
        _scoped(Disbursement.objects.all(), access, "proposal__")
        .filter(paid_on__year=year)
        .values(f"proposal__{REGENCY}")
        .annotate(count=Count("proposal_id", distinct=True), amount=Sum("amount"))
        .order_by()
    )
    rows: dict[str, dict] = {}

    def row(code):
        return rows.setdefault(
            code or "",
            {
                "code": code or "",
                "committed_count": 0,
                "committed_amount": 0,
                "disbursed_count": 0,
                "disbursed_amount": 0,
            },
        )

    for item in committed:
        r = row(item[REGENCY])
        r["committed_count"], r["committed_amount"] = item["count"], item["amount"] or 0
    for item in disbursed:
        r = row(item[f"proposal__{REGENCY}"])
        r["disbursed_count"], r["disbursed_amount"] = item["count"], item["amount"] or 0
    names = dict(Region.objects.filter(code__in=list(rows)).values_list("code", "name"))
    by_regency = sorted(
        ({**r, "name": names.get(r["code"]) or _("Unknown")} for r in rows.values()),
        key=lambda r: (-r["committed_amount"], -r["disbursed_amount"], r["name"]),
    )
    return {
        "year": year,
        "committed": {
            "count": sum(r["committed_count"] for r in by_regency),
            "amount": sum(r["committed_amount"] for r in by_regency),
        },
        "disbursed": {
            "count": sum(r["disbursed_count"] for r in by_regency),
            "amount": sum(r["disbursed_amount"] for r in by_regency),
        },
        "by_regency": by_regency,
    }
