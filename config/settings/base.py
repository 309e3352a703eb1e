"""Settings shared by every environment.

Values come from the environment through django-environ (https://django-environ.readthedocs.io/).
Every variable is listed, with a comment, in .env.example. local.py and test.py start the embedded
servers when DATABASE_URL / REDIS_URL are unset; production.py requires every secret.
"""

from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import environ
from django.utils.translation import gettext_lazy as _

from modules.installed import INSTALLED_MODULES

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# -------------------------------------------------------------------------------------------------
# Core  https://docs.djangoproject.com/en/5.2/ref/settings/#core-settings
SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-development-key-do-not-use-in-production")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
WSGI_APPLICATION = "config.wsgi.application"

# -------------------------------------------------------------------------------------------------
# Applications and tenancy  https://django-tenants.readthedocs.io/en/latest/install.html
# SHARED_APPS live in the public schema; TENANT_APPS get their tables in every tenant schema.
# An app in both lists (auth, contenttypes, core) has a table in each. tests/test_placement.py
# fails for a model whose app is in neither list, or a foreign key from shared into tenant tables.
SHARED_APPS = [
    "tenants",  # first: its migrate/migrate_schemas also keep the template schema current
    "django_tenants",
    "core",
    "accounts",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.admin",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_celery_beat",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "modules",  # the module registry and per-tenant switches (docs/modules.md)
    "djstripe",  # Stripe's mirror, public schema only (the tenant is the subscriber)
    "billing",
    "hijack",
    "hijack.contrib.admin",
]
TENANT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "core",
    "accounts.roles",
    # Each installed module is a tenant app; the list lives in modules/installed.py.
    *(f"modules.{name}" for name in INSTALLED_MODULES),
]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Tenant"
TENANT_DOMAIN_MODEL = "tenants.Domain"
TENANT_SUBFOLDER_PREFIX = "t"
# New tenants are cloned from this schema (see tenants/schema.py), never built by migrations.
TENANT_BASE_SCHEMA = "tenant_template"
TENANT_CREATION_FAKES_MIGRATIONS = True
PUBLIC_SCHEMA_NAME = "public"
# Issue SET search_path once per connection and schema change, not before every query (safe:
# django-tenants forgets the cached value on rollback and savepoint rollback).
TENANT_LIMIT_SET_CALLS = True
# Tenant schemas record public-only apps' migrations, not replay them (tenants/migration.py).
TENANT_BASE_MIGRATE_COMMAND = "tenants.migration.Command"
ROOT_URLCONF = "config.urls_tenant"  # served under /t/<slug>/
PUBLIC_SCHEMA_URLCONF = "config.urls_public"  # everything else
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]

MIDDLEWARE = [
    "tenants.middleware.TenantPathMiddleware",  # first: picks the schema and the URLconf
    "core.middleware.ClientAddressMiddleware",  # the client's address, for audit events
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.UserLanguageMiddleware",  # the profile's language, then the browser's
    "accounts.middleware.TenantAccessMiddleware",  # members only under /t/<slug>/
    "accounts.middleware.SessionActivityMiddleware",  # sliding expiry, the sessions list
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "hijack.middleware.HijackUserMiddleware",
    # After the membership gate (accounts): blocks suspended/expired tenants except billing.
    "tenants.middleware.TenantLifecycleMiddleware",
]

# -------------------------------------------------------------------------------------------------
# Database  https://docs.djangoproject.com/en/5.2/ref/settings/#databases
DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/tenanthawk"),
}


