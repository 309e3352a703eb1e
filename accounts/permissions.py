"""Helpers for tenant views: require membership, require a permission of the member's roles.

Views check permissions (`roles.manage_members`), never role names: owners can shape custom
roles, and a module adds its permissions to the built-in roles through its hooks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponse])


def _as_tuple(perms: str | Iterable[str]) -> tuple[str, ...]:
    return (perms,) if isinstance(perms, str) else tuple(perms)


def tenant_access_check(request: HttpRequest, perms: str | Iterable[str] = ()) -> None:
    """Raise 404 unless the request comes from a member of its tenant, 403 unless they hold
    every permission in `perms` there.

    TenantAccessMiddleware already refuses non-members; checking again here keeps a view safe if
    it is ever mounted where the middleware does not run (the API prefix, a test).
    """
    if getattr(request, "membership", None) is None:
        raise Http404("No such workspace.")
    wanted = _as_tuple(perms)
    if wanted and not request.user.has_perms(wanted):
        raise PermissionDenied


def membership_required(view: ViewFunc) -> ViewFunc:
    """The view answers members of the request's tenant only (others get 404)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        tenant_access_check(request)
        return view(request, *args, **kwargs)

    return wrapped  # type: ignore[return-value]


def tenant_permission_required(perms: str | Iterable[str]) -> Callable[[ViewFunc], ViewFunc]:
    """`@tenant_permission_required("roles.manage_members")`: 403 without it, 404 for
    non-members."""

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            tenant_access_check(request, perms)
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


class TenantPermissionRequiredMixin:
    """For class-based views: set `permission_required` (a string or a tuple of strings)."""

    permission_required: str | Iterable[str] = ()

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        tenant_access_check(request, self.permission_required)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
