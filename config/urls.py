from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from opop.common import views as common_views

urlpatterns = [
    path("", common_views.home, name="home"),
    path("healthz", common_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("opop.accounts.urls")),
    path("regions/", include("opop.regions.urls")),
    path("registry/", include("opop.registry.urls")),
    path("catalog/", include("opop.catalog.urls")),
    path("intake/", include("opop.intake.urls")),
    path("assessment/", include("opop.assessment.urls")),
    path("mart/", include("opop.mart.urls")),
    path("logistics/", include("opop.logistics.urls")),
    path("milestones/", include("opop.milestones.urls")),
    path("training/", include("opop.training.urls")),
    path("visits/", include("opop.visits.urls")),
    path("certifications/", include("opop.certtracker.urls")),
    path("grants/", include("opop.grants.urls")),
    path("cooperative-health/", include("opop.coophealth.urls")),
    path("journey/", include("opop.journey.urls")),
    path("notifications/", include("opop.notifications.urls")),
    path("imports/", include("opop.imports.urls")),
    path("dashboard/", include("opop.dashboard.urls")),
    path("programme/", include("opop.programmes.urls")),
    path("api/v1/", include("config.api_urls")),
    path("django-admin/", admin.site.urls),
]

if settings.DEBUG:
    # Product photos in development; in production the web server serves MEDIA_ROOT.
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
