from django.urls import path

from opop.catalog import views

app_name = "catalog"
urlpatterns = [
    path("products/", views.product_list, name="product_list"),
    path("products/new/", views.product_create, name="product_create"),
    path("products/<int:pk>/", views.product_detail, name="product_detail"),
    path("products/<int:pk>/edit/", views.product_edit, name="product_edit"),
    path(
        "products/<int:pk>/certifications/new/",
        views.certification_add,
        name="certification_add",
    ),
    path("products/<int:pk>/photos/new/", views.photo_add, name="photo_add"),
    path(
        "products/<int:pk>/photos/<int:photo_pk>/delete/",
        views.photo_delete,
        name="photo_delete",
    ),
]
