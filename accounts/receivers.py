"""Reactions to other apps' events: sessions and API keys that must end. Connected in ready()."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest

from .services import api_keys_revoke_for_tenant
from .sessions import session_forget, sessions_end_for_user


def _current_key_of(request: HttpRequest | None, user: Any) -> str | None:
    """The request's session key if it is `user`'s own session (a password change keeps it)."""
    if request is None or getattr(request.user, "pk", None) != user.pk:
        return None
    return request.session.session_key


def on_password_changed(
    sender: Any, request: HttpRequest | None = None, user: Any = None, **kwargs: Any
) -> None:
    """Password changed, set or reset: every other session of the user ends.

    Django's session hash check would refuse them on their next request anyway; this deletes them
    from Redis and from the sessions list at once. A reset (logged out) keeps no session.
    """
    if user is not None:
        sessions_end_for_user(user, except_key=_current_key_of(request, user))


def on_logged_out(sender: Any, request: HttpRequest, user: Any = None, **kwargs: Any) -> None:
    if user is not None:
        session_forget(user_id=user.pk, session_key=request.session.session_key)


def on_user_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    user_id = instance.pk
    transaction.on_commit(lambda: sessions_end_for_user(user_id))


def on_tenant_deleted(
    sender: Any, tenant: Any, deleted_user_ids: list[int] | None = None, **kwargs: Any
) -> None:
    """The tenant is gone: its keys are revoked (same transaction), and the sessions of users
    deleted with it end once that commits. Its other former members keep their sessions: the
    gate closes the tenant to them because their membership rows are gone."""
    api_keys_revoke_for_tenant(tenant=tenant)
    user_ids = list(deleted_user_ids or [])

    def end_sessions() -> None:
        for user_id in user_ids:
            sessions_end_for_user(user_id)

    transaction.on_commit(end_sessions)
