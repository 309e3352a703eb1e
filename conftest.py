"""Test fixtures shared by every app.

The test database is built once (public schema + the template schema) and kept between runs
while its migrations are unchanged (see `django_db_setup`). Tenants are cloned from the
template inside each test's transaction, so they vanish with its rollback.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent
# Fixture modules shared by every test folder: the live server and browser, the fake Stripe.
pytest_plugins = ["core.testing.browser", "billing.tests.fixtures"]


# --- Reusing the test database while that is safe ------------------------------------------------


def _migrations_fingerprint() -> str:
    """A hash of everything that shapes the test database: migrations and installed apps."""
    from django.conf import settings

    digest = hashlib.sha256()
    digest.update(repr(settings.INSTALLED_APPS).encode())
    digest.update(repr(sorted(settings.TENANT_APPS)).encode())
    import django_tenants

    for package in (ROOT, Path(django_tenants.__file__).parent.parent):
        for path in sorted(package.glob("**/migrations/*.py")):
            if ".venv" in path.parts and package == ROOT:
                continue
            digest.update(str(path.relative_to(package)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _fingerprint_file() -> Path:
    from django.conf import settings

    db = settings.DATABASES["default"]
    key = hashlib.sha256(f"{db.get('HOST')}:{db.get('PORT')}:{db.get('NAME')}".encode()).hexdigest()
    return ROOT / ".data" / f"test-db-{key[:16]}.fingerprint"


@pytest.fixture(scope="session")
def django_db_setup(
    request: pytest.FixtureRequest,
    django_test_environment: None,
    django_db_blocker: Any,
) -> None:
    """Build the test database once; reuse it while its fingerprint is unchanged.

    A reused database is not migrated again: even a no-op `migrate` replays dj-stripe's long
    migration history (minutes here), so the fingerprint of every migration file decides
    instead. `--create-db` (or CI_FRESH_DB=1) forces a rebuild. The database is kept after the
    run for the next one.
    """
    from django.conf import settings
    from django.db import OperationalError, connections
    from django.test.utils import setup_databases

    fingerprint = _migrations_fingerprint()
    path = _fingerprint_file()  # keyed by the configured database, before NAME becomes test_*
    stored = path.read_text().strip() if path.exists() else ""
    forced = request.config.getoption("create_db", default=False) or os.environ.get("CI_FRESH_DB")
    with django_db_blocker.unblock():
        if os.environ.get("TENANTHAWK_TEST_DB") == "migrate":
            # A copy of a built test database that only needs new migrations applied (the
            # startmodule test's generated module): keep it, migrate forward.
            setup_databases(verbosity=0, interactive=False, keepdb=True)
            return
        if stored == fingerprint and not forced:
            for connection in connections.all():
                name = connection.creation._get_test_db_name()  # type: ignore[attr-defined]
                connection.close()
                settings.DATABASES[connection.alias]["NAME"] = name
                connection.settings_dict["NAME"] = name
            try:
                connections["default"].ensure_connection()
                return
            except OperationalError:  # the kept database is gone: build it again
                for connection in connections.all():
                    connection.close()
                    original = connection.settings_dict["NAME"].removeprefix("test_")
                    settings.DATABASES[connection.alias]["NAME"] = original
                    connection.settings_dict["NAME"] = original
        verbosity = int(request.config.option.verbose)
        setup_databases(verbosity=max(0, verbosity), interactive=False, keepdb=False)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(fingerprint)


# --- Per-test isolation of Redis and the routing cache -------------------------------------------


@pytest.fixture(autouse=True)
def _fresh_redis() -> None:
    """Each test starts with an empty cache/session database and a cold routing table."""
    from django.core.cache import caches

    from tenants.routing import routing_table

    caches["default"].clear()  # every cache alias shares the test database: one FLUSHDB
    routing_table.invalidate()


# --- Tenants and users ---------------------------------------------------------------------------


@pytest.fixture
def password() -> str:
    return "correct-horse-battery-staple"


@pytest.fixture
def user_factory(db: None, password: str) -> Callable[..., Any]:
    from accounts.services import user_create

    counter = iter(range(1, 10_000))

    def make(email: str | None = None, **extra: Any) -> Any:
        user = user_create(email=email or f"user{next(counter)}@example.com", password=password)
        for field, value in extra.items():
            setattr(user, field, value)
        if extra:
            user.save()
        return user

    return make


@pytest.fixture
def tenant_factory(db: None) -> Callable[..., Any]:
    """Provision tenants (cloned schemas) inside the test's transaction."""
    from tenants.services import tenant_provision

    def make(slug: str = "acme", name: str | None = None, **kwargs: Any) -> Any:
        return tenant_provision(name=name or slug.title(), slug=slug, **kwargs)

    return make


@pytest.fixture
def tenant(tenant_factory: Callable[..., Any]) -> Any:
    return tenant_factory("acme", "Acme")


@pytest.fixture
def other_tenant(tenant_factory: Callable[..., Any]) -> Any:
    return tenant_factory("globex", "Globex")


@pytest.fixture
def member_factory(user_factory: Callable[..., Any]) -> Callable[..., Any]:
    """A user holding `role` in `tenant`."""
    from accounts.services import membership_add

    def make(tenant: Any, role: str = "member", email: str | None = None) -> Any:
        user = user_factory(email)
        membership_add(user=user, tenant=tenant, role=role)
        return user

    return make


@pytest.fixture
def owner(tenant: Any, member_factory: Callable[..., Any]) -> Any:
    return member_factory(tenant, "owner", "owner@acme.example")


# --- Committed data and a real Celery worker -----------------------------------------------------


@pytest.fixture
def committed_tenant(django_db_setup: None, django_db_blocker: Any) -> Iterator[Any]:
    """A tenant committed to the database, for code in other processes (a Celery worker).

    Tests using it must not use the `db` fixture (its transaction would hide the tenant).
    """
    from core.testing.browser import drop_committed_tenant
    from tenants.services import tenant_provision

    with django_db_blocker.unblock():
        tenant = tenant_provision(name="Committed", slug="committed")
        try:
            yield tenant
        finally:
            drop_committed_tenant(tenant)


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup: None, django_db_blocker: Any) -> Iterator[Any]:
    """A real Celery worker (a separate process) on the test database and the test broker."""
    import subprocess
    import sys
    import time

    from django.db import connection

    from config.celery import app
    from core.testing.browser import database_url

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(connection.settings_dict),
    }
    celery = Path(sys.executable).parent / "celery"
    process = subprocess.Popen(  # noqa: S603
        [
            str(celery),
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "-l",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            f"test-{os.getpid()}@%h",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"the Celery worker exited with {process.returncode}")
            if app.control.ping(timeout=0.5):
                break
        else:
            raise RuntimeError("the Celery worker did not answer a ping within 60 s")
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


# --- Billing and lifecycle ---------------------------------------------------------------------


@pytest.fixture
def email_eager(monkeypatch: pytest.MonkeyPatch) -> None:
    """Deliver core.services.email_send's mail in-process (into mail.outbox), not via a broker."""
    from core import tasks

    monkeypatch.setattr(tasks.email_deliver, "delay", lambda **kw: tasks.email_deliver(**kw))
