"""Resolving /t/<slug>/ to a tenant without a database query on a warm request.

Each process keeps slug -> (tenant, URLconf module) in memory. A generation counter in Redis (the
"platform" cache, not split per schema) says when any Tenant or Domain row changed: every process
compares it on each tenant request (one Redis GET, no SQL) and drops its table when it moved. The
URLconf module is built once per slug, so Django's resolver cache is reused instead of being
cleared on every request as the stock subfolder middleware does.
"""

from __future__ import annotations

import copy
import threading
import time
from dataclasses import dataclass
from types import ModuleType

from django.core.cache import BaseCache, caches
from django_tenants.urlresolvers import get_subfolder_urlconf

from .models import Domain, Tenant

GENERATION_KEY = "tenants:routing-generation"
# Unknown slugs are remembered too (a flood of them must not become a flood of queries), up to a
# bound past which the table starts again.
MAX_ROUTES = 10_000


@dataclass(frozen=True)
class Route:
    tenant: Tenant
    urlconf: ModuleType


class RoutingTable:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._routes: dict[str, Route | None] = {}
        self._public: Tenant | None = None
        self._generation: int | None = None

    @staticmethod
    def _cache() -> BaseCache:
        return caches["platform"]

    def _current_generation(self) -> int:
        generation = self._cache().get(GENERATION_KEY)
        if generation is None:
            # First use, or Redis lost the key: start from the clock, never from a value that
            # some process may still hold from before.
            self._cache().add(GENERATION_KEY, time.time_ns(), timeout=None)
            generation = self._cache().get(GENERATION_KEY, 0)
        return int(generation)

    def _sync(self) -> None:
        generation = self._current_generation()
        if generation != self._generation:
            with self._lock:
                self._routes = {}
                self._public = None
                self._generation = generation

    def route(self, slug: str) -> Route | None:
        """The tenant and URLconf for `slug`, or None for an unknown slug. Misses are cached too."""
        self._sync()
        if slug not in self._routes:
            domain = Domain.objects.select_related("tenant").filter(domain=slug).first()
            route = None
            if domain is not None:
                tenant = domain.tenant
                tenant.domain_subfolder = slug
                route = Route(tenant=tenant, urlconf=get_subfolder_urlconf(tenant))
            with self._lock:
                if len(self._routes) >= MAX_ROUTES:
                    self._routes = {}
                self._routes[slug] = route
        route = self._routes.get(slug)
        if route is None:
            return None
        # Each request gets its own copy: a view that changes request.tenant must not change
        # what other requests see.
        return Route(tenant=copy.copy(route.tenant), urlconf=route.urlconf)

    def public_tenant(self) -> Tenant:
        self._sync()
        if self._public is None:
            self._public = Tenant.objects.get(schema_name="public")
        return copy.copy(self._public)

    def invalidate(self) -> None:
        """Tell every process that tenants or domains changed."""
        cache = self._cache()
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:
            cache.set(GENERATION_KEY, time.time_ns(), timeout=None)
        with self._lock:
            self._routes = {}
            self._public = None
            self._generation = None


routing_table = RoutingTable()
