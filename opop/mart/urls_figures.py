"""`/mart/figures/`: the programme's OPOP Mart figures, as a page and as JSON."""

from django.urls import path

from opop.mart.views import figures

urlpatterns = [
    path("", figures.figures_page, name="figures"),
    path("data.json", figures.figures_json, name="figures_json"),
]
