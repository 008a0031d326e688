"""Where uploaded import files live: `settings.PRIVATE_MEDIA_ROOT`, outside the web root, with no
URL. Only the permission-checked view in `views.py` hands a file back."""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    # Read the setting on every use, so a test or a deployment that changes it is obeyed.
    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return str(Path(settings.PRIVATE_MEDIA_ROOT).resolve())

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("Private files have no URL; serve them through a permission check.")


def private_storage() -> PrivateStorage:
    return PrivateStorage()
