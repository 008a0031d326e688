from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from opop.regions.selectors import region_children


@require_GET
@cache_control(max_age=3600, public=True)
def region_options(request):
    """`<option>` elements for the children of `?parent=<code>`: the chained picker's fragment."""
    parent = request.GET.get("parent", "").strip()
    regions = region_children(parent_code=parent) if parent else []
    return render(
        request,
        "regions/_options.html",
        {"regions": regions, "selected": request.GET.get("selected", "")},
    )
