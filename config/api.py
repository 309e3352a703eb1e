"""The tenant API: one NinjaAPI, served under /t/<slug>/api/ (docs at /t/<slug>/api/docs).

Each app adds its router here. Authentication is by per-tenant API key (accounts/api.py) for
every endpoint; the key only works under its own tenant's prefix.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from accounts.api import ApiRateLimited, api_key_auth
from accounts.api import router as accounts_router

api = NinjaAPI(
    title="TenantHawk tenant API",
    version="1",
    description="Per-tenant API for machine clients such as n8n. "
    "Authenticate with `Authorization: Bearer th_<prefix>_<secret>` or `X-API-Key`.",
    auth=api_key_auth,
    urls_namespace="tenant-api",
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
