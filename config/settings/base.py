"""Settings shared by every environment. Values that vary come from config.env."""

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_mailer, env_str

# The REST API's settings have a module of their own.
from config.settings.api import API_TOKEN_DAYS, REST_FRAMEWORK, SPECTACULAR_SETTINGS  # noqa: F401

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Demo accounts may skip the second factor only while this is on (set by `make run`).
DEMO_MODE = env_bool("DEMO_MODE", False)
# `manage.py load_demo` (accounts with public passwords) refuses to run where this is off.
DEMO_DATA_ALLOWED = True

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Three third-party apps through AppConfig subclasses that give them Dutch names in the
    # admin (config/third_party.py); labels, tables and migrations stay the packages' own.
    "config.third_party.GuardianConfig",
    "django_otp",
    "config.third_party.OtpTotpConfig",
    "config.third_party.AxesConfig",
    "csp",
    "accounts",
    "submissions",
    "wijkteam",
    "expertise",
    "consultation",
    "triage",
    "meetings",
    "hours",
    "reports",
    "municipality",
    "navigation",
    "demo",
]

MIDDLEWARE = [
    # First: the request id and the client's address for the log lines and the audit log.
    "accounts.request_context.RequestContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise (static files stay cacheable), before everything that may answer itself
    # (CSRF failure, second-factor redirect, lock-out): those answers get no-store too.
    "config.middleware.NoStoreForSignedInMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.SessionLifetimeMiddleware",
    "accounts.middleware.SessionRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "accounts.middleware.SecondFactorRequiredMiddleware",
    # /admin/ is a 404 to signed-in non-staff (else a redirect loop through the sign-in page).
    "config.middleware.AdminOnlyForStaffMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before any view reads the body (CSRF's process_view reads POST), after the ones that
    # make a page (locale, user, CSP): an over-size body is answered 413 unread.
    "config.request_size.RequestSizeLimitMiddleware",
    # Axes wants to be last: it turns a lockout signal into the lockout response.
    "axes.middleware.AxesMiddleware",
    # After axes: a 404 or 403 from a view (an object outside the user's scope) is audited.
    "wijkteam.audit.RefusedAccessAuditMiddleware",
]

ROOT_URLCONF = "config.urls"
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
                "navigation.context_processors.wijkexpert",
            ],
        },
    },
]

# --- Data stores -------------------------------------------------------------------------------
# DATABASE_URL / REDIS_URL are always set by the time Django starts: by the operator, or by
# config.launcher, which starts the embedded PostgreSQL / Redis under .data/ when they are unset.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/wijkexpert"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# PostgreSQL's JIT compiles a query whose cost estimate is high; for this application's short
# queries that took 1.8-3.7 s per query at 500k questions (issue 9), many times the query
# itself. Off for our connections (docs/performance.md): DATABASE_JIT=on turns it back on, and
# DATABASE_JIT=server sends nothing (behind PgBouncer, which refuses startup options: then set
# `ALTER DATABASE ... SET jit = off` on the server).
_jit = env_str("DATABASE_JIT", "off")
if _jit not in ("on", "off", "server"):
    raise ImproperlyConfigured("DATABASE_JIT must be on, off or server.")
if _jit != "server":
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = f"-c jit={_jit}"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
# While Redis is down the cache is no cache (config/cache.py): a miss, never an error, and a
# short socket budget, so a page waits at most half a second for it.
CACHES = {
    "default": {
        "BACKEND": "config.cache.ForgivingRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "wijkexpert"),
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}

# --- Celery --------------------------------------------------------------------------------------
# No request waits on the broker or a result backend (issue 8, README "Reliability"):
# - tasks are fire-and-forget: no result is stored or subscribed to (a Redis result backend
#   subscribes at publish time and retried 20 x 1 s per task when Redis was down). Only the
#   /health/ ping asks for its result; its backend calls give up after one quick retry.
# - a publish gets a connect of at most 0.3 s and one retry; if that fails the outbox row
#   stays pending and the sweep queues it later.
# - workers and beat wait for Redis as long as it takes, and reconnect by themselves.
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_EXPIRES = 3600
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "wijkexpert")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None  # a worker or beat never gives up on Redis
CELERY_BROKER_CONNECTION_TIMEOUT = 0.3
# A message that is not acknowledged within the visibility timeout is handed to another worker:
# after a worker died (tasks are idempotent, e-mails at most once per row: delivery.py). It must
# exceed the longest task's hard time limit plus a retry's countdown (tests/test_celery_beat.py
# checks), and it is what a crash costs at most: ten minutes, not an hour.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 600,
    "socket_connect_timeout": 0.3,
    # Above the 1 s BRPOP of an idle worker; bounds a publish to a Redis that hangs.
    "socket_timeout": 3,
    "health_check_interval": 10,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.1,
    "interval_max": 0.1,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 0.5
