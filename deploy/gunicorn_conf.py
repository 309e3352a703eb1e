"""gunicorn settings for the web container, read from the environment.

Used as `gunicorn config.wsgi --config python:deploy.gunicorn_conf --no-control-socket`.
Worker recycling (`--max-requests`) and the access log are off unless asked for: measured on two
cores, the original template's `--max-requests 1000` plus an access log halved the dashboard's
throughput (343 -> 154 req/s). Traefik already writes an access log at the edge.
"""

from __future__ import annotations

import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")  # all interfaces: inside the container
workers = _int("GUNICORN_WORKERS", 2)
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = _int("GUNICORN_THREADS", 4)
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Opt-in only: 0 means workers are never recycled.
max_requests = _int("GUNICORN_MAX_REQUESTS", 0)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 0)
# Opt-in only: None means no access log ("-" would be stdout).
accesslog = "-" if _flag("GUNICORN_ACCESS_LOG") else None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Only Traefik, on the compose network, talks to gunicorn: trust its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "*")
# /dev/shm for the worker heartbeat files: a container's /tmp may be an overlay on slow disk.
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR", "/dev/shm")  # noqa: S108
