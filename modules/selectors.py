"""Reads for the module registry: the per-tenant switches, cached."""

from __future__ import annotations

from django.core.cache import caches
from django.db.models import Count, Q

from .models import ModuleSwitch

SWITCH_CACHE_TIMEOUT = 60 * 60


def switches_cache_key(tenant_id: int) -> str:
    return f"modules:switches:{tenant_id}"


def switches_for_tenant(*, tenant_id: int) -> dict[str, bool]:
    """module name -> enabled, for the modules this tenant has switched. One query when cold.

    Cached in the "platform" cache (not split per schema: the rows are public, keyed by tenant);
    modules/services.py drops the key whenever a switch changes.
    """
    cache = caches["platform"]
    key = switches_cache_key(tenant_id)
    switches = cache.get(key)
    if switches is None:
        switches = dict(
            ModuleSwitch.objects.filter(tenant_id=tenant_id).values_list("module", "enabled")
        )
        cache.set(key, switches, SWITCH_CACHE_TIMEOUT)
    return dict(switches)


def tenants_with_module_on(*, module: str, default_enabled: bool, tenant_count: int) -> int:
    """How many tenants have `module` on, counting a missing switch as its default."""
    counts = ModuleSwitch.objects.filter(module=module).aggregate(
        on=Count("id", filter=Q(enabled=True)), off=Count("id", filter=Q(enabled=False))
    )
    if default_enabled:
        return tenant_count - counts["off"]
    return int(counts["on"])
