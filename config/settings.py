"""The one settings module: every machine-specific value comes from the environment."""

import os
import sys
from pathlib import Path

import dj_database_url
import django_stubs_ext
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# Lets the code write the generic types it is checked with (ModelAdmin[Term], QuerySet[Committee]).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
# The code a process stops with when the settings cannot load: gunicorn's "App failed to load",
# so its master stops at once instead of booting workers in a loop.
SETTINGS_ERROR_EXIT = 4

if not SECRET_KEY:
    if not DEBUG:
        # One clear line, not a traceback, whoever loads the settings (manage.py, gunicorn, a script):
        # SystemExit passes through the `except Exception` of servers that would print a traceback.
        print(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable "
            "(or DEBUG=1 for a development key).",
            file=sys.stderr,
        )
        raise SystemExit(SETTINGS_ERROR_EXIT)
    # Only ever used with DEBUG on, i.e. on a developer's machine.
    SECRET_KEY = "dev-only-insecure-key-never-used-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "config.apps.LoginGuardConfig",  # django-axes, named in Vietnamese
    "csp",
    "django_tasks",
    # Before django_tasks_db: its `db_worker` command (config/management) wraps the library's with
    # the heartbeat /healthz/ready reads; the worker's heartbeat table is this app's one model.
    "config",
    "config.apps.TaskQueueConfig",  # django_tasks_db, named in Vietnamese
    "indicators",
    "reviews",
]

MIDDLEWARE = [
    # First of all: /healthz and /healthz/ready answer a load balancer probing by IP, before
    # ALLOWED_HOSTS is checked (config/health.py), with no session and no redirect.
    "config.health.HealthCheckMiddleware",
    # One line per request (time, status, duration, user, committee): config/logs.py.
    "config.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Pages travel compressed even where no proxy compresses them: commune offices are on slow
    # links, and the assessment form of 66 indicators with their yearly fields is ~300 kB of HTML
    # but ~40 kB gzipped. Django's GZip adds random padding against BREACH; static files come
    # precompressed from whitenoise and are left alone.
    "django.middleware.gzip.GZipMiddleware",
    # Outermost after security: turns a lost database into a 503 page (see config/middleware.py).
    "config.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the session middleware, so it sees whether the answer depended on the user.
    "config.middleware.PrivateResponseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.locale.CookieOrDefaultLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: the page's reads go to the replica or the primary (config/replica.py).
    "config.replica.ReplicaReadsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Reads a POST's body before the CSRF check does: a refusal (too many fields) gets our page.
    "config.middleware.FormRefusedMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes requires: answers a locked-out login with the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

# The assessment form posts up to 20 fields per indicator (status, value, note, version, digest,
# baseline, the term's yearly values and their "ước" boxes, forecast): Django's default bound of
# 1,000 refused a province's 66 indicators with every "ước" ticked (1,058 fields), and any
# committee of about 83. Sized for the largest committee a form may hold, with room for the rest.
MAX_INDICATORS_PER_FORM = int(os.environ.get("MAX_INDICATORS_PER_FORM", "400"))
ASSESS_FIELDS_PER_INDICATOR = 20
DATA_UPLOAD_MAX_NUMBER_FIELDS = ASSESS_FIELDS_PER_INDICATOR * MAX_INDICATORS_PER_FORM + 100

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
                "reviews.notifications.context.inbox",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"
FORM_RENDERER = "config.form_renderer.FormRenderer"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# DATABASE_POOL=1: psycopg's connection pool inside each process (Django 5.1+, PostgreSQL only), at
# most DATABASE_POOL_MAX_SIZE connections per process; persistent connections are then off (the
# pool keeps them). The README's max_connections budget counts these.
DATABASE_POOL = env_bool("DATABASE_POOL", default=False)
if DATABASE_POOL and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(os.environ.get("DATABASE_POOL_MIN_SIZE", "1")),
        "max_size": int(os.environ.get("DATABASE_POOL_MAX_SIZE", "4")),
        "timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT", "10")),
    }
