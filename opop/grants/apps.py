from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "opop.grants"
    verbose_name = _("Grants and financing")
    default_auto_field = "django.db.models.BigAutoField"