CELERY_REDIS_SOCKET_TIMEOUT = 3
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {"max_retries": 1, "interval_start": 0, "interval_step": 0.1}
}
CELERY_TIMEZONE = "Europe/Amsterdam"
# The outbox sweep: how often it runs, and how old a pending row must be before it is re-queued
# (the on-commit publish normally got there first).
NOTIFICATION_SWEEP_SECONDS = env_int("NOTIFICATION_SWEEP_SECONDS", 60)
NOTIFICATION_SWEEP_AFTER_SECONDS = env_int("NOTIFICATION_SWEEP_AFTER_SECONDS", 120)
# Task names are import paths; tests/test_celery_beat.py checks every entry against the app.
CELERY_BEAT_SCHEDULE = {
    "sweep-pending-notifications": {
        "task": "consultation.tasks.sweep_pending_notifications",
        "schedule": NOTIFICATION_SWEEP_SECONDS,
    },
    "triage-check-clocks": {
        "task": "triage.tasks.check_clocks",
        "schedule": 15 * 60,
    },
    "send-daily-digests": {
        "task": "consultation.tasks.send_daily_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    "create-recurring-sessions": {
        "task": "meetings.tasks.create_recurring_sessions",
        "schedule": 60 * 60,
    },
    "clear-expired-sessions": {
        "task": "accounts.tasks.clear_expired_sessions",
        "schedule": 60 * 60 * 6,
    },
}
HEALTH_CELERY_TIMEOUT = float(env_str("HEALTH_CELERY_TIMEOUT", "3"))
# /health/ answers from a short per-process cache, so probes cannot tie up the web workers.
HEALTH_CACHE_SECONDS = float(env_str("HEALTH_CACHE_SECONDS", "5"))

# --- Authentication ------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
OTP_TOTP_ISSUER = "Wijkexpert"

# Failed sign-ins are throttled per account and address (DESIGN §4.8, accounts.throttle).
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
# Per account *and* address: five wrong passwords lock that account from that address only, so a
# stranger cannot lock someone out from elsewhere. Spraying many accounts from one address is
# stopped by a higher limit on the address across accounts (AccountAndAddressHandler; not lower:
# a whole municipal office can sit behind one NAT address).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "accounts.throttle.AccountAndAddressHandler"
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 30)
# axes.W006 warns that without ip_address rotating user agents or cookies bypasses the limit;
# the address is in the combination, and counted on its own by the handler.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# The sign-in form posts the e-mail address as `username`; lower-cased so that changing the
# capitals does not reset the count.
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.otp.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_VERBOSE = False

# Idle timeout: the session lives SESSION_IDLE_MINUTES after the last request. Sessions are read
# from the cache (Redis) and written through to the database, which answers when the cache is
# empty or down; the expiry is pushed ahead at most once a minute
# (accounts.middleware.SessionRefreshMiddleware), not by a write on every request (issue 9).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 15) * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Beside the idle timeout, a session ends this long after signing in, however active
# (accounts.middleware.SessionLifetimeMiddleware).
SESSION_ABSOLUTE_HOURS = env_int("SESSION_ABSOLUTE_HOURS", 12)

# --- Throttles (accounts.throttle) ---------------------------------------------------------------
# Fixed windows in the cache, per client address and, for password reset, per target address.
THROTTLE_KEY_PREFIX = "throttle"
# Requests with a wrong, revoked or expired API token from one address: then 429 for the window.
API_TOKEN_ADDRESS_FAILURE_LIMIT = env_int("API_TOKEN_ADDRESS_FAILURE_LIMIT", 20)
API_TOKEN_FAILURE_WINDOW_MINUTES = env_int("API_TOKEN_FAILURE_WINDOW_MINUTES", 15)
# Password-reset requests: per address (then 429), and mails per target address (beyond it the
# answer stays the same, no mail is sent: nothing tells whether the address is known).
PASSWORD_RESET_ADDRESS_LIMIT = env_int("PASSWORD_RESET_ADDRESS_LIMIT", 10)
PASSWORD_RESET_TARGET_LIMIT = env_int("PASSWORD_RESET_TARGET_LIMIT", 3)
PASSWORD_RESET_WINDOW_MINUTES = env_int("PASSWORD_RESET_WINDOW_MINUTES", 60)