def database_settings(config: dict[str, Any]) -> dict[str, Any]:
    """django-tenants' engine, persistent connections, a socket folder given as ?host= as HOST."""
    socket_dir = config.get("OPTIONS", {}).pop("host", None)
    if socket_dir:
        config["HOST"] = socket_dir
    config["ENGINE"] = "django_tenants.postgresql_backend"
    config["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    config["CONN_HEALTH_CHECKS"] = True
    return config


DATABASES["default"] = database_settings(DATABASES["default"])

# -------------------------------------------------------------------------------------------------
# Caches and sessions  https://docs.djangoproject.com/en/5.2/topics/cache/
# "default" keys are prefixed with the current schema (django_tenants.cache.make_key): tenant data
# cached there cannot leak across tenants. "platform" is for platform-wide keys (tenant routing,
# rate limits), "sessions" for sessions: one login must be the same on the public site and under
# every /t/<slug>/, so neither may be split per schema.
REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")


def redis_url_for_db(url: str, db: int) -> str:
    """The same Redis server, another database number (redis://host/N or unix://path?db=N)."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        query = [(k, v) for k, v in parse_qsl(parts.query) if k != "db"] + [("db", str(db))]
        return f"unix://{parts.path}?{urlencode(query)}"  # urlunsplit would drop the "//"
    return urlunsplit(parts._replace(path=f"/{db}"))


def _redis_cache(key_prefix: str, **options: object) -> dict[str, object]:
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": key_prefix,
        "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient", **options},
        **({"KEY_FUNCTION": "django_tenants.cache.make_key"} if key_prefix == "th" else {}),
    }


def celery_url_for(url: str) -> str:
    """Kombu spells a Redis Unix socket redis+socket:///path?virtual_host=N."""
    parts = urlsplit(url)
    if parts.scheme != "unix":
        return url
    db = dict(parse_qsl(parts.query)).get("db", "0")
    return f"redis+socket://{parts.path}?virtual_host={db}"


CACHES = {
    "default": _redis_cache("th"),
    "platform": _redis_cache("thp"),
    "sessions": _redis_cache("ths"),
}
SESSION_ENGINE = "django.contrib.sessions.backends.cache"
SESSION_CACHE_ALIAS = "sessions"
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_TIMEOUT", default=60 * 60 * 24 * 14)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# -------------------------------------------------------------------------------------------------
# Authentication  https://docs.allauth.org/en/latest/account/configuration.html
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "accounts.backends.PlatformModelBackend",  # login; platform staff rights in public
    "accounts.backends.TenantRoleBackend",  # roles inside the current tenant
    "allauth.account.auth_backends.AuthenticationBackend",
]
# A literal path: a URL name would be reversed in the tenant URLconf, which has no login view.
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
PASSWORD_HASHERS = [
    "accounts.hashers.Argon2Hasher",  # Argon2id with OWASP's parameters (accounts/hashers.py)
    "django.contrib.auth.hashers.Argon2PasswordHasher",  # verifies, then upgrades, older hashes
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Two-factor authentication: TOTP apps and single-use recovery codes
# (https://docs.allauth.org/en/latest/mfa/configuration.html).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "TenantHawk"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="optional")
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
# Signup asks for the company and the workspace slug and provisions the tenant (accounts/forms.py);
# the adapter sends a user to their one workspace or to the picker after login.
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_SESSION_REMEMBER = True  # sessions last SESSION_COOKIE_AGE, idle, not until browser close
# Rate limits ("amount/period/per"): https://docs.allauth.org/en/latest/account/rate_limits.html
# Counted in the default cache. On the form pages a refusal is a form error (HTTP 200).
ACCOUNT_RATE_LIMITS = {
    "login": env("RATE_LIMIT_LOGIN", default="30/m/ip"),
    "login_failed": env("RATE_LIMIT_LOGIN_FAILED", default="10/m/ip,5/5m/key"),
    "signup": env("RATE_LIMIT_SIGNUP", default="10/h/ip"),
    "reset_password": env("RATE_LIMIT_RESET_PASSWORD", default="20/m/ip,5/h/key"),
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
}
# Failed API-key attempts per client address per minute before the API answers 429.
API_KEY_FAILURE_LIMIT = env.int("API_KEY_FAILURE_LIMIT", default=30)
# Sessions slide: each request older than this many seconds since the last refresh saves the
# session again (new TTL in Redis, new cookie max-age). SESSION_COOKIE_AGE is the idle timeout.
SESSION_TOUCH_INTERVAL = 60

# -------------------------------------------------------------------------------------------------
# Internationalization  https://docs.djangoproject.com/en/5.2/topics/i18n/
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("it", _("Italian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# -------------------------------------------------------------------------------------------------
# Templates and static files  https://whitenoise.readthedocs.io/
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "tenants.context_processors.shell",
            ],
        },
    },
]
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# -------------------------------------------------------------------------------------------------
# Celery  https://docs.celeryq.dev/en/stable/django/first-steps-with-django.html
# The beat schedule is in config/celery.py, in one place.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=celery_url_for(REDIS_URL))
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE

