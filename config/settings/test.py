"""Test settings: the real PostgreSQL and Redis (embedded unless the URLs are set), fast hashing."""

from config.embedded import ensure_env

ensure_env()

from .base import *  # noqa: E402

DEBUG = False
# A second test run against the same server (the startmodule test runs a project copy's tests)
# needs its own test database: TEST_DATABASE_NAME names it.
if env("TEST_DATABASE_NAME", default=""):
    DATABASES["default"].setdefault("TEST", {})["NAME"] = env("TEST_DATABASE_NAME")
# Tests hash many passwords; Argon2 stays the production hasher (tests/test_hashing checks it).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "accounts.hashers.Argon2Hasher",
]
# Tests use their own Redis database: a developer's demo data in database 0 is never touched.
TEST_REDIS_URL = redis_url_for_db(REDIS_URL, env.int("TEST_REDIS_DB", default=15))
for _cache in CACHES.values():
    _cache["LOCATION"] = TEST_REDIS_URL
# The broker gets a database of its own: tests flush the cache database between tests, which
# would drop the broker's queue bindings under a running worker.
CELERY_BROKER_URL = celery_url_for(
    redis_url_for_db(REDIS_URL, env.int("TEST_BROKER_REDIS_DB", default=14))
)
CELERY_RESULT_BACKEND = CELERY_BROKER_URL
# In-memory mail for the test process; the live server of the browser tests writes files instead
# (core/testing/browser.py), so a test can follow the link in an e-mail.
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(BASE_DIR / "test-output" / "mail"))
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
# Serve static files from the apps' folders without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Tests never reach Stripe: without the fake Stripe fixture, calls go to a closed local port
# (and fail as "Stripe unreachable"), never to api.stripe.com.
STRIPE_API_BASE = env("STRIPE_API_BASE", default="http://127.0.0.1:9")
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="sk_test_tenanthawk")
