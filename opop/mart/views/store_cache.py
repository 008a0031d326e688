"""A short-lived cache of the storefront's listing pages, for anonymous visitors only.

Home, search, category and shop pages are the same for every visitor without a session, so
their rendered HTML is kept for `MART_STORE_CACHE_SECONDS` (default 60 s; 0 turns it off) per
full URL (host, path, query string) and language, in Django's cache (Redis in production).

- Only GET/HEAD requests carrying neither a session cookie nor a messages cookie use the cache
  (read or write): a logged-in visitor (cart, menus, CSRF-protected forms) always gets a fresh
  page and never one rendered for somebody else, and an anonymous page never shows a logged-in
  visitor's page.
- Pages rendered for the cache carry no CSRF token (`csrf_token` is blanked, see
  `anonymous_context`: the listing pages have GET forms only); a response that still set a
  cookie or asked for a CSRF cookie is not stored.
"""

from __future__ import annotations

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import translation

DEFAULT_SECONDS = 60
KEY_PREFIX = "mart:page:"
HEADER = "X-Store-Cache"


def cache_seconds() -> int:
    return int(getattr(settings, "MART_STORE_CACHE_SECONDS", DEFAULT_SECONDS))


def is_cacheable(request) -> bool:
    """An anonymous GET without a session or pending messages."""
    if request.method not in ("GET", "HEAD") or cache_seconds() <= 0:
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    if getattr(settings, "MESSAGE_COOKIE_NAME", "messages") in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def page_key(request) -> str:
    url = request.build_absolute_uri()
    language = translation.get_language() or ""
    digest = hashlib.sha256(f"{language}|{url}".encode()).hexdigest()
    return f"{KEY_PREFIX}{digest}"


def anonymous_context(request) -> dict:
    """Extra template context: no CSRF token in a page that may be served to others."""
    return {"csrf_token": ""} if getattr(request, "store_cached_render", False) else {}


def anonymous_page_cache(view):
    """Serve and keep `view`'s page for anonymous visitors for `cache_seconds()`."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_cacheable(request):
            return view(request, *args, **kwargs)
        key = page_key(request)
        kept = cache.get(key)
        if kept is not None:
            content, content_type = kept
            response = HttpResponse(content, content_type=content_type)
            response[HEADER] = "hit"
            return response
        request.store_cached_render = True
        response = view(request, *args, **kwargs)
        if _storable(request, response):
            cache.set(key, (response.content, response["Content-Type"]), cache_seconds())
            response[HEADER] = "miss"
        return response

    return wrapped


def _storable(request, response) -> bool:
    """A plain 200 page that set no cookie, asked for no CSRF cookie and wrote no session."""
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not (session is not None and session.modified)
    )
