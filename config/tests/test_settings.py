from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from config.preflight import redact
from config.settings.base import celery_url_for, redis_url_for_db

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "f" * 64


def _run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


IMPORT_PRODUCTION = "import config.settings.production as s; print('loaded', s.DEBUG)"
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_ALLOWED_HOSTS": "app.example.com",
    "DATABASE_URL": "postgres://app:pw@db:5432/app",
    "REDIS_URL": "redis://redis:6379/0",
    "STRIPE_SECRET_KEY": "sk_live_example",
    "STRIPE_WEBHOOK_SECRET": "whsec_example",
}


@pytest.mark.parametrize(
    "secret",
    [None, "", "insecure-development-key-do-not-use-in-production", "changeme", "short-key"],
)
def test_production_refuses_a_missing_or_weak_secret(secret):
    env = dict(PRODUCTION_ENV)
    if secret is not None:
        env["DJANGO_SECRET_KEY"] = secret
    result = _run(IMPORT_PRODUCTION, **env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    "missing",
    [
        "DJANGO_ALLOWED_HOSTS",
        "DATABASE_URL",
        "REDIS_URL",
        "STRIPE_SECRET_KEY",
        "STRIPE_WEBHOOK_SECRET",
    ],
)
def test_production_refuses_missing_required_settings(missing):
    env = {**PRODUCTION_ENV, "DJANGO_SECRET_KEY": STRONG_KEY}
    del env[missing]
    result = _run(IMPORT_PRODUCTION, **env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_starts_with_every_secret_and_is_locked_down():
    result = _run(
        "import config.settings.production as s;"
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS > 0)",
        DJANGO_SECRET_KEY=STRONG_KEY,
        **PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True", "True", "True"]


def test_an_unreachable_database_gives_one_clear_line_without_the_password():
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DATABASE_URL": "postgres://app:s3cret-pw@127.0.0.1:1/nothing",
        },
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(
        "error: cannot reach PostgreSQL at postgres://app:***@127.0.0.1:1/nothing"
    )
    assert "unset DATABASE_URL" in lines[0]
    assert "s3cret-pw" not in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unreachable_redis_gives_one_clear_line():
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.core.cache import cache; cache.get('x')",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "REDIS_URL": "redis://:pw@127.0.0.1:1/0",
        },
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        line
        for line in result.stderr.strip().splitlines()
        if line.startswith("error: cannot reach Redis")
    ]
    assert "redis://:***@127.0.0.1:1/0" in result.stderr
    assert "Traceback" not in result.stderr


def test_redact_hides_only_the_password():
    assert redact("postgres://u:p@h:5432/d") == "postgres://u:***@h:5432/d"
    assert redact("postgres://u@h/d") == "postgres://u@h/d"
    assert redact("redis://:pw@h:6379/0") == "redis://:***@h:6379/0"


def test_redis_urls_for_other_databases_and_for_celery():
    assert redis_url_for_db("redis://h:6379/0", 15) == "redis://h:6379/15"
    assert redis_url_for_db("unix:///tmp/r.sock?db=0", 14) == "unix:///tmp/r.sock?db=14"
    assert (
        celery_url_for("unix:///tmp/r.sock?db=14") == "redis+socket:///tmp/r.sock?virtual_host=14"
    )
    assert celery_url_for("redis://h:6379/2") == "redis://h:6379/2"


def test_system_checks_and_migrations_are_clean(db):
    call_command("check", fail_level="WARNING")
    call_command("makemigrations", check=True, dry_run=True, verbosity=0)
