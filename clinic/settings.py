"""Fulcrum settings, read from the environment.

Defaults are the safe production ones. The local demo (`make run`) turns
DEBUG on and two-factor enforcement off explicitly; the test run sets its
own values in pyproject.toml. Every variable is listed in the README.
"""

from datetime import time, timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from assessments.checkin_v1 import DEFAULT_RULES as _CHECKIN
from assessments.checkin_v1 import Rules as _checkin_rules
from clinic.lib import country
from clinic.lib.env import env_bool, env_choice, env_int, env_int_list, env_list, env_secret, env_str
from clinic.lib.neutral import unneutral_words

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

# A key that ships with the code is no secret: production refuses it.
INSECURE_DEV_KEY = "insecure-local-demo-key-never-use-in-production-0000"
SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY (or SECRET_KEY_FILE) to a long random value, "
            'e.g. python -c "import secrets; print(secrets.token_urlsafe(50))".'
        )
    SECRET_KEY = INSECURE_DEV_KEY
elif not DEBUG and (SECRET_KEY == INSECURE_DEV_KEY or SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("SECRET_KEY is a default or too short (under 50 characters); set a long random value.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

PRACTICE_NAME = env_str("PRACTICE_NAME", "Fulcrum Practice")

# The practice's country decides the emergency number, the default help page, the quick-exit
# destination, phone numbers, the time zone and how dates are written (clinic/lib/country.py).
PRACTICE_COUNTRY = env_choice("PRACTICE_COUNTRY", country.DEFAULT_COUNTRY, list(country.COUNTRIES))
_COUNTRY = country.profile(PRACTICE_COUNTRY)

# What a client (and anyone looking over their shoulder) reads as the tab title and as the names of
# their questionnaires on the home page. Neutral words only: a practice may choose its own.
SITE_TITLE = env_str("SITE_TITLE", "Fulcrum")
QUESTIONNAIRE_TITLES = {
    "power": env_str("QUESTIONNAIRE_TITLE_POWER", "Questions about your relationship"),
    "safety": env_str("QUESTIONNAIRE_TITLE_SAFETY", "A short check-in"),
    # After each session (both kinds of session check-in).
    "checkin": env_str("QUESTIONNAIRE_TITLE_CHECKIN", "About your last appointment"),
}
for _name, _value in [("SITE_TITLE", SITE_TITLE)] + [
    (f"QUESTIONNAIRE_TITLE_{key.upper()}", title) for key, title in QUESTIONNAIRE_TITLES.items()
]:
    if not _value.strip():
        raise ImproperlyConfigured(f"{_name} must not be empty.")
    if unneutral_words(_value):
        raise ImproperlyConfigured(
            f"{_name} is shown to clients and must use neutral words; {_value!r} contains "
            f"{', '.join(repr(w) for w in unneutral_words(_value))}."
        )

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "django_htmx",
    "clinic",
    "clinic.accounts",
    "clinic.clients",
    "clinic.audit",
    "intake",
    "assessments",
    "clinic.notes",
    "clinic.reports",
    "clinic.releases",
    "clinic.plans",
    "clinic.appointments",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "clinic.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Each page in its reader's language: the address (/es/...), the client's record, else English.
    "clinic.middleware.LanguageMiddleware",
    # Outside everything that shapes a page (CSP, frame options), so that the page it keeps is whole.
    "clinic.middleware.AnswerByRedirectMiddleware",
    "clinic.middleware.PrivateByDefaultMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "clinic.middleware.SessionTimeoutMiddleware",
    "clinic.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so that it sees a failed login after the view has handled it.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "clinic.urls"
WSGI_APPLICATION = "clinic.wsgi.application"

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
                "csp.context_processors.nonce",
                "clinic.context_processors.practice",
                "clinic.context_processors.country",
                "clinic.context_processors.languages",
            ],
        },
    },
]
# Form widgets are drawn from Django's Jinja2 copies of its widget templates (escaping on): the same
# markup, about a third less time per form page than the template language, measured in bench/pages.py.
# Its BoundField tells the browser to keep nothing typed into any field (clinic/lib/forms.py).
FORM_RENDERER = "clinic.lib.forms.FormRenderer"


def database_config(url: str) -> dict:
    """The default database for a DATABASE_URL; empty means the embedded SQLite file."""
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "db.sqlite3",
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    config = dj_database_url.parse(url)
    if config["ENGINE"] == "django.db.backends.postgresql":
        # Django's own psycopg pool; it requires CONN_MAX_AGE = 0.
        config["CONN_MAX_AGE"] = 0
        config.setdefault("OPTIONS", {})["pool"] = {
            "min_size": env_int("DB_POOL_MIN", 2, minimum=0),
            "max_size": env_int("DB_POOL_MAX", 10, minimum=1),
            "timeout": env_int("DB_POOL_TIMEOUT", 10, minimum=1),
        }
        # Django then has the pool check each connection before handing it out, so that after a
        # database restart nobody's request gets a dead connection (one round trip on loopback).
        config["CONN_HEALTH_CHECKS"] = True
    return config


