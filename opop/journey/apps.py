from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JourneyConfig(AppConfig):
    name = "opop.journey"
    verbose_name = _("Pesantren journey")
    default_auto_field = "django.db.models.BigAutoField"
