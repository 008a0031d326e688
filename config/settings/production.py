"""Production: everything secret comes from the environment; passes `manage.py check --deploy`."""

from config.env import env_bool, env_int, env_str

from .base import *  # noqa: F403

SECRET_KEY = env_str("SECRET_KEY")
FIELD_ENCRYPTION_KEY = env_str("FIELD_ENCRYPTION_KEY")
NIK_HASH_KEY = env_str("NIK_HASH_KEY")
DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
TRUST_X_FORWARDED_FOR = env_bool("TRUST_X_FORWARDED_FOR", True)
# HSTS preload is a commitment to the browsers' preload list that the operator makes on purpose
# (SECURE_HSTS_PRELOAD=true); without it `check --deploy` would warn on every deployment.
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
