"""The tenant API: one NinjaAPI, served under /t/<slug>/api/ (docs at /t/<slug>/api/docs).

Each app adds its router here. Authentication is by per-tenant API key (accounts/api.py) for
every endpoint; the key only works under its own tenant's prefix.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI

from accounts.api import ApiRateLimited, api_key_auth
from accounts.api import router as accounts_router


def members_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The API's docs and schema are for the tenant's members: anyone else gets 404, as for the
    rest of /t/<slug>/ (the session gate does not run under /api/, which API keys guard)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        from accounts.models import Membership

        user = request.user
        tenant = getattr(request, "tenant", None)
        if (
            tenant is None
            or not user.is_authenticated
            or not Membership.objects.filter(
                user_id=user.pk, tenant_id=tenant.pk, status=Membership.Status.ACTIVE
            ).exists()
        ):
            raise Http404("No such workspace.")
        return view(request, *args, **kwargs)

    return wrapped


api = NinjaAPI(
    title="TenantHawk tenant API",
    version="1",
    description="Per-tenant API for machine clients such as n8n. "
    "Authenticate with `Authorization: Bearer th_<prefix>_<secret>` or `X-API-Key`.",
    auth=api_key_auth,
    urls_namespace="tenant-api",
    docs_decorator=members_only,
)
api.add_router("/", accounts_router)


@api.exception_handler(ApiRateLimited)
def rate_limited(request: HttpRequest, exc: ApiRateLimited) -> HttpResponse:
    return api.create_response(
        request,
        {"detail": "Too many failed API key attempts from this address; retry in a minute."},
        status=429,
    )


# Every installed module's router, under /t/<slug>/api/<module>/ (modules/registry.py).
from modules.registry import registry as _module_registry  # noqa: E402

for _prefix, _router in _module_registry.api_routers():
    api.add_router(_prefix, _router)
