from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MilestonesConfig(AppConfig):
    name = "opop.milestones"
    verbose_name = _("Institutional milestones")
    default_auto_field = "django.db.models.BigAutoField"
