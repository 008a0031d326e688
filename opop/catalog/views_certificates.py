"""Certification pages: add, edit (number, dates, document) and the document's download."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from opop.accounts.decorators import require_access
from opop.catalog import selectors, services
from opop.catalog.documents import CONTENT_TYPES, document_extension
from opop.catalog.forms import CertificationForm
from opop.common.forms import form_saved


def _certification_form(request, product, instance=None):
    form = CertificationForm(request.POST or None, request.FILES or None, instance=instance)
    saved = form_saved(
        request,
        form,
        lambda: services.certification_save(
            actor=request.user,
            product=product,
            data=form.certification_data(),
            instance=instance,
            document=form.cleaned_data.get("document"),
        ),
        success=_("Certification saved."),
    )
    if saved:
        return redirect(reverse("catalog:product_detail", args=[product.pk]) + "#certifications")
    context = {"form": form, "product": product, "instance": instance}
    return render(request, "catalog/certification_form.html", context)


@require_access("writes_registry")
@require_http_methods(["GET", "POST"])
def certification_add(request, pk: int):
    product = get_object_or_404(selectors.products_editable_by(request.access), pk=pk)
    return _certification_form(request, product)


@require_access("writes_registry")
@require_http_methods(["GET", "POST"])
def certification_edit(request, pk: int, certification_pk: int):
    product = get_object_or_404(selectors.products_editable_by(request.access), pk=pk)
    certification = get_object_or_404(product.certifications, pk=certification_pk)
    return _certification_form(request, product, instance=certification)


@require_access("reads_registry")
@require_GET
def certification_document(request, pk: int, certification_pk: int):
    """The certificate file, for whoever may see the product; never served by the web server."""
    product = get_object_or_404(selectors.products_visible_to(request.access), pk=pk)
    certification = get_object_or_404(product.certifications, pk=certification_pk)
    if not certification.document:
        raise Http404
    try:
        handle = certification.document.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    extension = document_extension(certification.document.name)
    name = slugify(f"{certification.kind} {certification.number}") or "certificate"
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{name}.{extension}",
        content_type=CONTENT_TYPES[extension],
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
