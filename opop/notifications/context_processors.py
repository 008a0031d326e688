from opop.notifications.models import Notification


def unread_notifications(request):
    """The unread count for the navbar bell; one indexed count, only for logged-in users."""
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return {}
    return {"unread_notifications": _LazyCount(user)}


class _LazyCount:
    # Counted only when a template shows it (HTMX fragments and API responses never do).
    def __init__(self, user):
        self.user = user
        self._value = None

    def _count(self) -> int:
        if self._value is None:
            self._value = Notification.objects.filter(user=self.user, read_at__isnull=True).count()
        return self._value

    def __int__(self) -> int:
        return self._count()

    def __bool__(self) -> bool:
        return self._count() > 0

    def __str__(self) -> str:
        return str(self._count())
