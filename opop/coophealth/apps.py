from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoophealthConfig(AppConfig):
    name = "opop.coophealth"
    verbose_name = _("Cooperative health")
    default_auto_field = "django.db.models.BigAutoField"
