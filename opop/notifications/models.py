"""A message to one user about a decision that concerns them, shown in the app and e-mailed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    programme = models.ForeignKey(
        "programmes.Programme", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # A short machine name of what happened ("intake.needs_fixing"), for filtering and tests.
    kind = models.CharField(max_length=50)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    # Where the user reads more: a path inside this site.
    url = models.CharField(max_length=300, blank=True)
    # Text prepared for sharing the news on WhatsApp (empty when there is nothing to share).
    share_text = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at", "-created_at"])]
        verbose_name = _("notification")

    def __str__(self) -> str:
        return self.title