# Parameters bound by the server (PostgreSQL plans each statement with its values, as with literals),
# so that the reads every page makes by a key can be prepared: planned once per connection, not on
# every request (indicators.rows.prepared; planning was over half of the database's CPU on every
# committee page). Never prepared automatically (prepare_threshold None): a prepared statement may
# get a generic plan, and the generic plan of a subtree's path range (the campaign's reporting rows,
# on the national tree) ran for twenty minutes instead of 20 ms. DATABASE_SERVER_BINDING=0 behind a
# PgBouncer in transaction mode older than 1.21, which cannot keep prepared statements.
DATABASE_SERVER_BINDING = env_bool("DATABASE_SERVER_BINDING", default=True)
SERVER_BINDING = {"server_side_binding": True, "prepare_threshold": None}
# PostgreSQL plans a prepared statement with its values on its first five runs, then keeps one
# plan if it costs no more. plan_cache_mode=force_generic_plan was tried to skip those five: with
# the server binding every parameter, it forced generic plans on every query, the subtree ranges
# too (the national campaign: 1.1 s instead of 20 ms). Left at PostgreSQL's default.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a writer instead of failing at once; WAL lets readers and one writer overlap.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            # Take the write lock at BEGIN: a version check inside the transaction then sees
            # the latest row, and two writers queue instead of failing with "database is locked".
            "transaction_mode": "IMMEDIATE",
        }
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# A streaming replica (PostgreSQL, `pg_basebackup -R`): the pages whose reads may lag read from it
# (config/replica.py), a writer's own pages from the primary for REPLICA_PIN_SECONDS after each write.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=DATABASES["default"].get("CONN_MAX_AGE", 0),
        conn_health_checks=DATABASES["default"].get("CONN_HEALTH_CHECKS", False),
    )
    if "pool" in DATABASES["default"].get("OPTIONS", {}):
        DATABASES["replica"]["CONN_MAX_AGE"] = 0
        DATABASES["replica"]["CONN_HEALTH_CHECKS"] = False
        DATABASES["replica"].setdefault("OPTIONS", {})["pool"] = dict(DATABASES["default"]["OPTIONS"]["pool"])
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}  # tests: the same database under both names
    DATABASE_ROUTERS = ["config.replica.ReplicaRouter"]
for _database in DATABASES.values():  # the primary and its replica alike
    if _database["ENGINE"] == "django.db.backends.postgresql" and DATABASE_SERVER_BINDING:
        _database.setdefault("OPTIONS", {}).update(SERVER_BINDING)
REPLICA_PIN_SECONDS = float(os.environ.get("REPLICA_PIN_SECONDS", "10"))
# The pages (URL names) whose reads may lag by the replica's delay: dashboards, the campaign's
# tables, the workbook export and the JSON APIs. Forms, the report files, the review and its
# workflow, the inbox read the primary.
REPLICA_READ_VIEWS = frozenset(
    {"dashboard", "trouble", "campaign", "campaign_overdue", "workbook_xlsx"}
    | {"api_tally", "api_indicators", "api_reporting"}
)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes first: it refuses a locked-out user+address before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "config.auth.AxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
# Our catalogs (msgids in Vietnamese), then Vietnamese for the English strings of Django's admin
# and django-axes that their own catalogs lack (edited by hand; makemessages never writes there).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_vendor"]
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Logs go to stderr (journald under systemd), one line per record: plain text, or one JSON object
# per line with LOG_FORMAT=json (config/logs.py). The request log (logger "soket.request", one line
# per request) is at INFO: LOG_REQUESTS=0 silences it. WeasyPrint's chatter (every CSS property it
# ignores) is held to WARNING whatever LOG_LEVEL says.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
LOG_LEVEL = os.environ.get("LOG_LEVEL", "WARNING")
LOG_REQUESTS = env_bool("LOG_REQUESTS", default=True)  # the test run sets LOG_REQUESTS=0 (pyproject)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "config.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "soket.request": {"level": "INFO" if LOG_REQUESTS else "WARNING"},
        "soket.security": {"level": "INFO"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}


