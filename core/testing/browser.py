"""A real server and a real browser for end-to-end tests (pytest plugin, loaded by conftest.py).

`live_app` runs gunicorn in a separate process against the test database, so what a browser sees
is the production request path (middleware, sessions in Redis, static files through whitenoise).
Data it must see has to be committed: `live_tenant` commits a tenant with users and removes it
afterwards. `browser` launches Debian's Chromium through Playwright (never a downloaded browser).
Browser tests are skipped with a reason when /usr/bin/chromium is missing.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
OUTPUT = ROOT / "test-output"
MAIL_DIR = OUTPUT / "mail"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def database_url(settings_dict: dict[str, Any]) -> str:
    """A DATABASE_URL for the database Django is connected to now (the test database)."""
    user = settings_dict.get("USER") or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    host, port = settings_dict.get("HOST") or "", settings_dict.get("PORT")
    name = settings_dict["NAME"]
    if host.startswith("/"):
        return f"postgres://{user}{password}@/{name}?host={host}"
    return f"postgres://{user}{password}@{host}{':' + str(port) if port else ''}/{name}"


@dataclass
class LiveApp:
    url: str
    process: subprocess.Popen[bytes]
    log: Path


@pytest.fixture(scope="session")
def live_app(django_db_setup: None, django_db_blocker: Any) -> Iterator[LiveApp]:
    from django.db import connection

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    OUTPUT.mkdir(exist_ok=True)
    log = OUTPUT / "live_app.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(connection.settings_dict),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LIVE_SERVER": "1",
        "SITE_URL": url,
        # Tasks (e-mail) run inside the request; mail is written to files a test can read.
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(MAIL_DIR),
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    with open(log, "wb") as handle:
        process = subprocess.Popen(  # noqa: S603
            [
                str(gunicorn),
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--threads",
                "4",
                "--no-control-socket",
                "--timeout",
                "60",
            ],
            cwd=ROOT,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: see {log}")
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not answer within 60 s: see {log}") from None
                time.sleep(0.2)
        yield LiveApp(url=url, process=process, log=log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@dataclass
class LiveTenant:
    tenant: Any
    password: str
    users: dict[str, Any] = field(default_factory=dict)


def drop_committed_tenant(tenant: Any) -> None:
    from accounts.models import Membership, User
    from accounts.services import user_delete
    from tenants.models import Domain, Tenant
    from tenants.schema import schema_drop

    users = list(User.objects.filter(memberships__tenant=tenant))
    schema_drop(tenant.schema_name)
    Membership.objects.filter(tenant=tenant).delete()
    for user in users:
        if not user.memberships.exists():
            user_delete(user=user)
    Domain.objects.filter(tenant=tenant).delete()
    Tenant.objects.filter(pk=tenant.pk).delete()


@pytest.fixture
def live_tenant_factory(django_db_setup: None, django_db_blocker: Any) -> Iterator[Any]:
    """Commit tenants with a user per role for the live server; remove them after the test."""
    from accounts.roles.definitions import BUILT_IN_ROLES
    from accounts.services import membership_add, user_create
    from tenants.services import tenant_provision

    created: list[Any] = []
    password = "live-Passw0rd-2026"  # noqa: S105 - a test fixture's throwaway account

    def make(slug: str, roles: tuple[str, ...] = BUILT_IN_ROLES) -> LiveTenant:
        with django_db_blocker.unblock():
            tenant = tenant_provision(name=slug.replace("-", " ").title(), slug=slug)
            created.append(tenant)
            live = LiveTenant(tenant=tenant, password=password)
            for role in roles:
                user = user_create(email=f"{role}@{slug}.example", password=password)
                membership_add(user=user, tenant=tenant, role=role)
                live.users[role] = user
            return live

    yield make
    with django_db_blocker.unblock():
        for tenant in created:
            drop_committed_tenant(tenant)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip(
            f"no Chromium at {CHROMIUM}: apt-get install chromium (make test does it as root)"
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop on this thread; Django's ORM calls made by the
    # fixtures are still synchronous and safe here (Playwright's own recommendation for Django).
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        yield page
    finally:
        context.close()


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot under test-output/screenshots/ and return its path."""
    folder = OUTPUT / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def mail_links(to: str, path_fragment: str) -> list[str]:
    """Links containing `path_fragment` in the live server's e-mails to `to`, oldest first."""
    import re

    links: list[str] = []
    if not MAIL_DIR.exists():
        return links
    for message in sorted(MAIL_DIR.glob("*.log"), key=lambda p: p.stat().st_mtime):
        text = message.read_text(errors="replace")
        if f"To: {to}" not in text:
            continue
        links += [m for m in re.findall(r"https?://[^\s\"<>]+", text) if path_fragment in m]
    return links
