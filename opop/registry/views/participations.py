"""Adding and changing pillar participation: from a person's page (santripreneur,
sociopreneur) or a pesantren's page (pesantrenpreneur)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from opop.accounts.decorators import require_access
from opop.registry import selectors, services
from opop.registry.forms import ParticipationForm
from opop.registry.views.common import PERSON, PESANTREN, Register


def _participation_page(request, register: Register, subject, instance=None):
    access = request.access
    if not selectors.may_edit_participations(access):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = ParticipationForm(data, access=access, subject=subject, instance=instance)
    if data is not None and form.is_valid():
        try:
            services.participation_save(
                actor=request.user,
                programme=access.programme,
                data=form.service_data(),
                instance=instance,
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(register.url("detail", subject.pk))
    form.mark_invalid()
    context = {"form": form, "subject": subject, "register": register, "instance": instance}
    return render(request, "registry/participation_form.html", context)


@require_access("writes_registry")
@require_http_methods(["GET", "POST"])
def person_participation_add(request, pk: int):
    person = get_object_or_404(PERSON.editable(request.access), pk=pk)
    return _participation_page(request, PERSON, person)


@require_access("writes_registry")
@require_http_methods(["GET", "POST"])
def pesantren_participation_add(request, pk: int):
    pesantren = get_object_or_404(PESANTREN.editable(request.access), pk=pk)
    return _participation_page(request, PESANTREN, pesantren)


@require_access("writes_registry")
@require_http_methods(["GET", "POST"])
def participation_edit(request, pk: int):
    """The participation is found through its subject's editable scope, never by id alone."""
    access = request.access
    participation = get_object_or_404(selectors.participations_visible_to(access), pk=pk)
    if participation.person_id:
        register, subject_id = PERSON, participation.person_id
    else:
        register, subject_id = PESANTREN, participation.pesantren_id
    subject = get_object_or_404(register.editable(access), pk=subject_id)
    return _participation_page(request, register, subject, instance=participation)
