"""Settings of the SOCORE portal, read from the environment only.

Every variable is listed with its default in README.md. A malformed value stops
the process at start with ImproperlyConfigured naming the variable. Secrets can
also be given as a file: SECRET_KEY_FILE, DATABASE_URL_FILE, EMAIL_URL_FILE.
"""

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from socore.lib import embedded

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.FileAwareEnv()


def _read(name: str, cast, default=environ.Env.NOTSET):
    """Read one variable; any parse error becomes ImproperlyConfigured naming it."""
    try:
        return cast(name, default=default)
    except ImproperlyConfigured:
        raise
    except (ValueError, TypeError, KeyError) as error:
        raise ImproperlyConfigured(f"{name} has an invalid value: {error}") from error


def _bool(name: str, default: bool) -> bool:
    raw = env.str(name, default="")
    if raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


# DEBUG shows Django's technical pages (a traceback, every URL pattern on a 404); nothing
# else. LOCAL is a portal on this machine over plain HTTP (`make run`): a development key,
# localhost as host, no HTTPS redirect or Secure cookies, static files from the source
# folders, the demo accounts. `make run` is LOCAL with the portal's own error pages; DEBUG=1
# adds the technical ones.
DEBUG = _bool("DEBUG", False)
LOCAL = _bool("LOCAL", DEBUG)
DATA_DIR = Path(env.str("DATA_DIR", default=str(BASE_DIR / ".data")))

if LOCAL:
    SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-local-development-key-only")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "SECRET_KEY (or SECRET_KEY_FILE) must be set to at least 50 random characters "
            "when LOCAL and DEBUG are off."
        )

ALLOWED_HOSTS = _read(
    "ALLOWED_HOSTS", env.list, ["localhost", "127.0.0.1", "[::1]"] if LOCAL else []
)
CSRF_TRUSTED_ORIGINS = _read("CSRF_TRUSTED_ORIGINS", env.list, [])
for origin in CSRF_TRUSTED_ORIGINS:
    if not origin.startswith(("http://", "https://")):
        raise ImproperlyConfigured(
            f"CSRF_TRUSTED_ORIGINS entries need a scheme (https://…), not {origin!r}"
        )
SITE_URL = _read("SITE_URL", env.str, "http://localhost:8000").rstrip("/")
# Proxies in front of gunicorn that append to X-Forwarded-For (the TLS proxy: 1). Rate limits
# (allauth's sign-in limits, the public PDFs) then count the address the proxy saw.
TRUSTED_PROXY_COUNT = _read("TRUSTED_PROXY_COUNT", env.int, 0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
RATELIMIT_IP_META_KEY = "socore.lib.limits.client_ip"
RATELIMIT_VIEW = "socore.views.rate_limited"
# Public PDFs of practices and briefs, per client address (a new rendering costs a second).
PUBLIC_PDF_RATE = _read("PUBLIC_PDF_RATE", env.str, "30/m")
# Operators' bearer token for the details of /health/ (broker, worker); empty: staff only.
HEALTH_TOKEN = _read("HEALTH_TOKEN", env.str, "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "django_htmx",
    "csp",
    "socore",
    "partners",
    "surveys",
    "practices",
    "activities",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "partners.middleware.PrivatePagesMiddleware",
    "partners.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "partners.middleware.TwoFactorRequiredMiddleware",
    "partners.middleware.CoordinatorIdleTimeoutMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
]

ROOT_URLCONF = "socore.urls"
WSGI_APPLICATION = "socore.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "partners.context_processors.roles",
                "practices.context_processors.review_queue",
            ],
        },
    },
]

# Database: DATABASE_URL, or the embedded server under DATA_DIR.
if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": _read("DATABASE_URL", env.db_url)}
else:
    DATABASES = {"default": embedded.embedded_database(DATA_DIR)}
