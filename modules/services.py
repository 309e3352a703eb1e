"""Writes for the module registry: switching a module on or off for one tenant."""

from __future__ import annotations

from typing import Any

from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from core.services import audit_record

from .models import ModuleSwitch
from .registry import registry
from .selectors import switches_cache_key


def _switches_cache_drop(tenant_id: int) -> None:
    caches["platform"].delete(switches_cache_key(tenant_id))


@transaction.atomic
def module_switch_set(
    *, tenant: Any, module: str, enabled: bool, actor: Any = None
) -> ModuleSwitch:
    """Switch `module` on or off for `tenant`; audited in the tenant's own log.

    The cache key is dropped now (this process sees the change at once) and again on commit (a
    reader that re-cached the old value in between is corrected).
    """
    spec = registry.get(module)
    if spec is None:
        raise ValidationError({"module": [_("There is no such module.")]})
    switch, _created = ModuleSwitch.objects.select_for_update().get_or_create(
        tenant=tenant, module=module, defaults={"enabled": spec.default_enabled}
    )
    before = switch.enabled
    switch.enabled = enabled
    switch.changed_at = timezone.now()
    switch.changed_by = actor if getattr(actor, "is_authenticated", False) else None
    switch.save(update_fields=["enabled", "changed_at", "changed_by"])
    with schema_context(tenant.schema_name):
        audit_record(
            action="module.switched",
            actor=actor,
            target=switch,
            before={"module": module, "enabled": before},
            after={"module": module, "enabled": enabled},
        )
    _switches_cache_drop(tenant.pk)
    transaction.on_commit(lambda: _switches_cache_drop(tenant.pk))
    return switch
