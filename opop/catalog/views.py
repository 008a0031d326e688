"""Product pages: list, detail, create, edit, certifications and photos."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from opop.accounts.decorators import require_access
from opop.catalog import selectors, services
from opop.catalog.forms import ProductFilterForm, ProductForm, ProductPhotoForm
from opop.catalog.views_curation import curation_context
from opop.common.forms import form_saved
from opop.registry.selectors import enterprises_editable_by
from opop.registry.views.display import readable_history

PAGE_SIZE = 25
DETAIL_FIELDS = [
    "enterprise",
    "category",
    "description",
    "unit",
    "weight_grams",
    "monthly_capacity",
]


def _may_create(access) -> bool:
    return enterprises_editable_by(access).exists()


@require_access("reads_registry")
def product_list(request):
    access = request.access
    filters = ProductFilterForm(request.GET)
    rows = selectors.with_curation(
        filters.apply(selectors.products_visible_to(access)).select_related(
            "enterprise", "category"
        )
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"filters": filters, "page": page, "may_create": _may_create(access)}
    return render(request, "catalog/product_list.html", context)


@require_access("reads_registry")
def product_detail(request, pk: int):
    product = get_object_or_404(
        selectors.products_visible_to(request.access).select_related("enterprise", "category"),
        pk=pk,
    )
    return _render_detail(request, product)


def _render_detail(request, product, photo_form=None):
    access = request.access
    pk = product.pk
    rows = [
        {"label": model_field.verbose_name, "value": value}
        for model_field, value in (
            (product._meta.get_field(name), getattr(product, name)) for name in DETAIL_FIELDS
        )
    ]
    may_edit = selectors.products_editable_by(access).filter(pk=pk).exists()
    context = {
        "product": product,
        "rows": rows,
        "certifications": product.certifications.all(),
        "history": readable_history(product, access=access),
        "may_edit": may_edit,
        "photos": product.photos.all(),
        "photo_form": (photo_form or ProductPhotoForm()) if may_edit else None,
        "photo_limit": services.PHOTO_MAX_PER_PRODUCT,
        **curation_context(product, may_edit=may_edit),
    }
    return render(request, "catalog/product_detail.html", context)


def _product_form(request, instance=None):
    access = request.access
    form = ProductForm(request.POST or None, instance=instance, access=access)
    saved = form_saved(
        request,
        form,
        lambda: services.product_save(
            actor=request.user,
            programme=access.programme,
            data=form.cleaned_data,
            instance=instance,
        ),
        success=_("Product saved."),
    )
    if saved:
        return redirect("catalog:product_detail", saved.pk)
    return render(request, "catalog/product_form.html", {"form": form, "instance": instance})


@require_access("writes_registry")
@require_http_methods(["GET", "POST"])
def product_create(request):
    if not _may_create(request.access):
        raise PermissionDenied
    return _product_form(request)


@require_access("writes_registry")
@require_http_methods(["GET", "POST"])
def product_edit(request, pk: int):
    product = get_object_or_404(selectors.products_editable_by(request.access), pk=pk)
    return _product_form(request, instance=product)


@require_access("writes_registry")
@require_POST
def photo_add(request, pk: int):
    product = get_object_or_404(
        selectors.products_editable_by(request.access).select_related("enterprise", "category"),
        pk=pk,
    )
    form = ProductPhotoForm(request.POST, request.FILES)
    saved = form_saved(
        request,
        form,
        lambda: services.product_photo_add(
            actor=request.user, product=product, upload=form.cleaned_data["image"]
        ),
        success=_("Photo added."),
    )
    if saved:
        return redirect(reverse("catalog:product_detail", args=[product.pk]) + "#photos")
    return _render_detail(request, product, photo_form=form)


@require_access("writes_registry")
@require_POST
def photo_delete(request, pk: int, photo_pk: int):
    product = get_object_or_404(selectors.products_editable_by(request.access), pk=pk)
    photo = get_object_or_404(product.photos, pk=photo_pk)
    services.product_photo_delete(actor=request.user, photo=photo)
    messages.success(request, _("Photo deleted."))
    return redirect(reverse("catalog:product_detail", args=[product.pk]) + "#photos")
