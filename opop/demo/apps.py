from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data (`seed_demo`) and the demo accounts' table (`demo_logins`). No models."""

    name = "opop.demo"
    label = "demo"
    verbose_name = _("Demo data")
