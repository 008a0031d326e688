from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def require_access(check: str):
    """Log in, then require `request.access.<check>` (e.g. "reads_registry"); 403 otherwise."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            access = request.access
            if not access or not getattr(access, check):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
