from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from opop.accounts.decorators import require_access
from opop.registry.pickers import PICKERS, matches


@require_GET
@require_access("reads_registry")
def record_pick(request, register: str):
    """The options of a record picker matching `?q=`, within what the reader may choose."""
    if register not in PICKERS:
        raise Http404
    text = request.GET.get("q", "").strip()[:100]
    rows = matches(request.access, register, text)
    return render(request, "registry/_picker_options.html", {"rows": rows, "q": text})