# --- Production hardening ------------------------------------------------------------------
# HTTPS is the master switch for everything that only makes sense behind TLS; it is on unless
# DEBUG (the test run turns it off in tests/conftest.py: it talks plain http to the Django test
# client and live servers).
HTTPS = env_bool("HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=HTTPS)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=HTTPS)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=HTTPS)
# A modest max-age by default (one day): raise it once HTTPS is known to work for good.
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "86400" if HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# Preloading is a one-way decision (browsers ship it; needs max-age >= 1 year): the operator's call.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# The language choice (django_language) is no secret, but rides only over https all the same.
LANGUAGE_COOKIE_SECURE = env_bool("LANGUAGE_COOKIE_SECURE", default=HTTPS)
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
# A load balancer checks the app directly over http; everything else is redirected to https.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Sessions live in the database, so any app server behind the proxy can serve any request, and a
# logout ends one on the server; config/sessions.py reads them without the ORM's per-request cost.
SESSION_ENGINE = "config.sessions"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
# Behind a TLS-terminating proxy: e.g. SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO.
if os.environ.get("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (os.environ["SECURE_PROXY_SSL_HEADER"], "https")
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# Caches hold nothing that matters: losing them costs time, never data, and every entry is keyed
# by a digest of what it holds (never stale, whatever its age). Each process keeps its own in local
# memory; CACHE_URL=redis://host:6379/0 shares them between app servers (REDIS_URL, its old name,
# still works). CACHE_KEY_PREFIX separates several sites (or test runs) on one Redis.
CACHE_URL = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL", "")
CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "soket")
if CACHE_URL and not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(
        "CACHE_URL must be a Redis URL (redis://host:6379/0, rediss://… or unix://…), or unset for "
        "each process's own memory."
    )


def cache_config(name: str, *, max_entries: int, timeout: int, socket_timeout: float = 0.5) -> dict:
    """One cache alias: in Redis when CACHE_URL is set (short socket timeouts, so a Redis that is
    down costs the page little: reviews.fragments then renders without it), else local memory."""
    if CACHE_URL:
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": f"{CACHE_KEY_PREFIX}:{name}",
            "TIMEOUT": timeout,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": socket_timeout},
        }
    return {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": name,
        "TIMEOUT": timeout,
        "OPTIONS": {"MAX_ENTRIES": max_entries},
    }


CACHES = {
    "default": cache_config("default", max_entries=300, timeout=300),
    # Rendered dashboard fragments, keyed by a digest of everything they show (reviews.fragments):
    # never stale; the day-long timeout only lets unused entries go. In each process's own memory
    # (no CACHE_URL) room for a province's deadline day: every commune's assessment cards (~120
    # communes of ~20 cards) and the dashboards' fragments, ~5 kB each, so ~25 MB a process at most;
    # 1,000 held fewer than the cards of the load test's 120 communes.
    "fragments": cache_config("fragments", max_entries=5000, timeout=86400),
}
# A PDF render longer than this is cut off (reviews/report/time_limit.py); gunicorn's --timeout (60 s in
# `make serve`) is the last line of defence and must stay above it.
PDF_RENDER_TIMEOUT = float(os.environ.get("PDF_RENDER_TIMEOUT", "30"))
# Report files render in the background worker (reviews.report.tasks); one still queued after this
# long is shown as failed, with a retry, instead of a page that waits for ever (no worker running?).
REPORT_RENDER_PATIENCE = float(os.environ.get("REPORT_RENDER_PATIENCE", "600"))
# At most this many renders pending per user: the next request is told to wait (one viewer asking
# for 236 reports in 5 s held a secretary's fresh report 45 s behind them).
REPORT_RENDERS_PER_USER = int(os.environ.get("REPORT_RENDERS_PER_USER", "3"))
# A workbook larger than this is checked and imported by the background worker, with a page showing
# its progress (reviews.workbook.background): about 2,300 rows, 1–2 s of a request. 50,000 rows held
# a web worker 10–18 s and made other users' pages wait.
WORKBOOK_BACKGROUND_BYTES = int(os.environ.get("WORKBOOK_BACKGROUND_BYTES", "100000"))
# At most this many background imports pending per user; the next upload is told to wait (429).
WORKBOOK_IMPORTS_PER_USER = int(os.environ.get("WORKBOOK_IMPORTS_PER_USER", "2"))

# --- Login attempts (django-axes) -----------------------------------------------------------
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
# Per user AND address: a locked-out name does not lock out colleagues behind the same NAT.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_MINUTES", "30")) / 60  # hours
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
AXES_LOCKOUT_CALLABLE = "config.auth.lockout_response"
# The client address: REMOTE_ADDR, or ONLY the header named here that our own proxy sets
# (e.g. X-Real-IP); never a header a client could forge past the proxy.
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "")
AXES_CLIENT_IP_CALLABLE = "config.auth.client_ip"

# --- Content-Security-Policy (django-csp 4) -------------------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        # The phone's offline entry (issue 31): its service worker and manifest, from the site only.
        "worker-src": [SELF],
        "manifest-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Background work and e-mail (the review campaign's notifications) ------------------------
