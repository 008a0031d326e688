"""List filters for the registry pages: search, kab/kota, pillar, status, cohort year, sort.

Each filter form takes the GET parameters and an already scoped queryset (from a
`selectors.*_visible_to`) and narrows it. Invalid values are ignored rather than refused, so a
hand-edited URL still shows a list. Pillar and cohort filters go through `Participation` with an
`EXISTS` subquery, which never duplicates rows and needs no DISTINCT over a big join.
"""

from __future__ import annotations

import re

from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from opop.programmes.models import Pillar
from opop.registry import selectors
from opop.registry.models import (
    Cooperative,
    Enterprise,
    Participation,
    Person,
    Pesantren,
    RecordStatus,
)

_DIGITS = re.compile(r"[\s.\-]")


def _digits(text: str) -> str:
    cleaned = _DIGITS.sub("", text)
    return cleaned if cleaned.isdigit() else ""


def _direction(field, descending: bool):
    if isinstance(field, str):
        return f"-{field}" if descending else field
    return field.desc() if descending else field.asc()


class RegistryFilterForm(forms.Form):
    """Fields every list shares. Subclasses set `sorts`, `status_choices` and `search()`."""

    # sort key -> (label, order_by fields ascending); "-key" sorts descending.
    sorts: dict[str, tuple[str, tuple[str, ...]]] = {}
    default_sort = "name"
    regency_field = "regency_id"
    status_choices = RecordStatus.choices
    status_label = _("Status")

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    regency = forms.ChoiceField(label=_("Kabupaten/kota"), required=False)
    pillar = forms.ChoiceField(
        label=_("Pillar"), required=False, choices=[("", _("All pillars")), *Pillar.choices]
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    cohort_year = forms.IntegerField(
        label=_("Cohort year"), required=False, min_value=2000, max_value=2100
    )
    pesantren = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, data, *, access):
        super().__init__(data)
        self.access = access
        regencies = list(selectors.regencies_for_filter(access).values_list("code", "name"))
        if len(regencies) <= 1:  # an officer's list is already limited to one kab/kota
            del self.fields["regency"]
        else:
            self.fields["regency"].choices = [("", _("All kabupaten/kota")), *regencies]
        self.fields["status"].label = self.status_label
        self.fields["status"].choices = [("", _("Any status")), *self.status_choices]
        self.is_valid()  # fills cleaned_data with the valid fields; bad ones are dropped

    # --- applying ------------------------------------------------------------------------

    def value(self, name: str):
        return self.cleaned_data.get(name) if hasattr(self, "cleaned_data") else None

    def apply(self, qs: QuerySet) -> QuerySet:
        if q := (self.value("q") or "").strip():
            qs = self.search(qs, q)
        if regency := self.value("regency"):
            qs = qs.filter(**{self.regency_field: regency})
        if pesantren := self.value("pesantren"):
            qs = self.filter_pesantren(qs, pesantren)
        qs = self.filter_status(qs, self.value("status"))
        if participation := self.participation_filter():
            qs = qs.filter(participation)
        return qs.order_by(*self.ordering())

    def search(self, qs: QuerySet, q: str) -> QuerySet:
        return qs.filter(name__icontains=q)

    def filter_pesantren(self, qs: QuerySet, pesantren_id: int) -> QuerySet:
        return qs.filter(pesantren_id=pesantren_id)

    def filter_status(self, qs: QuerySet, status: str | None) -> QuerySet:
        return qs.filter(status=status) if status else qs

    def participation_criteria(self) -> dict:
        criteria = {}
        if pillar := self.value("pillar"):
            criteria["pillar"] = pillar
        if year := self.value("cohort_year"):
            criteria["cohort_year"] = year
        return criteria

    def participation_subject(self) -> Q:
        raise NotImplementedError

    def participation_filter(self) -> Exists | None:
        criteria = self.participation_criteria()
        if not criteria:
            return None
        return Exists(
            Participation.objects.filter(
                self.participation_subject(), programme_id=self.access.programme_id, **criteria
            )
        )

    # --- sorting -------------------------------------------------------------------------

    @property
    def sort_key(self) -> str:
        key = self.value("sort") or ""
        return key if key.lstrip("-") in self.sorts else self.default_sort

    def sort_fields(self, key: str) -> tuple:
        return self.sorts[key][1]

    def ordering(self) -> list:
        key = self.sort_key
        descending = key.startswith("-")
        ordered = [_direction(field, descending) for field in self.sort_fields(key.lstrip("-"))]
        return [*ordered, "-id" if descending else "id"]

    def sort_links(self) -> dict[str, dict[str, str]]:
        """For each sortable column: the `sort` value its header link sets, and an arrow."""
        current = self.sort_key
        links = {}
        for key in self.sorts:
            active = current.lstrip("-") == key
            descending = current.startswith("-")
            links[key] = {
                "param": f"-{key}" if active and not descending else key,
                "arrow": ("▼" if descending else "▲") if active else "",
            }
        return links

    def is_filtered(self) -> bool:
        names = ("q", "regency", "pillar", "status", "cohort_year", "pesantren")
        return any(self.value(name) for name in names)


