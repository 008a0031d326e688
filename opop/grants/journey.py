"""A pesantren's grants and loans on its journey page: one indexed read of `GrantEvent`.

Anyone who may see the pesantren sees its signed grants (they are public on the transparency
page anyway); proposals and loans are shown only to grant readers and the cooperative's manager.
"""

from __future__ import annotations

from django.urls import reverse

from opop.common.formatting import rupiah
from opop.common.journey import JourneyEvent
from opop.grants.models import GrantEvent
from opop.grants.selectors import reads_any_grants
from opop.registry.selectors import pesantren_visible_to

PUBLIC_KINDS = (
    GrantEvent.Kind.AGREED,
    GrantEvent.Kind.DISBURSED,
    GrantEvent.Kind.LPJ_ACCEPTED,
    GrantEvent.Kind.CLOSED,
)


def journey_events(pesantren_id: int, access) -> list[JourneyEvent]:
    if not access or not pesantren_visible_to(access).filter(pk=pesantren_id).exists():
        return []
    events = GrantEvent.objects.filter(programme_id=access.programme_id, pesantren_id=pesantren_id)
    if not reads_any_grants(access):
        events = events.filter(kind__in=PUBLIC_KINDS)
    may_open = reads_any_grants(access)
    result = []
    for kind, on, amount, label, proposal_id in events.order_by("on", "id").values_list(
        "kind", "on", "amount", "label", "proposal_id"
    ):
        title = str(GrantEvent.Kind(kind).label)
        detail = f"{label} · {rupiah(amount)}" if amount else label
        url = ""
        if may_open:
            url = (
                reverse("grants:proposal_detail", args=[proposal_id])
                if proposal_id
                else reverse("grants:loan_list")
            )
        result.append(
            JourneyEvent(on=on, kind=f"grant.{kind}", title=title, detail=detail, url=url)
        )
    return result