# django-tasks with its database backend: the queue is a table in the same database, so nothing
# beyond PostgreSQL (or SQLite) runs; `manage.py db_worker` executes the queued tasks.
# Two queues, so e-mails never wait behind a rush of renders: "reports" (reviews.report.tasks) and
# "email" (reviews.notifications.delivery), each with its own workers (deploy/systemd: soket-worker,
# soket-mailer). "default" is what releases before the split queued to: the render workers take it.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "reports", "email"],
    }
}
# A developer's checkout without a mail server: one line per e-mail on the console, the messages
# themselves in EMAIL_FILE_PATH (var/mail/, named in the README). Anywhere else: SMTP.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "config.mail.SummaryEmailBackend"
    if DEBUG and not os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
# SMTP over TLS from the first byte (port 465), the other way to encrypt; not both (config/checks.py).
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
# A mail relay (Postfix…) really listens on this machine: EMAIL_HOST=localhost is then no oversight
# and `check --deploy` accepts it (config/checks.py).
EMAIL_LOCAL_RELAY = env_bool("EMAIL_LOCAL_RELAY", default=False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))  # a hung mail server must not hang the worker
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Sơ kết <no-reply@localhost>")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
# The address the links in e-mails start with (the site's public URL).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# Reminders go out this many days before a deadline (`send_reminders`).
REMINDER_DAYS_BEFORE = int(os.environ.get("REMINDER_DAYS_BEFORE", "3"))

# --- The status the numbers suggest (indicators/suggestion.py, domain.md "Results over time") ---
# Progress r at or above the first suggests "achieved", at or above the second "hard", below it
# "not achieved". Decimal strings, read exactly. A rule of the domain, not of a machine: the same
# on every server, so not read from the environment.
SUGGESTION_ACHIEVED_AT = "1"
SUGGESTION_HARD_AT = "0.8"

# --- The signed, archived report (reviews/signing/) -------------------------------------------
# A file of PEM certificates: the roots a signed report's certificates must chain to (e.g. the
# Government Cipher Committee's root CA). Empty: no upload can be verified (each is refused, saying
# so). `verify_report --roots FILE` reads another file.
SIGNATURE_TRUST_ROOTS = os.environ.get("SIGNATURE_TRUST_ROOTS", "")
# The organisation's own certificate (PKCS#12) that the server adds to every archive rendition;
# empty: no organisation signature.
SIGNATURE_ORG_PKCS12 = os.environ.get("SIGNATURE_ORG_PKCS12", "")
SIGNATURE_ORG_PKCS12_PASSPHRASE = os.environ.get("SIGNATURE_ORG_PKCS12_PASSPHRASE", "")

# --- Operations: health, clean-ups, start-up -------------------------------------------------
# The worker (`manage.py db_worker`, config/management/commands/db_worker.py) writes a heartbeat row
# this often; /healthz/ready calls it down when none is younger than WORKER_HEARTBEAT_STALE seconds.
WORKER_HEARTBEAT_SECONDS = float(os.environ.get("WORKER_HEARTBEAT_SECONDS", "5"))
WORKER_HEARTBEAT_STALE = float(os.environ.get("WORKER_HEARTBEAT_STALE", "60"))
# A worker silent this long is dead for the report pages (config/workers.py): the render it held, or
# a render no live worker takes, fails with its retry within seconds. Three missed beats by default.
WORKER_DEAD_AFTER = float(os.environ.get("WORKER_DEAD_AFTER", str(3 * WORKER_HEARTBEAT_SECONDS)))
# /healthz/ready answers 503 when the oldest task ready to run has waited longer than this.
HEALTH_QUEUE_MAX_WAIT = float(os.environ.get("HEALTH_QUEUE_MAX_WAIT", "300"))
# What `manage.py cleanup` (the daily soket-cleanup timer) deletes: finished task rows, login-attempt
# logs (django-axes) and rendered report files older than these many days; expired sessions always.
CLEANUP_TASK_RESULTS_DAYS = int(os.environ.get("CLEANUP_TASK_RESULTS_DAYS", "14"))
CLEANUP_LOGIN_LOG_DAYS = int(os.environ.get("CLEANUP_LOGIN_LOG_DAYS", "90"))
CLEANUP_RENDERED_REPORT_DAYS = int(os.environ.get("CLEANUP_RENDERED_REPORT_DAYS", "30"))
# CPU_TIMING=1: every answer carries X-Cpu-Ms, the CPU the app spent on it (config/cpu_timing.py; the
# load test reads it back from gunicorn's access log). Off in production: it tells how busy we are.
CPU_TIMING = env_bool("CPU_TIMING", default=False)
# gunicorn (config/wsgi.py) refuses to start on unapplied migrations; 0 skips that check.
MIGRATION_CHECK = env_bool("MIGRATION_CHECK", default=True)
