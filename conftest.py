"""Test fixtures shared by every app.

The test database is built once per run (public schema + the template schema) and kept between
runs while its migrations are unchanged (see `pytest_configure`). Tenants are cloned from the
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
# Fixture modules of apps, shared by every test folder (the fake Stripe is used by tenants too).
pytest_plugins = ["billing.tests.fixtures"]


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


def pytest_configure(config: pytest.Config) -> None:
    """Reuse the test database unless its migrations changed (then rebuild it once)."""
    if config.getoption("create_db", default=False) or os.environ.get("CI_FRESH_DB"):
        config.option.reuse_db = False
        return
    try:
        current = _migrations_fingerprint()
        stored = _fingerprint_file().read_text().strip() if _fingerprint_file().exists() else ""
    except Exception:  # settings not configured: not a Django test run
        return
    config.option.reuse_db = True
    config.option.create_db = current != stored
    config._th_fingerprint = current  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def django_db_setup(
    request: pytest.FixtureRequest, django_db_setup: None, django_db_blocker: Any
) -> Iterator[None]:
    """After pytest-django built (or reused) the database, record what it was built from."""
    fingerprint = getattr(request.config, "_th_fingerprint", None)
    if fingerprint:
        path = _fingerprint_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(fingerprint)
    yield


# --- Per-test isolation of Redis and the routing cache -------------------------------------------


@pytest.fixture(autouse=True)
def _fresh_redis() -> Iterator[None]:
    """Each test starts with an empty cache/session database and a cold routing table."""
    from django.core.cache import caches

    from tenants.routing import routing_table

    caches["default"].clear()  # every cache alias shares the test database: one FLUSHDB
    routing_table.invalidate()
    yield


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


# --- Billing and lifecycle ---------------------------------------------------------------------


@pytest.fixture
def email_eager(monkeypatch: pytest.MonkeyPatch) -> None:
    """Deliver core.services.email_send's mail in-process (into mail.outbox), not via a broker."""
    from core import tasks

    monkeypatch.setattr(tasks.email_deliver, "delay", lambda **kw: tasks.email_deliver(**kw))
