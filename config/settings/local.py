"""Development settings: DEBUG on, embedded servers when DATABASE_URL / REDIS_URL are unset."""

from config.embedded import ensure_env

ensure_env()

from .base import *  # noqa: E402

DEBUG = env.bool("DJANGO_DEBUG", default=True)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
# Serve static files from the apps' folders without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
