from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CerttrackerConfig(AppConfig):
    name = "opop.certtracker"
    verbose_name = _("Certification tracker")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from opop.certtracker import signals  # noqa: F401  (connects the receiver)
