"""The membership gate for /t/<slug>/, and the sessions' sliding expiry."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .models import Membership
from .sessions import session_touch_if_due


class TenantAccessMiddleware:
    """Only members reach a tenant. Goes right after AuthenticationMiddleware.

    Under /t/<slug>/ (not the public schema): anonymous -> the login page with `next`; no
    membership -> 404, exactly as for a tenant that does not exist (nobody learns which slugs
    are taken); suspended -> 403 for that tenant only; otherwise `request.membership` is set.
    The tenant API (/t/<slug>/api/) is exempt: it authenticates by API key (accounts/api.py).
    One query: the user's memberships are read on every request, so suspension and removal take
    effect at once, with no cache to invalidate.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        tenant = getattr(request, "tenant", None)
        request.membership = None  # type: ignore[attr-defined]
        if tenant is None or tenant.schema_name == settings.PUBLIC_SCHEMA_NAME:
            return self.get_response(request)
        if request.path_info.startswith(f"/{settings.TENANT_SUBFOLDER_PREFIX}/{tenant.slug}/api/"):
            return self.get_response(request)
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        # All of the user's memberships in the one query: the shell's workspace switcher reuses
        # them (request.memberships) instead of asking again.
        memberships = list(Membership.objects.filter(user_id=user.pk).select_related("tenant"))
        request.memberships = memberships  # type: ignore[attr-defined]
        membership = next((m for m in memberships if m.tenant_id == tenant.pk), None)
        if membership is None:
            raise Http404("No such workspace.")
        membership.tenant = tenant
        membership.user = user
        if not membership.is_active:
            return render(request, "accounts/suspended.html", {"tenant": tenant}, status=403)
        request.membership = membership  # type: ignore[attr-defined]
        return self.get_response(request)


class SessionActivityMiddleware:
    """Sliding session expiry and the per-user session index (accounts/sessions.py).

    Goes after AuthenticationMiddleware; its response half runs before SessionMiddleware saves,
    so a refresh (at most once per SESSION_TOUCH_INTERVAL, or when the key rotated) is saved with
    the response.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session_touch_if_due(request=request)
        return response
