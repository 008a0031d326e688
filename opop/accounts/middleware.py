from django.utils.functional import SimpleLazyObject

from opop.accounts.access import access_for

SESSION_KEY = "opop_membership"


class ActiveProgrammeMiddleware:
    """Puts `request.access`: the user's role in the programme they have chosen (lazily)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.access = SimpleLazyObject(lambda: _resolve(request))
        return self.get_response(request)


def _resolve(request):
    membership_id = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    return access_for(request.user, membership_id=membership_id) or _NoAccess()


class _NoAccess:
    """Stands in for an Access when the user has no role anywhere: every check says no."""

    membership = None
    memberships = ()
    programme = None
    programme_id = None
    role = None

    def __bool__(self) -> bool:
        return False

    def __getattr__(self, name):
        return False
