"""Path routing: /t/<slug>/... runs in that tenant's schema, everything else in public."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import set_urlconf
from django_tenants.middleware.subfolder import TenantSubfolderMiddleware

from .db import use_public_schema, use_tenant
from .routing import routing_table

PREFIX = f"/{settings.TENANT_SUBFOLDER_PREFIX}/"


class TenantPathMiddleware(TenantSubfolderMiddleware):
    """django-tenants' subfolder routing with the slug lookup cached (tenants/routing.py).

    The stock middleware makes two queries on every request, public paths included, and rebuilds
    the tenant URLconf each time; this one makes none on a warm request.
    """

    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        use_public_schema()
        if not request.path_info.startswith(PREFIX):
            tenant = routing_table.public_tenant()
            request.urlconf = settings.PUBLIC_SCHEMA_URLCONF
        else:
            slug = request.path_info[len(PREFIX) :].split("/", 1)[0]
            route = routing_table.route(slug) if slug else None
            if route is None:
                set_urlconf(settings.PUBLIC_SCHEMA_URLCONF)  # the 404 page renders public URLs
                raise Http404("No such workspace.")
            tenant = route.tenant
            request.urlconf = route.urlconf  # type: ignore[assignment]
        tenant.domain_url = request.get_host().split(":")[0]
        request.tenant = tenant  # type: ignore[attr-defined]
        use_tenant(tenant)
        set_urlconf(request.urlconf)
        return None

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        # The schema is the request's: leave the connection on public for whatever runs next on
        # this thread (a test's own queries, a management hook, the next request's routing).
        use_public_schema()
        return response


BLOCKED_STATES = frozenset({"expired", "canceled", "suspended"})


class TenantLifecycleMiddleware:
    """Blocks a tenant that does not pay: owners reach only billing, everyone else a clear page.

    Placed after the membership gate (accounts). It reads `request.tenant.state`, already loaded
    by the routing middleware, so it costs no query; trial, active and past_due pass.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        tenant = getattr(request, "tenant", None)
        if (
            tenant is None
            or tenant.schema_name == "public"
            or tenant.state not in BLOCKED_STATES
            or not request.user.is_authenticated
        ):
            return self.get_response(request)
        from django.shortcuts import redirect, render

        billing_path = f"{PREFIX}{tenant.slug}/billing/"
        membership = getattr(request, "membership", None)
        if membership is not None and hasattr(membership, "has_perm"):
            is_billing_owner = membership.has_perm("roles.manage_billing")
        else:
            is_billing_owner = request.user.has_perm("roles.manage_billing")
        if is_billing_owner:
            if request.path_info.startswith(billing_path):
                return self.get_response(request)
            return redirect(billing_path)
        return render(request, "billing/blocked.html", {"tenant": tenant}, status=403)