DATABASES["default"]["CONN_MAX_AGE"] = _read("CONN_MAX_AGE", env.int, 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL (postgres://…).")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: broker, results and cache; without it, the filesystem broker and the database cache.
REDIS_URL = _read("REDIS_URL", env.str, "")
if REDIS_URL and urlsplit(REDIS_URL).scheme not in {"redis", "rediss"}:
    raise ImproperlyConfigured(f"REDIS_URL must be redis:// or rediss://, not {REDIS_URL!r}")


def _redis_database(url: str, offset: int) -> str:
    """The same Redis server, another database number, so a cache flush never drops queued tasks."""
    parts = urlsplit(url)
    number = int(parts.path.strip("/") or 0) + offset
    return urlunsplit(parts._replace(path=f"/{number}"))


if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CACHES = {
        "default": {
            # Django's Redis cache, read as empty while Redis is down (socore/lib/cache.py).
            "BACKEND": "socore.lib.cache.ResilientRedisCache",
            "LOCATION": _read("CACHE_URL", env.str, _redis_database(REDIS_URL, 1)),
        }
    }
else:
    (
        CELERY_BROKER_URL,
        CELERY_BROKER_TRANSPORT_OPTIONS,
        CELERY_RESULT_BACKEND,
    ) = embedded.filesystem_broker(Path(_read("BROKER_DIR", env.str, str(DATA_DIR / "celery"))))
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "socore_cache",
        }
    }

CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_RESULT_EXPIRES = 3600
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Periodic tasks, run by `celery -A socore beat` (the compose `beat` service; `make run` embeds it).
CELERY_BEAT_SCHEDULE = {
    "send-due-reminders": {"task": "surveys.tasks.send_due_reminders", "schedule": 3600.0},
    "sweep-report-requests": {"task": "surveys.tasks.sweep_report_requests", "schedule": 300.0},
    "send-capacity-follow-ups": {
        "task": "activities.tasks.send_capacity_follow_ups",
        "schedule": 3600.0,
    },
}
# Where beat remembers when each periodic task last ran (a file it rewrites as it goes).
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
# Regional reports and exports (surveys/reports/pipeline.py): a render is stopped after
# REPORT_TIME_LIMIT seconds (asked to stop 30 s before), and tried at most
# REPORT_MAX_ATTEMPTS times when its worker dies under it.
REPORT_TIME_LIMIT = _read("REPORT_TIME_LIMIT", env.int, 300)
if REPORT_TIME_LIMIT < 60:
    raise ImproperlyConfigured("REPORT_TIME_LIMIT must be at least 60 seconds.")
REPORT_SOFT_TIME_LIMIT = REPORT_TIME_LIMIT - 30
REPORT_MAX_ATTEMPTS = _read("REPORT_MAX_ATTEMPTS", env.int, 3)
if REPORT_MAX_ATTEMPTS < 1:
    raise ImproperlyConfigured("REPORT_MAX_ATTEMPTS must be at least 1.")
# The programme's capacity survey (activities/tasks.py): sent this many days after an
# activity is marked held, and one reminder this many days after the first email.
CAPACITY_SURVEY_DAYS_AFTER_HELD = _read("CAPACITY_SURVEY_DAYS_AFTER_HELD", env.int, 2)
if not 0 <= CAPACITY_SURVEY_DAYS_AFTER_HELD <= 90:
    raise ImproperlyConfigured("CAPACITY_SURVEY_DAYS_AFTER_HELD must be from 0 to 90 days.")
CAPACITY_SURVEY_REMINDER_DAYS = _read("CAPACITY_SURVEY_REMINDER_DAYS", env.int, 7)
if not 1 <= CAPACITY_SURVEY_REMINDER_DAYS <= 90:
    raise ImproperlyConfigured("CAPACITY_SURVEY_REMINDER_DAYS must be from 1 to 90 days.")
if REDIS_URL:
    # An unacknowledged message goes to another worker after this long: longer than any render.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": max(3600, 2 * REPORT_TIME_LIMIT)}

# Accounts
AUTH_USER_MODEL = "partners.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_PREVENT_ENUMERATION = True
# Sign-up answers a taken address as fast as a new one (partners/forms.py).
ACCOUNT_FORMS = {"signup": "partners.forms.SignupForm"}
# ACCOUNT_RATE_LIMITS: allauth's defaults, counted in the shared cache above.
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[SOCORE] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if not LOCAL else "http"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "SOCORE portal"
# Recording "last seen" would cost a session write on every request; sign-in times suffice.
USERSESSIONS_TRACK_ACTIVITY = False

