from django.db.models import QuerySet

from opop.accounts.access import Access
from opop.accounts.models import Membership


def memberships_managed_by(access: Access) -> QuerySet[Membership]:
    """The memberships a programme admin manages: those of their own programme."""
    if not access or not access.administers_programme:
        return Membership.objects.none()
    return Membership.objects.filter(programme_id=access.programme_id).select_related(
        "user", "regency", "pesantren", "person", "partner"
    )
