"""Locust scenarios, ported from the original template's k6 login test and route template.

    public     GET / and /healthz, anonymous
    login      the whole login flow: GET /accounts/login/, read the CSRF token from the form,
               POST e-mail + password, expect the redirect; a fresh session every time
    dashboard  log in once, then GET /t/acme/ with that session

Run through loadtest/run_load.py, which starts the server on 127.0.0.1 and picks the class:
    python loadtest/run_load.py --scenario dashboard --users 20 --run-time 20s
Only loopback targets are accepted (see `_loopback_only`).

Locust 2.46+ with geventhttpclient ignores allow_redirects=False: `max_redirects = 0` on the
class is what makes the login's 302 visible instead of followed.
"""

from __future__ import annotations

import itertools
import os
import re
from typing import Any
from urllib.parse import urlsplit

from locust import FastHttpUser, between, events, task
from locust.env import Environment
from locust.exception import StopUser

LOGIN_PATH = "/accounts/login/"
DASHBOARD_PATH = os.environ.get("LOADTEST_DASHBOARD_PATH", "/t/acme/")
# The acme members `manage.py seed_demo` creates. Users take them in turn: allauth counts
# in-flight attempts per account ("login_failed": 5 per 5 minutes per e-mail, consumed before the
# password check and given back after it succeeds), so twenty users logging in as one account at
# once would trip it, which no real account does.
DEMO_ACCOUNTS = [
    f"{role}@acme.example"
    for role in ("owner", "moderator", "collaborator", "member", "customer", "supplier")
] + ["consultant@example.com"]
ACCOUNTS = [
    email.strip()
    for email in os.environ.get("LOADTEST_ACCOUNTS", ",".join(DEMO_ACCOUNTS)).split(",")
    if email.strip()
]
PASSWORD = os.environ.get("LOADTEST_PASSWORD", "Demo-pass-2026")
CLIENT_IP_HEADER = "X-Loadtest-Client-IP"  # read by loadtest/settings.py, see its docstring
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken"\s+value="([^"]+)"')
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
FORM_ERRORS = re.compile(r'class="[^"]*errorlist[^"]*"[^>]*>(.*?)</ul>', re.DOTALL)
TAGS = re.compile(r"<[^>]+>")

_client_numbers = itertools.count(1)


def csrf_token(html: str) -> str | None:
    """The csrfmiddlewaretoken value of the first form in the page, or None."""
    match = CSRF_INPUT.search(html)
    return match.group(1) if match else None


def form_errors(html: str) -> str:
    """The form's error messages as plain text ("" when there are none)."""
    found = (TAGS.sub(" ", match) for match in FORM_ERRORS.findall(html))
    return " | ".join(" ".join(text.split()) for text in found)


def fake_client_ip(number: int) -> str:
    """A distinct private address per simulated user (10.0.0.1, 10.0.0.2, ...)."""
    return f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"


def is_loopback(url: str | None) -> bool:
    return urlsplit(url or "").hostname in LOOPBACK_HOSTS


@events.init.add_listener
def _loopback_only(environment: Environment, **_: Any) -> None:
    """Refuse to load anything but this machine: these scenarios are for 127.0.0.1 only.

    SystemExit (not an Exception) is not swallowed by Locust's event hooks: it stops the run.
    """
    if environment.host and not is_loopback(environment.host):
        raise SystemExit(f"refusing to load {environment.host!r}: only 127.0.0.1 is allowed")


_dashboard_ready = {"logged_in": 0}


def _dashboard_logins_done(environment: Environment) -> None:
    """Restart the statistics when the last dashboard user has logged in.

    The logins (Argon2, ~120 ms of CPU each) are the scenario's set-up; counting them, and the
    dashboard requests queued behind them, would measure the hasher instead of the dashboard.
    """
    _dashboard_ready["logged_in"] += 1
    runner = environment.runner
    target = getattr(runner, "target_user_count", None)
    if target and _dashboard_ready["logged_in"] == target:
        environment.stats.reset_all()


class _TenantHawkUser(FastHttpUser):
    abstract = True
    max_redirects = 0  # see the module docstring: a 302 must come back as a 302

    def on_start(self) -> None:
        if not is_loopback(self.host):
            raise StopUser()
        number = next(_client_numbers)
        self.client_ip = fake_client_ip(number)
        self.email = ACCOUNTS[number % len(ACCOUNTS)]

    def headers(self, **extra: str) -> dict[str, str]:
        return {CLIENT_IP_HEADER: self.client_ip, **extra}

    def log_in(self) -> bool:
        """The original's flow: login page, CSRF token from its HTML, POST, expect a redirect."""
        with self.client.get(
            LOGIN_PATH, headers=self.headers(), name="GET /accounts/login/", catch_response=True
        ) as page:
            token = csrf_token(page.text or "") if page.status_code == 200 else None
            if token is None:
                page.failure(f"login page: status {page.status_code}, no csrfmiddlewaretoken")
                return False
            page.success()
        with self.client.post(
            LOGIN_PATH,
            data={"login": self.email, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers=self.headers(Referer=f"{self.host}{LOGIN_PATH}"),
            name="POST /accounts/login/",
            catch_response=True,
        ) as answer:
            if answer.status_code != 302:
                # allauth answers a wrong password or a rate limit with the form again (200).
                errors = form_errors(answer.text or "") or "no form error shown"
                answer.failure(f"login: expected 302, got {answer.status_code}: {errors}")
                return False
            answer.success()
        return True


class PublicUser(_TenantHawkUser):
    """Anonymous visitors: the landing page and the health check."""

    wait_time = between(0.5, 1.5)

    @task(3)
    def landing(self) -> None:
        self.client.get("/", headers=self.headers(), name="GET /")

    @task(1)
    def healthz(self) -> None:
        with self.client.get(
            "/healthz", headers=self.headers(), name="GET /healthz", catch_response=True
        ) as response:
            if response.status_code != 200 or '"status": "ok"' not in (response.text or ""):
                response.failure(f"healthz: {response.status_code} {response.text!r:.80}")


class LoginUser(_TenantHawkUser):
    """The full login flow, a fresh session each time.

    Argon2 costs ~120 ms of wall time (~145 ms CPU) per login: on 2 cores the server cannot do
    more than ~12 logins/s, so the wait below keeps 20 users at about 7 logins/s. More users or
    less wait measure the queue in front of the hasher, not the application.
    """

    wait_time = between(2, 4)

    @task
    def login_flow(self) -> None:
        self.client.cookiejar.clear()
        self.log_in()


class DashboardUser(_TenantHawkUser):
    """A logged-in member opening the tenant dashboard (the k6 route template's scenario)."""

    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        super().on_start()
        self.logged_in = self.log_in()
        _dashboard_logins_done(self.environment)

    @task
    def dashboard(self) -> None:
        if not self.logged_in:
            self.logged_in = self.log_in()
            return
        with self.client.get(
            DASHBOARD_PATH,
            headers=self.headers(),
            name=f"GET {DASHBOARD_PATH}",
            catch_response=True,
        ) as response:
            content_type = response.headers.get("Content-Type", "") if response.headers else ""
            if response.status_code != 200:
                response.failure(f"dashboard: status {response.status_code}")
            elif "text/html" not in content_type:
                response.failure(f"dashboard: content type {content_type!r}")