DATABASES = {"default": database_config(env_str("DATABASE_URL"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    # Kept so that hashes made by older settings still verify (and get upgraded).
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_HOURS", 24, minimum=1) * 3600

# Login lockout: keyed on username and address together, so that nobody can
# lock another person out from elsewhere, and lifted after the cool-off.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The name counted is an account's own name, or a keyed hash of text that names no account: the throttle's
# tables never keep what someone typed (often a password, or another person's address).
AXES_USERNAME_CALLABLE = "clinic.accounts.typed_names.lockout_name"
# Its per-failure log stays off (the default, said here): the audit log records each failure.
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "clinic.lib.http.client_ip"
AXES_VERBOSE = False
# Number of reverse proxies in front of the app that append X-Forwarded-For.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)

# Client invitations: how long a link works.
INVITATION_DAYS = env_int("INVITATION_DAYS", 7, minimum=1)
# Where the quick-exit control sends a client: a neutral, everyday site.
QUICK_EXIT_URL = env_str("QUICK_EXIT_URL", _COUNTRY.quick_exit_url)
# Public "Get started" form: inquiries accepted per address per hour.
INQUIRY_LIMIT_PER_HOUR = env_int("INQUIRY_LIMIT_PER_HOUR", 5, minimum=1)
# Past a limit a message is still kept, held for an admin's review, and the sender sees the same thanks.
# Per browser session and practice-wide, per hour; past the held cap a flood is no longer stored at all.
INQUIRY_SESSION_LIMIT_PER_HOUR = env_int("INQUIRY_SESSION_LIMIT_PER_HOUR", 3, minimum=1)
INQUIRY_GLOBAL_LIMIT_PER_HOUR = env_int("INQUIRY_GLOBAL_LIMIT_PER_HOUR", 60, minimum=1)
INQUIRY_HELD_LIMIT_PER_HOUR = env_int("INQUIRY_HELD_LIMIT_PER_HOUR", 500, minimum=1)
# Tries at an invitation link's set-up form before the link stops working.
INVITATION_ATTEMPTS = env_int("INVITATION_ATTEMPTS", 10, minimum=1)

# A risk flag not acknowledged within this many working days is shown to admins (as a count).
FLAG_ACK_BUSINESS_DAYS = env_int("FLAG_ACK_BUSINESS_DAYS", 1, minimum=1)

# Records of a closed case are kept this many years after the last service, then listed for an admin's review.
RETENTION_YEARS = env_int("RETENTION_YEARS", 7, minimum=1)

# A note signed more than this many days after its session is marked a late entry.
LATE_NOTE_DAYS = env_int("LATE_NOTE_DAYS", 3, minimum=0)
# A signed treatment plan is due for review after this many attended sessions or days, whichever comes first.
PLAN_REVIEW_SESSIONS = env_int("PLAN_REVIEW_SESSIONS", 6, minimum=1)
PLAN_REVIEW_DAYS = env_int("PLAN_REVIEW_DAYS", 90, minimum=1)
# The power questionnaire is asked again this many weeks after a client last answered it (and at each
# plan review); `manage.py assign_rescreenings` (daily) assigns what is due.
RESCREEN_WEEKS = env_int("RESCREEN_WEEKS", 6, minimum=1)
# Session check-ins: how long one stays open after the session, and what raises a flag or a balance
# alert. Each threshold, its reason and its default are documented with the instrument
# (assessments/checkin_v1.py).
# The calendar (clinic.appointments). Working hours until a therapist sets their own: Monday to Friday.
DEFAULT_WORKING_HOURS = ((0, 1, 2, 3, 4), (time(8, 0), time(20, 0)))
# Hours before an appointment that reminders go, e.g. "48,2"; a client's safe times can move one earlier.
REMINDER_HOURS_BEFORE = env_int_list("REMINDER_HOURS_BEFORE", [24])
# Text messages: clinic.lib.sms.ConsoleBackend (prints), FileBackend (SMS_FILE_PATH), LocmemBackend (tests),
# or a provider's backend class with the same send_messages(messages) method.
SMS_BACKEND = env_str("SMS_BACKEND", "clinic.lib.sms.ConsoleBackend")
SMS_FILE_PATH = env_str("SMS_FILE_PATH", str(BASE_DIR / "var" / "sms"))
# Calendar subscriptions: reads allowed per feed per hour (calendar apps poll every 15 to 60 minutes).
CALENDAR_FEED_READS_PER_HOUR = env_int("CALENDAR_FEED_READS_PER_HOUR", 60)
CONSULTATION_MINUTES = 20
# A free consultation time chosen on Get started is kept from others this long, for the visitor to confirm it
# through the contact they gave (or an admin to accept it); unconfirmed, it is offered to everyone again.
CONSULTATION_CONFIRM_HOURS = env_int("CONSULTATION_CONFIRM_HOURS", 2, minimum=1)
# Consultation times one address (an IPv6 /64) can keep from others at once, however many browsers it uses.
CONSULTATION_TIMES_PER_ADDRESS = env_int("CONSULTATION_TIMES_PER_ADDRESS", 2, minimum=1)

SESSION_CHECKIN = _checkin_rules(
    days=env_int("SESSION_CHECKIN_DAYS", _CHECKIN.days, minimum=1),
    safe_low=env_int("CHECKIN_SAFE_LOW", _CHECKIN.safe_low, minimum=0),
    gap=env_int("CHECKIN_GAP_POINTS", _CHECKIN.gap, minimum=1),
    gap_sessions=env_int("CHECKIN_GAP_SESSIONS", _CHECKIN.gap_sessions, minimum=1),
    window=env_int("CHECKIN_GAP_WINDOW", _CHECKIN.window, minimum=1),
    drop=env_int("CHECKIN_DROP_POINTS", _CHECKIN.drop, minimum=1),
)
if SESSION_CHECKIN.gap_sessions > SESSION_CHECKIN.window:
    raise ImproperlyConfigured("CHECKIN_GAP_SESSIONS cannot be more than CHECKIN_GAP_WINDOW.")

# Background work (long PDFs): a real queue. "database" needs `manage.py db_worker` running;
# "immediate" runs tasks in the request (the local demo and tests).
TASKS_BACKEND = env_str("TASKS_BACKEND", "database")
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[TASKS_BACKEND]
    }
}
# Finished PDFs are deleted after this many hours.
REPORT_TTL_HOURS = env_int("REPORT_TTL_HOURS", 24, minimum=1)
# A PDF still "being made" after this many minutes lost its worker: it is queued again,
# up to REPORT_JOB_ATTEMPTS tries in all, then marked failed with a message.
REPORT_JOB_STALL_MINUTES = env_int("REPORT_JOB_STALL_MINUTES", 10, minimum=1)
REPORT_JOB_ATTEMPTS = env_int("REPORT_JOB_ATTEMPTS", 3, minimum=1)
# This site's address (https://fulcrum.example.org), for links in emails sent from the task queue
# when no request gives it. Empty: such emails carry no link.
SITE_URL = env_str("SITE_URL", "")

# Two-factor sign-in for staff. Only the local demo may switch it off.
REQUIRE_2FA = env_bool("REQUIRE_2FA", True)
OTP_TOTP_ISSUER = PRACTICE_NAME
OTP_TOTP_THROTTLE_FACTOR = 1

# Sessions: idle and absolute limits, enforced by clinic.middleware.
# Database sessions; a lost connection while saving one is answered as an outage, not a bad request.
SESSION_ENGINE = "clinic.lib.sessions"
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_MINUTES", 15, minimum=1) * 60
SESSION_ABSOLUTE_TIMEOUT = env_int("SESSION_ABSOLUTE_HOURS", 12, minimum=1) * 3600
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Messages live in the session, so signing out clears them: on a shared device the
# next person never sees a message meant for the last one (cookie storage outlives logout).
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Transport security. Behind a TLS-terminating proxy set TRUSTED_PROXY_COUNT
# and SECURE_PROXY_SSL_HEADER is trusted.
SECURE_COOKIES = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_FAILURE_VIEW = "clinic.views.csrf_failure"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        # Bootstrap's CSS draws form controls with data: SVG images.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

# The country's language decides the date formats, from clinic/formats/ (en: United States, en_GB).
LANGUAGE_CODE = _COUNTRY.language_code
FORMAT_MODULE_PATH = ["clinic.formats"]
# The languages a client's pages, emails, messages and documents can be in, each named in itself. Adding one:
# its catalogue in clinic/locale/<code>/, a text per instrument (assessments/translations/), its consent and
# privacy texts (Practice > Consent texts) and its help page; the README says how.
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "clinic" / "locale"]
TIME_ZONE = env_str("TIME_ZONE", _COUNTRY.time_zone)
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", True)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email. Messages are neutral and come from a generic sender.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "no-reply@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"redact": {"()": "clinic.lib.logs.RedactSecrets"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's default handlers (a console for `django` when DEBUG is on, its own one for runserver's
        # `django.server` lines, mail to ADMINS) do not cut secrets: none is kept, everything reaches ours.
        # INFO keeps the SQL of `django.db.backends` (values included) out even at LOG_LEVEL=DEBUG.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
        # Axes logs usernames and addresses at INFO; the audit log keeps those.
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
    },
}
