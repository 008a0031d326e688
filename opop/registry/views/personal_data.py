"""Personal data (UU PDP 27/2022): revealing a NIK, handing a person all data held about them,
and deleting it on request. Each action is audited by its service."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from opop.accounts.decorators import require_access
from opop.registry import selectors, services
from opop.registry.forms import AnonymiseForm
from opop.registry.views.common import PERSON
from opop.registry.views.people import person_context


def _visible_person(request, pk: int):
    return get_object_or_404(
        PERSON.visible(request.access).select_related("regency", "district", "pesantren"), pk=pk
    )


@require_access("reads_registry")
@require_POST
@never_cache
def person_reveal_nik(request, pk: int):
    """The clear NIK for roles that may see it: an HTMX fragment, or the page without HTMX."""
    person = _visible_person(request, pk)
    if not selectors.may_reveal_nik(request.access, person):
        raise PermissionDenied
    nik = services.person_reveal_nik(actor=request.user, person=person)
    if request.htmx:
        return render(request, "registry/_nik.html", {"nik": nik, "revealed": True})
    context = {**person_context(request, person), "revealed_nik": nik}
    return render(request, "registry/person_detail.html", context)


@require_access("reads_registry")
@require_POST
@never_cache
def person_data_export(request, pk: int):
    """All data held about the person as JSON (a data subject's access request)."""
    person = _visible_person(request, pk)
    if not selectors.may_export_person_data(request.access, person):
        raise PermissionDenied
    data = services.person_data_export(actor=request.user, person=person)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="person-{person.pk}.json"'
    return response


@require_access("administers_programme")
@require_http_methods(["GET", "POST"])
def person_anonymise(request, pk: int):
    """Delete a person's identity and contact data on request, after a confirmation step."""
    person = _visible_person(request, pk)
    if not selectors.may_anonymise_person(request.access, person):
        raise PermissionDenied
    form = AnonymiseForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        services.person_anonymise(
            actor=request.user, person=person, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("The person's personal data was deleted."))
        return redirect(PERSON.url("detail", pk))
    return render(request, "registry/person_anonymise.html", {"record": person, "form": form})
