"""deploy/compose.yaml and compose.dev.yaml: schema-valid, and the properties production needs."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from deploy.tests.helpers import (
    COMPOSE_DEV,
    COMPOSE_FILES,
    COMPOSE_PROD,
    INTERPOLATION,
    command_list,
    environment,
    labels,
    load_yaml,
    services,
    uncommented,
)

# Secrets and settings without which production must not start: each must be ${NAME:?...}.
REQUIRED_IN_PRODUCTION = {
    "DJANGO_SECRET_KEY",
    "POSTGRES_PASSWORD",
    "LITELLM_DB_PASSWORD",
    "LITELLM_MASTER_KEY",
    "LITELLM_SALT_KEY",
    "N8N_ENCRYPTION_KEY",
    "STRIPE_SECRET_KEY",
    "STRIPE_PUBLISHABLE_KEY",
    "STRIPE_WEBHOOK_SECRET",
    "STRIPE_PRICE_BASE",
    "STRIPE_PRICE_PRO",
    "STRIPE_PRICE_COMPANY",
    "RESEND_API_KEY",
    "DEFAULT_FROM_EMAIL",
    "TRAEFIK_DASHBOARD_USERS",
    "ACME_EMAIL",
    "APP_HOST",
    "N8N_HOST",
    "LITELLM_HOST",
    "TRAEFIK_HOST",
}


@pytest.mark.parametrize("path", COMPOSE_FILES, ids=lambda p: p.name)
def test_compose_file_is_valid_compose_specification(path: Path) -> None:
    """The file validates against the Compose Specification schema bundled in check-jsonschema."""
    executable = Path(sys.executable).with_name("check-jsonschema")
    result = subprocess.run(
        [str(executable), "--builtin-schema", "vendor.compose-spec", str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", COMPOSE_FILES, ids=lambda p: p.name)
def test_database_and_redis_publish_no_ports(path: Path) -> None:
    """PostgreSQL and Redis are reachable only from the compose network."""
    for name in ("db", "redis"):
        service = services(path)[name]
        assert "ports" not in service, f"{name} publishes ports in {path.name}"


def test_database_and_redis_only_on_the_internal_network() -> None:
    """In production the data stores sit on a network with no route in or out."""
    compose = load_yaml(COMPOSE_PROD)
    assert compose["networks"]["internal"]["internal"] is True
    for name in ("db", "redis"):
        assert list(compose["services"][name]["networks"]) == ["internal"]


def test_images_are_the_required_versions() -> None:
    """postgres:16, redis:7, Traefik v3 and LiteLLM from ghcr.io/berriai."""
    prod = services(COMPOSE_PROD)
    assert prod["db"]["image"] == "postgres:16"
    assert prod["redis"]["image"] == "redis:7"
    assert prod["traefik"]["image"].startswith("traefik:${TRAEFIK_VERSION:-v3")
    assert prod["litellm"]["image"].startswith("ghcr.io/berriai/litellm:")


def test_required_secrets_refuse_to_start_when_unset() -> None:
    """Every use of a required secret is ${NAME:?message}, so `compose up` stops without it."""
    text = uncommented(COMPOSE_PROD)
    uses: dict[str, set[str]] = {}
    for match in INTERPOLATION.finditer(text):
        uses.setdefault(match["name"], set()).add(match["op"] or "")
    missing = REQUIRED_IN_PRODUCTION - uses.keys()
    assert not missing, f"never used in compose.yaml: {sorted(missing)}"
    loose = {
        name: ops for name, ops in uses.items() if name in REQUIRED_IN_PRODUCTION and ops != {":?"}
    }
    assert not loose, f"required secrets with a default or no check: {loose}"


def test_no_secret_is_written_into_the_production_file() -> None:
    """Secret-looking literals (live keys, htpasswd hashes) never appear in compose.yaml."""
    text = COMPOSE_PROD.read_text()
    for pattern in (r"sk_live_\w", r"whsec_\w", r"\$apr1\$", r"\$2y\$", r"re_live_\w"):
        assert not re.search(pattern, text), pattern


def test_redis_appends_to_disk_and_has_a_healthcheck() -> None:
    for path in COMPOSE_FILES:
        redis = services(path)["redis"]
        assert "--appendonly" in command_list(redis)
        assert "healthcheck" in redis
    assert "healthcheck" in services(COMPOSE_PROD)["db"]


def test_database_data_lives_in_the_pg_data_volume() -> None:
    compose = load_yaml(COMPOSE_PROD)
    assert "pg_data:/var/lib/postgresql/data" in compose["services"]["db"]["volumes"]
    assert "pg_data" in compose["volumes"]


def _traefik_flags(path: Path) -> list[str]:
    return command_list(services(path)["traefik"])


def test_traefik_redirects_http_to_https() -> None:
    flags = _traefik_flags(COMPOSE_PROD)
    assert "--entrypoints.web.address=:80" in flags
    assert "--entrypoints.websecure.address=:443" in flags
    assert "--entrypoints.web.http.redirections.entrypoint.to=websecure" in flags
    assert "--entrypoints.web.http.redirections.entrypoint.scheme=https" in flags


def test_traefik_has_an_acme_resolver_with_http_challenge() -> None:
    flags = _traefik_flags(COMPOSE_PROD)
    assert "--certificatesresolvers.le.acme.httpchallenge=true" in flags
    assert "--certificatesresolvers.le.acme.httpchallenge.entrypoint=web" in flags
    assert any(f.startswith("--certificatesresolvers.le.acme.email=${ACME_EMAIL:?") for f in flags)
    assert "--certificatesresolvers.le.acme.storage=/letsencrypt/acme.json" in flags
    volumes = services(COMPOSE_PROD)["traefik"]["volumes"]
    assert "./traefik/acme.json:/letsencrypt/acme.json" in volumes


def test_traefik_only_exposes_containers_that_opt_in() -> None:
    for path in COMPOSE_FILES:
        assert "--providers.docker.exposedbydefault=false" in _traefik_flags(path)
        for name, service in services(path).items():
            if name in {"db", "redis", "worker", "beat", "migrate"}:
                assert labels(service).get("traefik.enable") != "true", name


def test_dashboard_is_behind_basic_auth_and_not_on_8080_in_production() -> None:
    traefik = services(COMPOSE_PROD)["traefik"]
    flags = command_list(traefik)
    assert not any(flag.startswith("--api.insecure") for flag in flags)
    assert all("8080" not in str(port) for port in traefik["ports"])
    assert sorted(str(port) for port in traefik["ports"]) == ["443:443", "80:80"]
    traefik_labels = labels(traefik)
    assert traefik_labels["traefik.http.routers.dashboard.service"] == "api@internal"
    rule = traefik_labels["traefik.http.routers.dashboard.rule"]
    assert rule.startswith("Host(`${TRAEFIK_HOST:?")
    middlewares = traefik_labels["traefik.http.routers.dashboard.middlewares"].split(",")
    assert any(
        f"traefik.http.middlewares.{name}.basicauth.users" in traefik_labels for name in middlewares
    ), "the dashboard router has no basicauth middleware"


def test_development_file_opens_the_dashboard_on_8080_on_localhost_hosts() -> None:
    traefik = services(COMPOSE_DEV)["traefik"]
    assert "8080:8080" in traefik["ports"]
    rules = [
        value
        for service in services(COMPOSE_DEV).values()
        for key, value in labels(service).items()
        if key.endswith(".rule")
    ]
    assert rules
    assert all(".localhost`" in rule for rule in rules)


@pytest.mark.parametrize("path", COMPOSE_FILES, ids=lambda p: p.name)
def test_exactly_one_beat(path: Path) -> None:
    """Two beats would send every periodic task twice."""
    beats = [
        name
        for name, service in services(path).items()
        if "beat" in command_list(service)[:1] or " beat" in " ".join(command_list(service))
    ]
    assert beats == ["beat"]
    assert services(path)["beat"].get("deploy", {}).get("replicas", 1) == 1


@pytest.mark.parametrize("path", COMPOSE_FILES, ids=lambda p: p.name)
def test_only_the_one_shot_service_migrates(path: Path) -> None:
    """migrate runs once and exits; web, worker and beat wait for it to succeed."""
    all_services = services(path)
    migrating = [n for n, s in all_services.items() if command_list(s)[:1] == ["migrate"]]
    assert migrating == ["migrate"]
    assert all_services["migrate"]["restart"] == "no"
    for name in ("web", "worker", "beat"):
        condition = all_services[name]["depends_on"]["migrate"]["condition"]
        assert condition == "service_completed_successfully", name


def test_web_waits_for_healthy_database_and_redis() -> None:
    depends = services(COMPOSE_PROD)["web"]["depends_on"]
    assert depends["db"]["condition"] == "service_healthy"
    assert depends["redis"]["condition"] == "service_healthy"


@pytest.mark.parametrize("path", COMPOSE_FILES, ids=lambda p: p.name)
def test_web_has_a_healthcheck_on_healthz(path: Path) -> None:
    healthcheck = services(path)["web"]["healthcheck"]
    assert "/healthz" in " ".join(str(part) for part in healthcheck["test"])


def test_web_is_routed_over_https_on_the_app_host() -> None:
    web_labels = labels(services(COMPOSE_PROD)["web"])
    assert web_labels["traefik.enable"] == "true"
    assert web_labels["traefik.http.routers.app.rule"].startswith("Host(`${APP_HOST:?")
    assert web_labels["traefik.http.routers.app.entrypoints"] == "websecure"
    assert web_labels["traefik.http.routers.app.tls.certresolver"] == "le"
    assert web_labels["traefik.http.services.app.loadbalancer.server.port"] == "8000"


def test_app_services_run_production_settings() -> None:
    for name in ("migrate", "web", "worker", "beat"):
        env = environment(services(COMPOSE_PROD)[name])
        assert env["DJANGO_SETTINGS_MODULE"] == "config.settings.production", name
        assert env["REDIS_URL"] == "redis://redis:6379/0"
        assert "@db:5432/" in env["DATABASE_URL"]


def test_n8n_reaches_litellm_and_web_by_service_name() -> None:
    n8n = services(COMPOSE_PROD)["n8n"]
    env = environment(n8n)
    assert env["N8N_ENCRYPTION_KEY"].startswith("${N8N_ENCRYPTION_KEY:?")
    assert env["LITELLM_BASE_URL"] == "http://litellm:4000"
    assert env["TENANTHAWK_API_URL"] == "http://web:8000"
    assert "n8n_data:/home/node/.n8n" in n8n["volumes"]
    assert labels(n8n)["traefik.http.routers.n8n.rule"].startswith("Host(`${N8N_HOST:?")


def test_litellm_mounts_its_config_and_uses_its_own_database() -> None:
    litellm = services(COMPOSE_PROD)["litellm"]
    assert "./litellm/config.yaml:/app/config.yaml:ro" in litellm["volumes"]
    assert command_list(litellm)[:2] == ["--config", "/app/config.yaml"]
    env = environment(litellm)
    assert env["DATABASE_URL"].startswith("postgresql://litellm:${LITELLM_DB_PASSWORD:?")
    assert env["DATABASE_URL"].endswith("@db:5432/litellm")
    assert labels(litellm)["traefik.http.routers.litellm.rule"].startswith("Host(`${LITELLM_HOST:?")


def test_every_compose_variable_is_in_the_production_env_example() -> None:
    """Each ${NAME} of compose.yaml has a line in deploy/.env.production.example."""
    example = (COMPOSE_PROD.parent / ".env.production.example").read_text()
    documented = set(re.findall(r"^([A-Z][A-Z0-9_]*)=", example, re.MULTILINE))
    used = {match["name"] for match in INTERPOLATION.finditer(uncommented(COMPOSE_PROD))}
    assert not used - documented, sorted(used - documented)