# --- Language and time ---------------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- Static files --------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / ".data" / "media")))
# Attachments are never served from MEDIA_URL: a view checks the question's visibility first.
MEDIA_URL = "/media-not-served/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
# A request body over this is refused from its Content-Length before it is read (413,
# config.request_size): an attachment's 10 MB (consultation.uploads) plus room for the form.
REQUEST_MAX_BYTES = 10 * 1024 * 1024 + 256 * 1024
# Virus scanning of attachments through clamd, when one of these is set (a Unix socket wins);
# a configured scanner that does not answer refuses uploads rather than let them in unscanned.
CLAMD_SOCKET = env_str("CLAMD_SOCKET")
CLAMD_HOST = env_str("CLAMD_HOST")
CLAMD_PORT = env_int("CLAMD_PORT", 3310)
CLAMD_TIMEOUT = float(env_str("CLAMD_TIMEOUT", "10"))

# --- Mail ----------------------------------------------------------------------------------------
# Django 6.1 mailers: EMAIL_BACKEND (a dotted path, or smtp / console / file / locmem / dummy)
# and the options of that backend, all from the environment (config.env.env_mailer, README).
MAILERS = {"default": env_mailer()}
# Links in e-mails point here (e-mails carry only a pseudonym and a link).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Wijkexpert <noreply@wijkexpert.nl>")

# --- Security headers ----------------------------------------------------------------------------
# Strict CSP: no inline scripts or styles, no third-party origins (no CDN).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- Submissions ---------------------------------------------------------------------------------
# One-time form tokens and API Idempotency-Keys are remembered for a day (submissions.services).
# Added here, not in the Celery block above, so the schedule there stays as it is.
CELERY_BEAT_SCHEDULE["clear-expired-submissions"] = {
    "task": "submissions.tasks.clear_expired_submissions",
    "schedule": 60 * 60,
}

# --- Session e-mails (meetings.invitations) ------------------------------------------------------
# Reminders the day before are due times on the invitations, sent by this periodic task (never
# an ETA task days ahead: it would outlive the broker's visibility timeout and run twice); the
# sweep writes and queues session e-mails left behind, as the notifications' sweep does.
CELERY_BEAT_SCHEDULE["meetings-send-due-reminders"] = {
    "task": "meetings.tasks.send_due_reminders",
    "schedule": 5 * 60,
}
CELERY_BEAT_SCHEDULE["meetings-sweep-session-mail"] = {
    "task": "meetings.tasks.sweep_session_mail",
    "schedule": NOTIFICATION_SWEEP_SECONDS,
}
CELERY_BEAT_SCHEDULE["municipality-sweep-invitation-mail"] = {
    "task": "municipality.tasks.sweep_invitation_mail",
    "schedule": NOTIFICATION_SWEEP_SECONDS,
}
# How long the link in a team invitation works (issue 12).
TEAM_INVITATION_VALID_DAYS = env_int("TEAM_INVITATION_VALID_DAYS", 7)

# --- The resident's rights (AVG) -----------------------------------------------------------------
# A resident whose cases are all closed longer than this is anonymised by the daily task
# (consultation.resident_rights); the case, its questions and the figures stay (DESIGN §4.7).
RESIDENT_RETENTION_MONTHS = env_int("RESIDENT_RETENTION_MONTHS", 12)
CELERY_BEAT_SCHEDULE["anonymise-expired-residents"] = {
    "task": "consultation.tasks.anonymise_expired_residents",
    "schedule": crontab(hour=3, minute=30),
}

# --- Logging -------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "accounts.request_context.RequestIdLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# --- Audit (issue 13, NEN 7513) ------------------------------------------------------------------
# How many proxies of our own stand before the application: the client's address (audit log) is
# read from X-Forwarded-For through exactly that many, never more (accounts.request_context).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# Axes (and so accounts.throttle) read the address the same way.
AXES_CLIENT_IP_CALLABLE = "accounts.request_context.axes_client_ip"
# The database role web, worker and beat connect as (migration wijkteam 0010 grants it everything
# but UPDATE/DELETE/TRUNCATE on the audit log); migrations run as the owner, DATABASE_URL.
DATABASE_APP_ROLE = env_str("DATABASE_APP_ROLE", "wijkexpert_app")
# The privacy officer's weekly summary (wijkteam.tasks.send_audit_summaries): what is unusual.
AUDIT_MANY_RESIDENTS = env_int("AUDIT_MANY_RESIDENTS", 25)  # residents' identities per person
AUDIT_MANY_REFUSALS = env_int("AUDIT_MANY_REFUSALS", 5)  # refused accesses per person
AUDIT_QUIET_HOURS = (env_int("AUDIT_QUIET_FROM", 22), env_int("AUDIT_QUIET_UNTIL", 6))  # local
AUDIT_UNUSED_DAYS = env_int("AUDIT_UNUSED_DAYS", 90)
CELERY_BEAT_SCHEDULE["wijkteam-send-audit-summaries"] = {
    "task": "wijkteam.tasks.send_audit_summaries",
    "schedule": crontab(day_of_week="mon", hour=6, minute=30),
}
