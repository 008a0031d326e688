from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MartConfig(AppConfig):
    name = "opop.mart"
    verbose_name = _("OPOP Mart")
    default_auto_field = "django.db.models.BigAutoField"
