"""The one settings module. Every setting that differs between machines comes from
an environment variable; the defaults are the embedded demo (SQLite, tasks run
in-process, e-mail to the console)."""

from __future__ import annotations

import json
import os
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


DEBUG = env_bool("DEBUG", False)

# The local demo (make run): DEBUG stays off, so every page, the not-found and
# error pages included, is the service's own, while the demo keeps what a
# machine of one's own needs: a signing key, plain HTTP, the demo sign-ins and
# data. It serves loopback addresses only, so it can never be a deployment.
DEMO = env_bool("DEMO", False)
LOCAL = DEBUG or DEMO
LOOPBACK_HOSTS = "127.0.0.1,localhost"

# Outside DEBUG and the demo there is no default: Django refuses any use of an
# empty key, and the serving processes (config/wsgi.py, Celery workers) check it
# as they start. Tools that sign nothing, such as makemigrations, still run
# without one.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and LOCAL:
    SECRET_KEY = "development-only-insecure-key-never-used-outside-debug-mode"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", LOOPBACK_HOSTS if LOCAL else "")
if DEMO and not set(ALLOWED_HOSTS) <= set(LOOPBACK_HOSTS.split(",")):
    raise ImproperlyConfigured("DEMO serves only 127.0.0.1 and localhost.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

SERVICE_NAME = "Early Help Connect"
# Reviews of Our Family Plan fall due this many weeks apart (PRODUCT §3.3).
REVIEW_INTERVAL_WEEKS = env_int("REVIEW_INTERVAL_WEEKS", 6)
# The service's public address, for links in e-mails.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# How long a set-password link sent from the administration site works.
PASSWORD_RESET_TIMEOUT = int(os.environ.get("SET_PASSWORD_LINK_SECONDS", 3 * 24 * 3600))
# Shown in the phase banner; staff know from it which environment they are in.
SERVICE_PHASE = os.environ.get("SERVICE_PHASE", "beta")

INSTALLED_APPS = [
    "django.forms",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "guardian",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "core",
    "accounts",
    "localities",
    "families",
    "family_connect",
    "casework",
    "triage",
    "audits",
    "scorecard",
    "privacy",
    "search",
    "records_import",
    "drf_spectacular_sidecar",
]
# The demo data generator (seed_demo) is for development, the demo and the
# benchmark: production does not install it unless DEMO_DATA=1 is given.
DEMO_DATA = env_bool("DEMO_DATA", LOCAL)
if DEMO_DATA:
    INSTALLED_APPS.append("demo")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses every response below it but those with an ETag (WhiteNoise
    # serves its own compressed copies); Django pads the gzip header at random
    # against BREACH.
    "core.middleware.CompressionMiddleware",
    "core.middleware.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before the session is looked up and before any view: see the classes.
    "core.middleware.UnreadableRequestMiddleware",
    "core.middleware.PageMethodsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionTimeoutMiddleware",
    "accounts.middleware.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
# Widgets render through the project's templates (GOV.UK date input).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "config.wsgi.application"

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
                "core.context_processors.service",
                "accounts.navigation.service_navigation",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------
# The embedded default is a SQLite file; production and the test suite give a
# PostgreSQL URL.
DATABASE_URL = (
    os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"
)
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    # No just-in-time compilation: PostgreSQL compiles any query it costs above
    # 100,000, which a search's name patterns reach on estimates alone, and
    # compiling took 50 ms for a query that runs in 10 (README, "Benchmark").
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    # Parameters bound by the server, and a statement run a second time on a
    # connection prepared: planning a page's joins cost more than running them
    # (README, "Benchmark"). Off behind a pooler that cannot keep prepared
    # statements (PgBouncer before 1.21 in transaction mode).
    if env_bool("DB_PREPARED_STATEMENTS", True):
        options["server_side_binding"] = True
        options["prepare_threshold"] = env_int("DB_PREPARE_THRESHOLD", 2)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, broker and tasks --------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "TIMEOUT": 300,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Without a broker, tasks run in-process (the embedded demo); with one, they go to
# the workers. The reliability settings follow QUALITY §3: a task is acknowledged
# only after it has run, a killed worker's task is delivered again, each worker
# takes one task at a time, and every task has a time limit below the broker's
# visibility timeout so a running task is never handed to a second worker.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 15 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 60
# Above the longest task (no task's own time limit exceeds the default one) and
# any countdown used with apply_async (a busy job's retry waits at most one lease
# term), but no longer: a message whose worker died with it (the whole worker
# killed, so nothing rejected it) is delivered again only after this long.
CELERY_VISIBILITY_TIMEOUT = env_int(
    "CELERY_VISIBILITY_TIMEOUT", CELERY_TASK_TIME_LIMIT + 5 * 60
)
if CELERY_VISIBILITY_TIMEOUT <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured(
        "CELERY_VISIBILITY_TIMEOUT must be above CELERY_TASK_TIME_LIMIT, or a "
        "running task is handed to a second worker."
    )
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
# A background job's lease (core.jobs): renewed at each progress step, so it is
# longer than any one step; a run whose lease lapsed is taken over.
JOB_LEASE_SECONDS = env_int("JOB_LEASE_SECONDS", 120)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int("CELERY_WORKER_MAX_MEMORY_KB", 400_000)
CELERY_TIMEZONE = "Europe/London"
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    "send-lost-e-mails": {
        "task": "core.tasks.notifications_sweep",
        "schedule": timedelta(minutes=5),
    },
    "post-closure-checks": {
        "task": "casework.tasks.post_closure_checks",
        "schedule": timedelta(hours=6),
    },
    "purge-expired-form-drafts": {
        "task": "family_connect.tasks.drafts_purge",
        "schedule": timedelta(hours=1),
    },
    "purge-expired-sign-in-lockouts": {
        "task": "accounts.tasks.access_attempts_purge",
        "schedule": timedelta(hours=1),
    },
    "monthly-scorecard": {
        "task": "scorecard.tasks.scorecard_monthly",
        # 02:00 on the 1st, Europe/London (PRODUCT §3.5).
        "schedule": crontab(minute=0, hour=2, day_of_month=1),
    },
    "retention-purge": {
        "task": "privacy.tasks.retention_purge_weekly",
        # 03:00 on Sundays: a dry run until RETENTION_PURGE_ENABLED is set.
        "schedule": crontab(minute=0, hour=3, day_of_week="sunday"),
    },
    "take-over-lapsed-scorecard-runs": {
        "task": "scorecard.tasks.scorecard_runs_reap_task",
        "schedule": timedelta(minutes=2),
    },
    "take-over-lapsed-scorecard-pdfs": {
        "task": "scorecard.tasks.release_pdfs_reap_task",
        "schedule": timedelta(minutes=2),
    },
    "take-over-lapsed-audit-reports": {
        "task": "audits.tasks.audit_reports_reap_task",
        "schedule": timedelta(minutes=2),
    },
    "take-over-lapsed-subject-access-pdfs": {
        "task": "privacy.tasks.subject_access_pdfs_reap_task",
        "schedule": timedelta(minutes=2),
    },
    "wipe-old-subject-access-pdfs": {
        # The bytes of a subject access PDF are kept for a day after it is made
        # (privacy.subject_access_pdf.KEEP_FOR); downloads stop at that moment.
        "task": "privacy.tasks.subject_access_pdfs_wipe_task",
        "schedule": timedelta(minutes=10),
    },
    "take-over-lapsed-case-pdfs": {
        "task": "casework.tasks.case_pdfs_reap_task",
        "schedule": timedelta(minutes=2),
    },
    "wipe-old-case-pdfs": {
        # A case PDF is kept for an hour after it is made
        # (casework.services.case_pdfs.KEEP_FOR); downloads stop at that moment.
        "task": "casework.tasks.case_pdfs_wipe_task",
        "schedule": timedelta(minutes=10),
    },
    "monthly-audit-report": {
        "task": "audits.tasks.audit_report_monthly",
        # 01:30 on the 1st, Europe/London (CELERY_TIMEZONE).
        "schedule": crontab(minute=30, hour=1, day_of_month=1),
    },
}

# --- Sign-in, passwords, two-factor --------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
_VALIDATORS = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_VALIDATORS}.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    # Repeated characters, repeated patterns and sequences. NCSC guidance advises
    # against composition rules, so Django's "entirely numeric" rule is not used:
    # this one refuses numeric runs and repeats, not random digits.
    {"NAME": "accounts.password_validation.GuessablePatternValidator"},
]
LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:sign_in"

