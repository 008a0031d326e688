"""People pages: list, detail (participations, enterprises, history, personal-data actions),
create, edit. The NIK is shown masked; see `personal_data` for revealing and exporting it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from opop.accounts.decorators import require_access
from opop.common import pii
from opop.common.identifiers import parse_nik
from opop.registry import rules, selectors
from opop.registry.filters import looks_like_nik
from opop.registry.models import Participation
from opop.registry.views.common import PERSON, form_page, list_page
from opop.registry.views.display import field_rows, readable_history

DETAIL_FIELDS = [
    "gender",
    "birth_date",
    "birth_place",
    "phone",
    "email",
    "address",
    "regency",
    "district",
    "affiliation",
    "consent_purpose",
    "consent_at",
]
GUARDIAN_FIELDS = ["guardian_name", "guardian_relation", "guardian_consent_at"]


def _pillars() -> Prefetch:
    return Prefetch(
        "participations",
        queryset=Participation.objects.only("id", "person_id", "pillar", "cohort_year", "status"),
    )


@require_access("reads_registry")
def person_list(request):
    if looks_like_nik(request.GET.get("q", "")):
        messages.warning(request, _("To find someone by NIK, use the “Find by NIK” box."))
    return list_page(request, PERSON, prefetch=[_pillars()])


@require_access("reads_registry")
@require_POST
def person_find_by_nik(request):
    """Look a NIK up by its keyed hash among the people one may see; POST keeps it out of URLs."""
    try:
        info = parse_nik(request.POST.get("nik", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("registry:person_list")
    person = PERSON.visible(request.access).filter(nik_hash=pii.nik_hash(info.nik)).first()
    if person is None:
        messages.info(request, _("No one with this NIK among the people you may see."))
        return redirect("registry:person_list")
    return redirect("registry:person_detail", pk=person.pk)


def person_context(request, person) -> dict:
    """Everything the person page shows; also used to re-render it after revealing the NIK."""
    access = request.access
    may_edit = PERSON.editable(access).filter(pk=person.pk).exists()
    minor = rules.is_minor(person.birth_date)
    return {
        "register": PERSON,
        "record": person,
        "rows": field_rows(person, DETAIL_FIELDS, access=access),
        "guardian_rows": field_rows(person, GUARDIAN_FIELDS, access=access)
        if minor or person.guardian_name
        else [],
        "minor": minor,
        "pesantren_visible": bool(person.pesantren_id)
        and selectors.pesantren_visible_to(access).filter(pk=person.pesantren_id).exists(),
        "participations": selectors.participations_visible_to(access)
        .filter(person=person)
        .select_related("enterprise"),
        "enterprises": selectors.enterprises_visible_to(access).filter(owner=person),
        "history": readable_history(person, access=access),
        "may_edit": may_edit and not person.anonymised_at,
        "may_edit_participations": may_edit and selectors.may_edit_participations(access),
        "may_add_enterprise": may_edit and selectors.may_create_enterprise(access),
        "may_reveal_nik": selectors.may_reveal_nik(access, person),
        "may_export_data": selectors.may_export_person_data(access, person),
        "may_anonymise": selectors.may_anonymise_person(access, person),
    }


@require_access("reads_registry")
def person_detail(request, pk: int):
    person = get_object_or_404(
        PERSON.visible(request.access).select_related("regency", "district", "pesantren"), pk=pk
    )
    return render(request, "registry/person_detail.html", person_context(request, person))


@require_access("writes_registry")
@require_http_methods(["GET", "POST"])
def person_create(request):
    if not PERSON.may_create(request.access):
        raise PermissionDenied
    initial = {}
    if request.GET.get("pesantren", "").isdigit():
        initial["pesantren"] = int(request.GET["pesantren"])
    return form_page(request, PERSON, initial=initial)


@require_access("writes_registry")
@require_http_methods(["GET", "POST"])
def person_edit(request, pk: int):
    person = get_object_or_404(PERSON.editable(request.access), pk=pk)
    if person.anonymised_at:
        messages.error(
            request, _("This person's data was deleted on request and cannot be edited.")
        )
        return redirect(PERSON.url("detail", pk))
    return form_page(request, PERSON, instance=person)
