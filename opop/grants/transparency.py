"""The public grants page: every signed grant of a programme by kab/kota and recipient
cooperative, with committed and disbursed amounts and status.

Only institutions are named (kab/kota, pesantren, cooperative, scheme): no person's name, phone,
NIK or bank account is ever read here — the queries select named columns only, so a field added
to a model later cannot leak by accident. Rows are cached for a few minutes.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Sum

from opop.grants.models import Disbursement, GrantProposal
from opop.regions.models import Region

CACHE_SECONDS = 300
# The only columns the page reads.
COLUMNS = (
    "pk",
    "status",
    "agreed_amount",
    "scheme__name",
    "scheme__year",
    "cooperative__name",
    "cooperative__pesantren__name",
    "cooperative__pesantren__regency_id",
)


def cache_key(programme_id: int) -> str:
    return f"grants:transparency:{programme_id}"


def transparency_rows(programme_id: int) -> dict:
    cached = cache.get(cache_key(programme_id))
    if cached is not None:
        return cached
    grants = list(
        GrantProposal.objects.filter(programme_id=programme_id, status__in=GrantProposal.COMMITTED)
        .order_by("cooperative__pesantren__regency_id", "cooperative__name", "scheme__year")
        .values(*COLUMNS)
    )
    disbursed = dict(
        Disbursement.objects.filter(proposal_id__in=[g["pk"] for g in grants])
        .values("proposal_id")
        .annotate(total=Sum("amount"))
        .values_list("proposal_id", "total")
    )
    codes = {g["cooperative__pesantren__regency_id"] for g in grants}
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    regencies: dict[str, dict] = {}
    for grant in grants:
        code = grant["cooperative__pesantren__regency_id"] or ""
        group = regencies.setdefault(
            code,
            {"code": code, "name": names.get(code, ""), "rows": [], "committed": 0, "disbursed": 0},
        )
        paid = disbursed.get(grant["pk"]) or 0
        group["rows"].append(
            {
                "cooperative": grant["cooperative__name"],
                "pesantren": grant["cooperative__pesantren__name"],
                "scheme": grant["scheme__name"],
                "year": grant["scheme__year"],
                "committed": grant["agreed_amount"] or 0,
                "disbursed": paid,
                "status": grant["status"],
            }
        )
        group["committed"] += grant["agreed_amount"] or 0
        group["disbursed"] += paid
    result = {
        "regencies": sorted(regencies.values(), key=lambda g: g["name"]),
        "committed": sum(g["committed"] for g in regencies.values()),
        "disbursed": sum(g["disbursed"] for g in regencies.values()),
        "count": len(grants),
    }
    cache.set(cache_key(programme_id), result, CACHE_SECONDS)
    return result