# Email: EMAIL_URL (smtp://user:password@host:587/?tls=True); the console in development.
_email = _read("EMAIL_URL", env.email_url, "consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS"))
EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL"))
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = _read("DEFAULT_FROM_EMAIL", env.str, "SOCORE portal <noreply@socore.eu>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [("Admin", address) for address in _read("ADMINS", env.list, [])]

# Internationalisation
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("pl", _("Polish")),
    ("nl", _("Dutch")),
    ("it", _("Italian")),
    ("pt", _("Portuguese")),
    ("ro", _("Romanian")),
    ("lt", _("Lithuanian")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English dates as Europeans read them (socore/formats/en: Django's en_GB formats).
FORMAT_MODULE_PATH = ["socore.formats"]
TIME_ZONE = _read("TIME_ZONE", env.str, "Europe/Brussels")
USE_I18N = True
USE_TZ = True

# Static files are served by whitenoise; uploads live outside the web root and
# are only ever served through views that check access.
STATIC_URL = "/static/"
STATIC_ROOT = Path(_read("STATIC_ROOT", env.str, str(DATA_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(_read("MEDIA_ROOT", env.str, str(DATA_DIR / "media")))
_FILE_SYSTEM_STORAGE = "django.core.files.storage.FileSystemStorage"
STORAGES = {
    "default": {
        "BACKEND": _read("FILE_STORAGE", env.str, _FILE_SYSTEM_STORAGE),
    },
    # Collected as root when the image is built, read by the runtime user: readable by all,
    # not FILE_UPLOAD_PERMISSIONS' 0o640 (which would hide the manifest from gunicorn).
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "OPTIONS": {"file_permissions_mode": 0o644, "directory_permissions_mode": 0o755},
    }
    if not LOCAL
    # LOCAL serves the source folders as they are (no collectstatic, no hashed names).
    else {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # Reports and exports: never served by URL, only through views that check access.
    # S3-compatible storage by configuration: PRIVATE_FILE_STORAGE=storages.backends.s3.S3Storage
    # (with django-storages installed and its AWS_* variables set).
    "private": {"BACKEND": _read("PRIVATE_FILE_STORAGE", env.str, _FILE_SYSTEM_STORAGE)},
}
if STORAGES["private"]["BACKEND"] == _FILE_SYSTEM_STORAGE:
    STORAGES["private"]["OPTIONS"] = {
        "location": _read("PRIVATE_ROOT", env.str, str(DATA_DIR / "private")),
    }
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = LOCAL
FILE_UPLOAD_PERMISSIONS = 0o640
FORMS_URLFIELD_ASSUME_HTTPS = True
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Security
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = _bool("SECURE_SSL_REDIRECT", not LOCAL)
SECURE_HSTS_SECONDS = _read("SECURE_HSTS_SECONDS", env.int, 0 if LOCAL else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = _bool("SECURE_HSTS_PRELOAD", not LOCAL)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SESSION_COOKIE_SECURE = not LOCAL
CSRF_COOKIE_SECURE = not LOCAL
SESSION_COOKIE_HTTPONLY = True
# Coordinators and admins see a region's figures: their sessions end after 12 h unused.
COORDINATOR_SESSION_IDLE_SECONDS = 12 * 3600
LANGUAGE_COOKIE_SECURE = not LOCAL
LANGUAGE_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # allauth draws the TOTP QR code as a data: SVG.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "structured": {
            "format": "time=%(asctime)s level=%(levelname)s logger=%(name)s "
            "process=%(process)d message=%(message)s",
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
    "root": {"handlers": ["console"], "level": _read("LOG_LEVEL", env.str, "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Demo data (seed_demo)
DEMO_PASSWORD = _read("DEMO_PASSWORD", env.str, "socore-demo-2026")
DEMO_TOTP_SECRET = _read("DEMO_TOTP_SECRET", env.str, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
