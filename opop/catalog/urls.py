from django.urls import path

from opop.catalog import views, views_certificates, views_curation

app_name = "catalog"
urlpatterns = [
    path("products/", views.product_list, name="product_list"),
    path("products/new/", views.product_create, name="product_create"),
    path("products/<int:pk>/", views.product_detail, name="product_detail"),
    path("products/<int:pk>/edit/", views.product_edit, name="product_edit"),
    path(
        "products/<int:pk>/certifications/new/",
        views_certificates.certification_add,
        name="certification_add",
    ),
    path(
        "products/<int:pk>/certifications/<int:certification_pk>/edit/",
        views_certificates.certification_edit,
        name="certification_edit",
    ),
    path(
        "products/<int:pk>/certifications/<int:certification_pk>/document/",
        views_certificates.certification_document,
        name="certification_document",
    ),
    path(
        "products/<int:pk>/curation/submit/",
        views_curation.curation_submit,
        name="curation_submit",
    ),
    path("products/<int:pk>/photos/new/", views.photo_add, name="photo_add"),
    path(
        "products/<int:pk>/photos/<int:photo_pk>/delete/",
        views.photo_delete,
        name="photo_delete",
    ),
]
