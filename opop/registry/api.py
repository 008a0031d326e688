"""The registry read API: `/api/v1/pesantren/`, `cooperatives/`, `people/`, `enterprises/`.

Every queryset starts from a `*_visible_to(access)` selector, for the programme the call names
(see `opop.common.api`); a record outside that scope is a 404, like on the pages. Lists are
narrowed by the pages' own filter forms (`opop.registry.filters`), so `?pillar=…` means the same
on both.
"""

from __future__ import annotations

from django.db.models import Prefetch

from opop.common.api import ProgrammeScopedViewSet, scoped_read_schema
from opop.registry import filters, selectors
from opop.registry.serializers import (
    CooperativeFilterSerializer,
    CooperativeSerializer,
    EnterpriseFilterSerializer,
    EnterpriseSerializer,
    PersonFilterSerializer,
    PersonSerializer,
    PesantrenFilterSerializer,
    PesantrenSerializer,
)

TAG = "registry"
# API parameter -> the pages' filter form field.
FORM_FIELDS = {"search": "q", "ordering": "sort"}


class RegistryViewSet(ProgrammeScopedViewSet):
    page_filter: type[filters.RegistryFilterForm]

    def filtered(self, queryset, params: dict):
        data = {FORM_FIELDS.get(name, name): value for name, value in params.items()}
        form = self.page_filter(data, access=self.access)
        queryset = form.apply(queryset)
        if "regency" in params:
            # The form drops a kab/kota it does not offer (an officer's list has no regency
            # choice); in the API a kab/kota outside the scope means an empty list, not all.
            queryset = queryset.filter(**{form.regency_field: params["regency"]})
        return queryset


@scoped_read_schema(
    serializer=PesantrenSerializer, filters=PesantrenFilterSerializer, tag=TAG, noun="pesantren"
)
class PesantrenViewSet(RegistryViewSet):
    """Pesantren of the programme, as far as your role's scope reaches."""

    serializer_class = PesantrenSerializer
    filter_serializer_class = PesantrenFilterSerializer
    page_filter = filters.PesantrenFilter

    def scoped_queryset(self, access):
        return selectors.pesantren_visible_to(access).select_related("regency", "district")


@scoped_read_schema(
    serializer=CooperativeSerializer,
    filters=CooperativeFilterSerializer,
    tag=TAG,
    noun="cooperatives",
)
class CooperativeViewSet(RegistryViewSet):
    """Koperasi pondok pesantren (koppontren) in your scope."""

    serializer_class = CooperativeSerializer
    filter_serializer_class = CooperativeFilterSerializer
    page_filter = filters.CooperativeFilter

    def scoped_queryset(self, access):
        return selectors.cooperatives_visible_to(access).select_related(
            "pesantren", "pesantren__regency"
        )


@scoped_read_schema(
    serializer=PersonSerializer, filters=PersonFilterSerializer, tag=TAG, noun="people"
)
class PersonViewSet(RegistryViewSet):
    """Santri, alumni, ustadz and community members in your scope. The NIK only masked; contact
    data masked for roles that do not see it."""

    serializer_class = PersonSerializer
    filter_serializer_class = PersonFilterSerializer
    page_filter = filters.PersonFilter

    def scoped_queryset(self, access):
        return (
            selectors.people_visible_to(access)
            .select_related("regency", "district", "pesantren")
            .prefetch_related(
                Prefetch("participations", queryset=selectors.participations_visible_to(access))
            )
        )


@scoped_read_schema(
    serializer=EnterpriseSerializer,
    filters=EnterpriseFilterSerializer,
    tag=TAG,
    noun="enterprises",
)
class EnterpriseViewSet(RegistryViewSet):
    """Businesses of participants, pesantren and cooperatives in your scope."""

    serializer_class = EnterpriseSerializer
    filter_serializer_class = EnterpriseFilterSerializer
    page_filter = filters.EnterpriseFilter

    def scoped_queryset(self, access):
        return selectors.enterprises_visible_to(access).select_related(
            "owner", "pesantren", "cooperative", "regency"
        )
