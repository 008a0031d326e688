"""Helpers shared by the register pages: the register table, paging without a full COUNT, and
the create/edit flow around a `*_save` service."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opop.registry import filters, forms, selectors, services
from opop.registry.models import Cooperative, Enterprise, Person, Pesantren

PAGE_SIZE = 25
# Lists count at most this many rows: "more than 10,000" needs no COUNT over a million people.
COUNT_CAP = 10_000
# A name search that matches thousands is refined, not paged through: count less of it.
SEARCH_COUNT_CAP = 1_000


@dataclass(frozen=True)
class Register:
    model: type[Model]
    key: str  # URL name prefix: registry:<key>_list, _detail, _create, _edit, _export
    title: str
    visible: Callable
    editable: Callable
    may_create: Callable
    save: Callable
    list_related: tuple[str, ...] = ()

    @property
    def filter_form(self):
        return filters.FILTERS[self.model]

    @property
    def form(self):
        return forms.FORMS[self.model]

    @property
    def verbose_name(self) -> str:
        return self.model._meta.verbose_name

    def url(self, page: str, *args) -> str:
        return reverse(f"registry:{self.key}_{page}", args=args)


PESANTREN = Register(
    Pesantren,
    "pesantren",
    gettext_lazy("Pesantren"),
    selectors.pesantren_visible_to,
    selectors.pesantren_editable_by,
    selectors.may_create_pesantren,
    services.pesantren_save,
    ("regency", "district"),
)
COOPERATIVE = Register(
    Cooperative,
    "cooperative",
    gettext_lazy("Cooperatives"),
    selectors.cooperatives_visible_to,
    selectors.cooperatives_editable_by,
    selectors.may_create_in_scope,
    services.cooperative_save,
    ("pesantren", "pesantren__regency"),
)
PERSON = Register(
    Person,
    "person",
    gettext_lazy("People"),
    selectors.people_visible_to,
    selectors.people_editable_by,
    selectors.may_create_in_scope,
    services.person_save,
    ("regency", "pesantren"),
)
ENTERPRISE = Register(
    Enterprise,
    "enterprise",
    gettext_lazy("Enterprises"),
    selectors.enterprises_visible_to,
    selectors.enterprises_editable_by,
    selectors.may_create_enterprise,
    services.enterprise_save,
    ("regency", "owner"),
)
REGISTERS = {r.model: r for r in (PESANTREN, COOPERATIVE, PERSON, ENTERPRISE)}


# --- Lists -----------------------------------------------------------------------------------


class CappedPaginator(Paginator):
    """Counts at most `cap` + 1 rows (a COUNT over a LIMIT subquery)."""

    def __init__(self, object_list, per_page, *, cap: int):
        super().__init__(object_list, per_page)
        self.cap = cap

    @cached_property
    def count(self) -> int:
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap


def page_of(request: HttpRequest, rows: QuerySet, *, cap: int = COUNT_CAP) -> Page:
    return CappedPaginator(rows, PAGE_SIZE, cap=cap).get_page(request.GET.get("page"))


def filtered_rows(request: HttpRequest, register: Register):
    """The filter form and the scoped, filtered, sorted queryset it describes."""
    filter_form = register.filter_form(request.GET, access=request.access)
    return filter_form, filter_form.apply(register.visible(request.access))


def list_page(request: HttpRequest, register: Register, *, prefetch=()) -> HttpResponse:
    filter_form, rows = filtered_rows(request, register)
    rows = rows.select_related(*register.list_related).prefetch_related(*prefetch)
    cap = SEARCH_COUNT_CAP if filter_form.value("q") else COUNT_CAP
    context = {
        "register": register,
        "filters": filter_form,
        "page": page_of(request, rows, cap=cap),
        "sorts": filter_form.sort_links(),
        "may_create": register.may_create(request.access),
    }
    return render(request, f"registry/{register.key}_list.html", context)


# --- Create and edit -------------------------------------------------------------------------

IDENTIFIER_LABELS = {"nik": "NIK", "nspp": "NSPP", "nib": "NIB"}


def duplicate_notice(access, duplicate: services.DuplicateRecord) -> dict:
    """The message for a taken NIK/NSPP/NIB; names and links the holder only if in scope."""
    register = REGISTERS[type(duplicate.existing)]
    label = IDENTIFIER_LABELS.get(duplicate.field, duplicate.field)
    notice = {
        "field": duplicate.field,
        "message": _("This %(label)s is already registered in this programme.") % {"label": label},
    }
    if register.visible(access).filter(pk=duplicate.existing.pk).exists():
        notice.update(url=duplicate.existing_url, name=str(duplicate.existing))
    return notice


def form_page(
    request: HttpRequest, register: Register, *, instance=None, initial=None
) -> HttpResponse:
    """Show the form; on POST validate it, call the register's save service, and go to the
    record. Bad input and refusals from the service come back as field messages."""
    access = request.access
    data = request.POST if request.method == "POST" else None
    form = register.form(data, access=access, instance=instance, initial=initial)
    duplicate = None
    if data is not None and form.is_valid():
        try:
            record = register.save(
                actor=request.user,
                programme=access.programme,
                instance=instance,
                **form.service_kwargs(),
            )
        except services.DuplicateRecord as exc:
            duplicate = duplicate_notice(access, exc)
            form.add_error(exc.field if exc.field in form.fields else None, duplicate["message"])
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(register.url("detail", record.pk))
        if instance is not None:
            instance.refresh_from_db()  # the service changed it in memory before refusing
    form.mark_invalid()
    context = {"register": register, "form": form, "instance": instance, "duplicate": duplicate}
    return render(request, "registry/form.html", context)
