from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LogisticsConfig(AppConfig):
    name = "opop.logistics"
    verbose_name = _("Agen Pos Pesantren")
    default_auto_field = "django.db.models.BigAutoField"
