"""Production settings: every secret from the environment, no defaults, HTTPS only.

Start-up fails with ImproperlyConfigured, naming the variable, when a secret is missing or left at a
development value. deploy/compose.yaml sets DJANGO_SETTINGS_MODULE=config.settings.production.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")  # no default: a missing key stops start-up
_WEAK_SECRETS = {"", "changeme", "change-me", "secret", "dev_secret_key_qualsiasi"}
if SECRET_KEY in _WEAK_SECRETS or SECRET_KEY.startswith("insecure") or len(SECRET_KEY) < 32:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is missing, a default or shorter than 32 characters: "
        "generate one with `openssl rand -hex 32`."
    )
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
DATABASES = {"default": database_settings(env.db("DATABASE_URL"))}
env("REDIS_URL")  # required: sessions, caches and the Celery broker live there
for _name in ("STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"):
    # Billing and the deactivation policy's live check need Stripe; a missing key would only
    # show up as failed checkouts and a policy that never deletes.
    if not globals().get(_name):
        raise ImproperlyConfigured(f"{_name} is not set: copy it from the Stripe dashboard.")

# Behind Traefik every request arrives from the proxy: allauth's per-IP rate limits must read
# the client address from X-Forwarded-For, trusting exactly one proxy hop.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("ALLAUTH_TRUSTED_PROXY_COUNT", default=1)

# HTTPS behind Traefik, which terminates TLS and sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 30)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