# Lockout after 5 failures per username (whatever the IP) for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "accounts.lockout.username_for_lockout"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# Failed sign-ins record the same client address as everything else.
AXES_CLIENT_IP_CALLABLE = "core.http.client_ip"
# axes.W006 warns that a lockout without the IP address can be dodged by rotating
# user agents or cookies; ours keys on the username alone, which neither changes.
# Locking by IP too would lock a whole school's shared address out.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # models.W040: SQLite keeps an index's key columns and drops the columns
    # it only holds (``include``), which PostgreSQL reads searches from; the
    # demo's data is small enough not to need them.
    SILENCED_SYSTEM_CHECKS.append("models.W040")

# Two-factor is required for staff roles outside DEBUG and the demo; only there
# may it be switched off (and then every page says so).
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", True) or not LOCAL
OTP_TOTP_ISSUER = SERVICE_NAME
# Defence in depth: django-otp's own admin pages, were they ever registered
# again, would not show a device's key or QR code either.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Sessions: idle timeout 30 minutes, absolute 12 hours (enforced by
# accounts.middleware.SessionTimeoutMiddleware).
SESSION_IDLE_TIMEOUT = timedelta(minutes=env_int("SESSION_IDLE_MINUTES", 30))
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=12)
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# django-guardian: object-level grants; no anonymous user row.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# --- Security headers -------------------------------------------------------------
SECURE_PRODUCTION = not LOCAL
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", SECURE_PRODUCTION)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", SECURE_PRODUCTION)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", SECURE_PRODUCTION)
SECURE_HSTS_SECONDS = env_int(
    "SECURE_HSTS_SECONDS", 31_536_000 if SECURE_PRODUCTION else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# How many proxies in front of the web processes append the address they saw to
# X-Forwarded-For (core.http.client_ip). 0 believes no header: the peer is the
# client. Too high a number lets a client choose its own address.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")
# What one signed-in user may send (family_connect/limits.py): forms an hour by
# the API and the pages together, and bulk-upload rows a day. Far above a busy
# school's or a hardship fund's day; far below a script with a stolen password.
USER_FORMS_PER_HOUR = env_int("USER_FORMS_PER_HOUR", 60)
USER_BULK_ROWS_PER_DAY = env_int("USER_BULK_ROWS_PER_DAY", 1000)
# The benchmark's floor views (bench/): off everywhere else (they answer 404).
BENCHMARK_VIEWS = env_bool("BENCHMARK_VIEWS", False)
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# /healthz is polled over plain HTTP by the container health checks.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

# --- Internationalisation ------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English"), ("ur", "اردو")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"

# Request size limits: a form or JSON body of at most 256 KB (413 beyond it) and
# a form of 1,000 fields (JSON: 1,000 keys and 500 items a list, core/jsonbody.py);
# uploaded files (CSV) are refused above 2 MB by core/uploads.py.
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Case documents (PDF, images, Word, text) of at most 20 MB: files are spooled
# to disk above FILE_UPLOAD_MAX_MEMORY_SIZE, and no more of a file than the
# largest any form takes is kept at all (core/uploads.py), whatever the body.
CASE_DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
FILE_UPLOAD_MAX_BYTES = CASE_DOCUMENT_MAX_BYTES
FILE_UPLOAD_HANDLERS = [
    "core.uploads.FileSizeLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Retention (QUALITY §2): the weekly job only reports what it would purge until
# the data protection officer has read that report and this is switched on.
RETENTION_PURGE_ENABLED = env_bool("RETENTION_PURGE_ENABLED", False)

# The first day counted by EH02, families referred into early help (INDICATORS.md).
EARLY_HELP_START_DATE = date.fromisoformat(
    os.environ.get("EARLY_HELP_START_DATE", "2020-04-01")
)
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Hashed names and gzip/Brotli copies in every mode, the demo and the tests too
# (core/staticfiles.py): collectstatic writes them to STATIC_ROOT and WhiteNoise
# serves them from there, never from the source folders.
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "core.staticfiles.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False
# Source maps (of the vendored API documentation bundles) are opened only by
# developer tools; compressing the largest takes longer than everything else.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))

# --- Case documents ---------------------------------------------------------------
# Kept outside the web root under random names, through the "documents" storage:
# a private folder here, or any Django storage (S3-compatible included) named by
# DOCUMENTS_STORAGE_BACKEND with its options as JSON. No URL serves them; they
# are downloaded only through the case's access checks.
DOCUMENTS_ROOT = Path(os.environ.get("DOCUMENTS_ROOT", BASE_DIR / "var" / "documents"))
STORAGES["documents"] = {
    "BACKEND": os.environ.get(
        "DOCUMENTS_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"
    ),
    "OPTIONS": json.loads(os.environ.get("DOCUMENTS_STORAGE_OPTIONS", "null"))
    or {
        "location": str(DOCUMENTS_ROOT),
        "directory_permissions_mode": 0o700,
        "file_permissions_mode": 0o600,
    },
}
# Uploads are scanned by this class (core/scanning.py): none in the demo;
# "core.scanning.ClamdScanner" with CLAMD_ADDRESS tcp://host:port or
# unix:///path/clamd.ctl. A configured scanner that does not answer refuses
# the upload.
VIRUS_SCANNER = os.environ.get("VIRUS_SCANNER", "core.scanning.NoScanner")
CLAMD_ADDRESS = os.environ.get("CLAMD_ADDRESS", "tcp://127.0.0.1:3310")
CLAMD_TIMEOUT = float(os.environ.get("CLAMD_TIMEOUT", "30"))

# --- E-mail --------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "early-help-connect@localhost"
)
# Where the phase banner's feedback link writes to.
FEEDBACK_EMAIL = os.environ.get("FEEDBACK_EMAIL", DEFAULT_FROM_EMAIL)

# --- API ---------------------------------------------------------------------------
# An API token authenticates for this many days after it is issued (at least one).
API_TOKEN_LIFETIME_DAYS = max(1, env_int("API_TOKEN_LIFETIME_DAYS", 90))
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.HashedTokenAuthentication",
        "accounts.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # Bodies are JSON only, read by a parser that limits nesting, keys and list
    # lengths (core/jsonbody.py); a form-encoded or multipart body is a 415. The
    # schema then offers one request content type, which generated clients need.
    "DEFAULT_PARSER_CLASSES": ["core.parsers.DepthLimitedJSONParser"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "core.api.StrictPageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Early Help Connect API",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The description of the API is for signed-in users and API clients.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.schema.common_answers",
        "localities.schema.locality_parameters",
    ],
    # Choice sets that several components share, named once.
    "ENUM_NAME_OVERRIDES": {
        "FormStatusEnum": "family_connect.models.FormStatus",
        "MemberRoleEnum": "core.codes.MemberRole",
        "MatchStatusEnum": "family_connect.models.MatchStatus",
        "MatchKindEnum": "triage.api.matches.KINDS",
        "MatchDecisionEnum": "triage.api.matches.DECISIONS",
    },
    # The interactive docs use the bundled Swagger UI: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Logging -----------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # WeasyPrint reports each refused fetch as a warning; that is expected.
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
    },
}
