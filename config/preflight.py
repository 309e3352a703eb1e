"""Turn "cannot connect" failures into one line that names the server and what to do."""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit


def redact(url: str) -> str:
    """The URL without its password."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def _chain(error: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def explain_unreachable(error: BaseException) -> str | None:
    """One line for a database or Redis connection failure; None for any other error."""
    import psycopg
    import redis
    from django.db import OperationalError

    for cause in _chain(error):
        if isinstance(cause, OperationalError | psycopg.OperationalError) and (
            "connect" in str(cause).lower() or "connection" in str(cause).lower()
        ):
            url = os.environ.get("DATABASE_URL", "(DATABASE_URL unset)")
            return (
                f"error: cannot reach PostgreSQL at {redact(url)}: "
                f"{str(cause).strip().splitlines()[0]}. Start that server or fix DATABASE_URL; "
                "unset DATABASE_URL to use the embedded PostgreSQL under .data/."
            )
        if isinstance(cause, redis.exceptions.ConnectionError):
            url = os.environ.get("REDIS_URL", "(REDIS_URL unset)")
            return (
                f"error: cannot reach Redis at {redact(url)}: {cause}. Start that server or fix "
                "REDIS_URL; unset REDIS_URL to use the embedded redis-server under .data/."
            )
    return None
