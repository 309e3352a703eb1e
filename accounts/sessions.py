"""Who is logged in where: a per-user index of sessions, and ending them.

Sessions themselves live in the "sessions" cache (Django's cache session engine). Beside them,
each user has a Redis hash in the "platform" cache, `accounts:sessions:<user id>`, mapping each of
their session keys to what the sessions page shows (device, IP, first and last seen). The index
is refreshed by SessionActivityMiddleware at login and at most once a minute after that; an entry
whose session expired or was ended is pruned when the index is read.

Session keys are bearer credentials: they never leave this module. Pages and services name a
session by `session_id`, a hash of its key.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.base import SessionBase
from django.core.cache import caches
from django.http import HttpRequest
from django.utils.translation import gettext as _

INDEX_KEY = "accounts:sessions:{user_id}"
# Session data keys written by the activity middleware.
SEEN_FIELD = "_th_seen"  # epoch seconds of the last refresh
INDEXED_FIELD = "_th_indexed"  # the session key the index entry was written for


def _store_class() -> type[SessionBase]:
    return import_module(settings.SESSION_ENGINE).SessionStore


def _redis() -> Any:
    return caches["platform"].client.get_client(write=True)  # type: ignore[attr-defined]


def _index_key(user_id: int | str) -> str:
    return caches["platform"].make_key(INDEX_KEY.format(user_id=user_id))


def _user_id(user: Any) -> int:
    return int(user if isinstance(user, int | str) else user.pk)


def session_id_for_key(session_key: str) -> str:
    """The public name of a session: safe to put in a page or a URL."""
    return hashlib.sha256(session_key.encode()).hexdigest()[:20]


def device_describe(user_agent: str) -> str:
    """'Firefox on Linux' from a User-Agent header: enough to recognise one's own devices."""
    ua = user_agent or ""
    browsers = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
        ("curl/", "curl"),
    ]
    systems = [
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Android", "Android"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ]
    browser = next((name for token, name in browsers if token in ua), "")
    system = next((name for token, name in systems if token in ua), "")
    if browser and system:
        return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    return browser or system or (ua[:60] if ua else _("Unknown device"))


def client_ip(request: HttpRequest) -> str:
    """The client's address as the server saw it (behind Traefik, set by the proxy headers)."""
    return str(request.META.get("REMOTE_ADDR", ""))


@dataclass(frozen=True)
class SessionInfo:
    session_id: str
    device: str
    ip: str
    created_at: datetime
    last_seen: datetime
    is_current: bool


def _from_epoch(value: float) -> datetime:
    return datetime.fromtimestamp(value, tz=UTC)


def session_record(*, request: HttpRequest, user_id: int) -> None:
    """Write (or refresh) the index entry of the request's session."""
    session = request.session
    key = session.session_key
    if not key:
        return
    now = time.time()
    redis, index = _redis(), _index_key(user_id)
    previous = session.get(INDEXED_FIELD)
    created = now
    if previous == key:
        raw = redis.hget(index, key)
        if raw:
            created = json.loads(raw).get("created", now)
    entry = {
        "ua": request.META.get("HTTP_USER_AGENT", "")[:300],
        "ip": client_ip(request),
        "created": created,
        "seen": now,
    }
    pipe = redis.pipeline()
    if previous and previous != key:  # rotated (login, password change): drop the old name
        pipe.hdel(index, previous)
    pipe.hset(index, key, json.dumps(entry))
    pipe.expire(index, settings.SESSION_COOKIE_AGE + settings.SESSION_TOUCH_INTERVAL)
    pipe.execute()
    session[SEEN_FIELD] = now
    session[INDEXED_FIELD] = key


def session_touch_if_due(*, request: HttpRequest) -> None:
    """Slide the session's expiry and refresh its index entry, at most once per interval.

    Marking the session modified makes SessionMiddleware save it (new cache TTL) and re-send the
    cookie (new max-age). Doing it on every request would cost a Redis write each time.
    """
    session = getattr(request, "session", None)
    if session is None:
        return
    if settings.SESSION_COOKIE_NAME not in request.COOKIES and not session.modified:
        return  # no session to refresh: do not load one from Redis for nothing
    user_id = session.get(SESSION_KEY)
    if not user_id or not session.session_key:
        return
    due = time.time() - float(session.get(SEEN_FIELD, 0)) >= settings.SESSION_TOUCH_INTERVAL
    if due or session.get(INDEXED_FIELD) != session.session_key:
        session_record(request=request, user_id=int(user_id))


def _live_entries(user_id: int) -> dict[str, dict[str, Any]]:
    """The user's indexed sessions that still exist; dead entries are removed on the way."""
    redis, index = _redis(), _index_key(user_id)
    raw = redis.hgetall(index)
    if not raw:
        return {}
    entries = {(k.decode() if isinstance(k, bytes) else k): json.loads(v) for k, v in raw.items()}
    store = _store_class()
    cache_keys = {key: store(session_key=key).cache_key for key in entries}  # type: ignore[attr-defined]
    alive = caches[settings.SESSION_CACHE_ALIAS].get_many(list(cache_keys.values()))
    dead = [key for key, cache_key in cache_keys.items() if cache_key not in alive]
    if dead:
        redis.hdel(index, *dead)
    return {key: value for key, value in entries.items() if key not in dead}


def sessions_list_for_user(*, user: Any, current_key: str | None = None) -> list[SessionInfo]:
    """The user's active sessions, most recently seen first."""
    sessions = [
        SessionInfo(
            session_id=session_id_for_key(key),
            device=device_describe(entry.get("ua", "")),
            ip=entry.get("ip", ""),
            created_at=_from_epoch(entry.get("created", 0)),
            last_seen=_from_epoch(entry.get("seen", 0)),
            is_current=key == current_key,
        )
        for key, entry in _live_entries(_user_id(user)).items()
    ]
    return sorted(sessions, key=lambda s: (not s.is_current, -s.last_seen.timestamp()))


def _end_keys(user_id: int, keys: list[str]) -> int:
    if not keys:
        return 0
    store = _store_class()
    for key in keys:
        store(session_key=key).delete(key)
    _redis().hdel(_index_key(user_id), *keys)
    return len(keys)


def session_end(*, user: Any, session_id: str) -> bool:
    """End one of the user's sessions, named by its public id. False if there is none."""
    user_id = _user_id(user)
    keys = [key for key in _live_entries(user_id) if session_id_for_key(key) == session_id]
    return _end_keys(user_id, keys) > 0


def sessions_end_for_user(user: Any, except_key: str | None = None) -> int:
    """End every session of the user (a User or an id) but `except_key`; returns how many.

    Every indexed key is deleted, expired or not (deleting a missing key costs nothing).
    """
    user_id = _user_id(user)
    redis, index = _redis(), _index_key(user_id)
    keys = [k.decode() if isinstance(k, bytes) else k for k in redis.hkeys(index)]
    ended = _end_keys(user_id, [key for key in keys if key != except_key])
    if except_key is None:
        redis.delete(index)
    return ended


def session_forget(*, user_id: int, session_key: str | None) -> None:
    """Drop one entry from the index (the session is being flushed by logout)."""
    if session_key:
        _redis().hdel(_index_key(user_id), session_key)