# -------------------------------------------------------------------------------------------------
# E-mail  https://resend.com/docs/send-with-python
# With RESEND_API_KEY set, mail goes through Resend; otherwise it is printed on the console.
RESEND_API_KEY = env("RESEND_API_KEY", default="")
RESEND_API_URL = env("RESEND_API_URL", default="")  # only to point tests at a local fake
EMAIL_BACKEND = "core.mail.EmailBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="TenantHawk <no-reply@tenanthawk.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# -------------------------------------------------------------------------------------------------
# Stripe and dj-stripe  https://dj-stripe.dev/2.11/reference/settings/
# Test mode unless STRIPE_LIVE_MODE is set. Webhooks are verified with STRIPE_WEBHOOK_SECRET by
# billing.webhooks (stripe.Webhook.construct_event) and processed once per event id.
STRIPE_LIVE_MODE = env.bool("STRIPE_LIVE_MODE", default=False)
STRIPE_TEST_SECRET_KEY = env("STRIPE_TEST_SECRET_KEY", default="")
STRIPE_LIVE_SECRET_KEY = env("STRIPE_LIVE_SECRET_KEY", default="")
STRIPE_SECRET_KEY = env(
    "STRIPE_SECRET_KEY",
    default=STRIPE_LIVE_SECRET_KEY if STRIPE_LIVE_MODE else STRIPE_TEST_SECRET_KEY,
)
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_WEBHOOK_TOLERANCE = env.int("STRIPE_WEBHOOK_TOLERANCE", default=300)  # seconds
# Only to point the stripe library at a local fake in tests; empty means Stripe itself.
STRIPE_API_BASE = env("STRIPE_API_BASE", default="")
STRIPE_PRICE_BASE = env("STRIPE_PRICE_BASE", default="")
STRIPE_PRICE_PRO = env("STRIPE_PRICE_PRO", default="")
STRIPE_PRICE_COMPANY = env("STRIPE_PRICE_COMPANY", default="")
DJSTRIPE_SUBSCRIBER_MODEL = "tenants.Tenant"
DJSTRIPE_FOREIGN_KEY_TO_FIELD = "id"
DJSTRIPE_USE_NATIVE_JSONFIELD = True
DJSTRIPE_WEBHOOK_VALIDATION = "verify_signature"
DJSTRIPE_SUBSCRIBER_CUSTOMER_KEY = "tenant_id"

# -------------------------------------------------------------------------------------------------
# Tenant lifecycle  (docs/billing.md)
TENANT_TRIAL_DAYS = env.int("TENANT_TRIAL_DAYS", default=14)
TENANT_GRACE_DAYS = env.int("TENANT_GRACE_DAYS", default=14)
TENANT_ARCHIVE_DIR = Path(env("TENANT_ARCHIVE_DIR", default=str(BASE_DIR / ".data" / "archives")))
TENANT_ARCHIVE_RETENTION_DAYS = env.int("TENANT_ARCHIVE_RETENTION_DAYS", default=90)

# -------------------------------------------------------------------------------------------------
# Impersonation  https://django-hijack.readthedocs.io/en/stable/configuration/
HIJACK_PERMISSION_CHECK = "hijack.permissions.superusers_only"
HIJACK_INSERT_BEFORE = "</body>"

# -------------------------------------------------------------------------------------------------
# Security  https://docs.djangoproject.com/en/5.2/topics/security/
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# -------------------------------------------------------------------------------------------------
# Logging
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
