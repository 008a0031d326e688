"""Tests: fast hashing, local cache, the same database choice as the environment gives."""

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Assertions read in the code's own language; tests/test_i18n.py proves that the default UI
# is Indonesian and that every message has its Indonesian translation.
LANGUAGE_CODE = "en"

# Serve static files from the source folders; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Jobs run in-process unless a test starts a real worker (the `celery` marker, with REDIS_URL).
CELERY_TASK_ALWAYS_EAGER = True
# The login rate limit counts per IP: parallel test processes must not share counters.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Uploaded and generated files go to a throw-away folder per test process.
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

_TMP = Path(tempfile.mkdtemp(prefix="opop-test-"))
MEDIA_ROOT = _TMP / "media"
PRIVATE_MEDIA_ROOT = _TMP / "private"
