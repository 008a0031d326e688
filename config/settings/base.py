"""Settings shared by every environment. Values come from the environment (see .env.example)."""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me-in-production-000000")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "opop.common",
    "opop.accounts",
    "opop.regions",
    "opop.programmes",
    "opop.registry",
    "opop.imports",
    "opop.dashboard",
    "opop.catalog",
    "opop.intake",
    "opop.assessment",
    "opop.mart",
    "opop.logistics",
    "opop.milestones",
    "opop.training",
    "opop.visits",
    "opop.certtracker",
    "opop.grants",
    "opop.coophealth",
    "opop.journey",
    "opop.notifications",
    "opop.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "opop.accounts.middleware.ActiveProgrammeMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "opop" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "opop.accounts.context_processors.active_programme",
                "opop.notifications.context_processors.unread_notifications",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout keep the dev server and a background import from locking each other.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Failed logins allowed per (IP, e-mail) and per IP within LOGIN_RATE_WINDOW seconds.
LOGIN_RATE_LIMIT = env_int("LOGIN_RATE_LIMIT", 5)
LOGIN_RATE_LIMIT_PER_IP = env_int("LOGIN_RATE_LIMIT_PER_IP", 30)
LOGIN_RATE_WINDOW = env_int("LOGIN_RATE_WINDOW", 900)
# Only behind a proxy that overwrites X-Forwarded-For (docs/deploy.md) may the client address be
# read from it; otherwise a client could pick its own address and escape the login limit.
TRUST_X_FORWARDED_FOR = env_bool("TRUST_X_FORWARDED_FOR", False)

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "opop" / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "opop" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Uploaded documents and import files live outside the web root; only views with a permission
# check hand them out.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 20 * 1024 * 1024)
# Days an uploaded import file is kept after its job finished (it holds personal data).
IMPORT_FILE_RETENTION_DAYS = env_int("IMPORT_FILE_RETENTION_DAYS", 30)
# Registry exports up to this many rows download at once; larger ones are written in the
# background and kept REGISTRY_EXPORT_RETENTION_DAYS days (they hold personal data).
REGISTRY_EXPORT_DIRECT_ROWS = env_int("REGISTRY_EXPORT_DIRECT_ROWS", 5_000)
REGISTRY_EXPORT_RETENTION_DAYS = env_int("REGISTRY_EXPORT_RETENTION_DAYS", 7)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# NIK at rest: AES-GCM ciphertext (key below) plus a keyed hash for uniqueness checks.
FIELD_ENCRYPTION_KEY = env_str(
    "FIELD_ENCRYPTION_KEY", "b3BvcC1kZXYtb25seS1maWVsZC1rZXktMzJieXRlcyE="
)
NIK_HASH_KEY = env_str("NIK_HASH_KEY", "opop-dev-only-nik-hash-key")

REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
# Without a broker, jobs run in-process (eager) so a first run needs nothing but Python.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "OPOP Platform <noreply@opop.local>")
# OPOP Mart payments: "simulator" (development, demo, tests: no real money moves) or "midtrans".
PAYMENT_GATEWAY = env_str("PAYMENT_GATEWAY", "simulator")
PAYMENT_SIMULATOR_KEY = env_str("PAYMENT_SIMULATOR_KEY", "SIMULATOR-dev-server-key-not-secret")
# Forged payment notifications accepted (and recorded) per client address within the window;
# beyond it the callback answers 429 and writes nothing.
PAYMENT_CALLBACK_REJECTS_PER_IP = env_int("PAYMENT_CALLBACK_REJECTS_PER_IP", 20)
PAYMENT_CALLBACK_REJECT_WINDOW = env_int("PAYMENT_CALLBACK_REJECT_WINDOW", 600)
MIDTRANS_SERVER_KEY = env_str("MIDTRANS_SERVER_KEY", "")
MIDTRANS_BASE_URL = env_str("MIDTRANS_BASE_URL", "https://api.sandbox.midtrans.com")
MIDTRANS_VA_BANK = env_str("MIDTRANS_VA_BANK", "permata")  # bca | bni | bri | permata
# Agen Pos Pesantren: "simulator" is the only post adapter so far.
POST_GATEWAY = env_str("POST_GATEWAY", "simulator")
# The public address of this site, for links in e-mails sent outside a request.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": "120/min",
        "user": "1200/min",
        "token": "10/min",
        # OPOP Mart (opop/mart/api_common.py): catalogue per address, the rest per user.
        "mart_catalogue": "120/min",
        "mart_buyer": "300/min",
        "mart_write": "60/min",
        "mart_checkout": "10/min",
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "OPOP Platform API",
    "DESCRIPTION": "API of the One Pesantren One Product platform: the registry, intake, "
    "assessment, catalogue and coaching (milestones, trainings, visits, certifications, grants, "
    "cooperative health, a pesantren's journey; read; every list is scoped to the caller's role "
    "in the chosen programme) and OPOP Mart (catalogue, cart, checkout and orders, for the "
    "mobile app).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and Redoc from the pinned drf-spectacular-sidecar package: no CDN at run time.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No "online validator" badge: it would send the schema URL to validator.swagger.io.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    # Several models have a `status` field with different choices: name each enum once.
    "ENUM_NAME_OVERRIDES": {
        "RecordStatusEnum": "opop.registry.models.RecordStatus",
        "ParticipationStatusEnum": "opop.registry.models.Participation.Status",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"pii": {"()": "lokal.samaran.logging.SamaranFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["pii"]}
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

DEFAULT_EXCEPTION_REPORTER_FILTER = "opop.common.error_reports.PersonalDataReporterFilter"
