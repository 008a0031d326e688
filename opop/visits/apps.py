from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "opop.visits"
    verbose_name = _("Facilitator visits")
    default_auto_field = "django.db.models.BigAutoField"
