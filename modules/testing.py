"""Helpers for module tests: what the registry shows a user, without going through a page."""

from __future__ import annotations

from typing import Any

from django.test import RequestFactory
from django.urls import set_urlconf
from django_tenants.utils import schema_context

from tenants.routing import routing_table

from .registry import sidebar_entries


def sidebar_modules(*, user: Any, tenant: Any) -> list[str]:
    """The modules whose sidebar entries `user` sees in `tenant`."""
    route = routing_table.route(tenant.slug)
    if route is None:
        raise LookupError(f"no route for {tenant.slug}")
    request = RequestFactory().get(tenant.path)
    request.user = user
    request.tenant = route.tenant  # type: ignore[attr-defined]
    with schema_context(tenant.schema_name):
        set_urlconf(route.urlconf)  # type: ignore[arg-type]
        try:
            return [entry.module for entry in sidebar_entries(request)]
        finally:
            set_urlconf(None)