class PesantrenFilter(RegistryFilterForm):
    sorts = {
        "name": (_("Name"), ("name",)),
        "nspp": (_("NSPP"), ("nspp",)),
        "regency": (_("Kabupaten/kota"), ("regency_id", "name")),
        "created": (_("Registered"), ("id",)),
    }

    def search(self, qs, q):
        digits = _digits(q)
        if digits:
            return qs.filter(Q(nspp__startswith=digits) | Q(name__icontains=q))
        return qs.filter(name__icontains=q)

    def filter_pesantren(self, qs, pesantren_id):
        return qs.filter(pk=pesantren_id)

    def participation_subject(self) -> Q:
        # the pesantren itself (pesantrenpreneur) or its people (santri-, sociopreneur)
        return Q(pesantren_id=OuterRef("pk")) | Q(person__pesantren_id=OuterRef("pk"))


class CooperativeFilter(RegistryFilterForm):
    regency_field = "pesantren__regency_id"
    sorts = {
        "name": (_("Name"), ("name",)),
        "pesantren": (_("Pesantren"), ("pesantren__name",)),
        "regency": (_("Kabupaten/kota"), ("pesantren__regency_id", "name")),
        "members": (_("Members"), ("members_count",)),
    }

    def search(self, qs, q):
        digits = _digits(q)
        if digits:
            return qs.filter(Q(nib__startswith=digits) | Q(name__icontains=q))
        return qs.filter(name__icontains=q)

    def participation_subject(self) -> Q:
        return Q(pesantren_id=OuterRef("pesantren_id")) | Q(
            person__pesantren_id=OuterRef("pesantren_id")
        )


class PersonFilter(RegistryFilterForm):
    """People have no record status: "status" here is the status of their participation.

    Sorting a million rows: without a name search, each sort key follows an index (ids grow
    with registration, so "registered" sorts by id). With a name search, PostgreSQL would
    otherwise walk the name index in order, testing every row against the pattern (seconds
    for a rare name late in the alphabet); sorting by expressions no index provides lets it
    take the trigram index instead and sort the few matches.
    """

    status_choices = Participation.Status.choices
    status_label = _("Participation status")
    sorts = {
        "name": (_("Name"), ("full_name",)),
        "regency": (_("Kabupaten/kota"), ("regency_id", "full_name")),
        "created": (_("Registered"), ("id",)),
    }
    searched_sorts = {
        "name": (Upper("full_name"),),
        "regency": (Upper("regency_id"), Upper("full_name")),
        "created": ("created_at",),
    }

    def sort_fields(self, key: str) -> tuple:
        if (self.value("q") or "").strip():
            return self.searched_sorts[key]
        return super().sort_fields(key)

    def search(self, qs, q):
        if looks_like_nik(q):
            # A NIK must never travel in a web address (access logs keep it): the people page
            # offers a POST "find by NIK" box instead, and the API refuses it.
            return qs.none()
        return qs.filter(full_name__icontains=q)

    def filter_status(self, qs, status):
        return qs  # applied through the participation filter

    def participation_criteria(self) -> dict:
        criteria = super().participation_criteria()
        if status := self.value("status"):
            criteria["status"] = status
        return criteria

    def participation_subject(self) -> Q:
        return Q(person_id=OuterRef("pk"))


class EnterpriseFilter(RegistryFilterForm):
    sorts = {
        "name": (_("Name"), ("name",)),
        "sector": (_("Sector"), ("sector", "name")),
        "regency": (_("Kabupaten/kota"), ("regency_id", "name")),
        "revenue": (_("Monthly revenue"), ("monthly_revenue",)),
    }

    def search(self, qs, q):
        digits = _digits(q)
        if len(digits) == 13:
            return qs.filter(Q(nib=digits) | Q(name__icontains=q))
        return qs.filter(name__icontains=q)

    def filter_pesantren(self, qs, pesantren_id):
        return qs.filter(Q(pesantren_id=pesantren_id) | Q(owner__pesantren_id=pesantren_id))

    def participation_subject(self) -> Q:
        return (
            Q(enterprise_id=OuterRef("pk"))
            | Q(person_id=OuterRef("owner_id"))
            | Q(pesantren_id=OuterRef("pesantren_id"), person__isnull=True)
        )


FILTERS = {
    Pesantren: PesantrenFilter,
    Cooperative: CooperativeFilter,
    Person: PersonFilter,
    Enterprise: EnterpriseFilter,
}


def looks_like_nik(text: str) -> bool:
    return len(_digits(text or "")) == 16
