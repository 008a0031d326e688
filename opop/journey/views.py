from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from opop.accounts.decorators import require_access
from opop.journey import selectors
from opop.journey.forms import JourneyFilterForm
from opop.milestones.selectors import level_of
from opop.registry.selectors import pesantren_visible_to

# A decade of history is a few hundred steps: a page is one screenful of years on a phone.
STEPS_PER_PAGE = 60


@require_GET
@require_access("reads_registry")
def pesantren_journey(request, pk: int):
    access = request.access
    pesantren = get_object_or_404(pesantren_visible_to(access).select_related("regency"), pk=pk)
    form = JourneyFilterForm(request.GET)
    aspect, year = form.values()
    journey = selectors.pesantren_journey(pesantren.pk, access, aspect=aspect, year=year)
    page = Paginator(journey.steps, STEPS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "journey/pesantren.html",
        {
            "pesantren": pesantren,
            "level": level_of(pesantren),
            "journey": journey,
            "page": page,
            "aspect": selectors.aspect_for(aspect),
            "year": year,
            "form": form,
        },
    )
