"""deploy/Dockerfile, entrypoint.sh and gunicorn_conf.py: how the production image serves."""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from types import ModuleType

import pytest

from deploy.tests.helpers import DEPLOY_DIR

DOCKERFILE = (DEPLOY_DIR / "Dockerfile").read_text()
ENTRYPOINT = (DEPLOY_DIR / "entrypoint.sh").read_text()


def _instructions(name: str) -> list[str]:
    """Arguments of every `NAME ...` instruction, continuation lines joined."""
    joined = re.sub(r"\\\n", " ", DOCKERFILE)
    return [line.split(None, 1)[1] for line in joined.splitlines() if line.startswith(f"{name} ")]


def test_image_is_python_311_slim() -> None:
    assert "ARG PYTHON_IMAGE=python:3.11-slim" in DOCKERFILE
    assert all(base.startswith("${PYTHON_IMAGE}") for base in _instructions("FROM"))


def test_runs_as_a_non_root_user() -> None:
    users = _instructions("USER")
    assert users, "no USER instruction: the container would run as root"
    final = users[-1].split(":")[0]
    assert final not in {"root", "0"}


def test_installs_runtime_dependencies_with_constraints_and_no_dev_extras() -> None:
    assert "pip install -c constraints.txt" in DOCKERFILE
    assert "[dev]" not in DOCKERFILE
    assert "'dependencies'" in DOCKERFILE  # only [project.dependencies] from pyproject.toml


def test_ships_pg_dump_for_tenant_archives() -> None:
    assert "postgresql-client-${PG_MAJOR}" in DOCKERFILE
    assert "ARG PG_MAJOR=16" in DOCKERFILE


def test_static_files_and_translations_are_built_with_a_key_production_refuses() -> None:
    """The build-time key starts with "insecure": production.py rejects it at run time."""
    assert "collectstatic --noinput" in DOCKERFILE
    assert "compilemessages" in DOCKERFILE
    key = re.search(r"DJANGO_SECRET_KEY=(\S+)", DOCKERFILE)
    assert key is not None
    assert key.group(1).startswith("insecure")
    # Never baked into the image's environment.
    assert not any("DJANGO_SECRET_KEY" in env for env in _instructions("ENV"))


def test_no_worker_recycling_and_no_access_log_by_default() -> None:
    """--max-requests 1000 plus an access log halved throughput: both are opt-in."""
    for text in (DOCKERFILE, ENTRYPOINT):
        assert "--max-requests" not in text
        assert "--access-logfile" not in text


def test_gunicorn_serves_config_wsgi_without_control_socket() -> None:
    assert "gunicorn config.wsgi" in ENTRYPOINT
    assert "--no-control-socket" in ENTRYPOINT
    assert "python:deploy.gunicorn_conf" in ENTRYPOINT


def test_only_the_migrate_role_migrates() -> None:
    web_block = ENTRYPOINT.split("web)", 1)[1].split(";;", 1)[0]
    assert "migrate" not in web_block
    assert "manage.py migrate" in ENTRYPOINT.split("migrate)", 1)[1]


def test_healthcheck_probes_healthz() -> None:
    healthchecks = _instructions("HEALTHCHECK")
    assert len(healthchecks) == 1
    assert "/healthz" in healthchecks[0]


GunicornConfLoader = Callable[..., ModuleType]


@pytest.fixture
def gunicorn_conf(monkeypatch: pytest.MonkeyPatch) -> GunicornConfLoader:
    """Loads deploy/gunicorn_conf.py afresh under the given environment."""
    for name in ("GUNICORN_WORKERS", "GUNICORN_MAX_REQUESTS", "GUNICORN_ACCESS_LOG"):
        monkeypatch.delenv(name, raising=False)

    def load(**env: str) -> ModuleType:
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        import deploy.gunicorn_conf as module

        return importlib.reload(module)

    return load


def test_gunicorn_defaults_do_not_recycle_or_log_access(gunicorn_conf: GunicornConfLoader) -> None:
    conf = gunicorn_conf()
    assert conf.max_requests == 0
    assert conf.accesslog is None
    assert conf.workers >= 2


def test_gunicorn_recycling_access_log_and_workers_come_from_env(
    gunicorn_conf: GunicornConfLoader,
) -> None:
    conf = gunicorn_conf(GUNICORN_WORKERS="4", GUNICORN_MAX_REQUESTS="500", GUNICORN_ACCESS_LOG="1")
    assert (conf.workers, conf.max_requests, conf.accesslog) == (4, 500, "-")
