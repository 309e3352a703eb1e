"""Keep the cached switches right when rows change outside modules.services (admin, shell)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import ModuleSwitch
from .selectors import switches_cache_key


@receiver(post_save, sender=ModuleSwitch, dispatch_uid="modules.switch_saved")
@receiver(post_delete, sender=ModuleSwitch, dispatch_uid="modules.switch_deleted")
def switch_changed(sender: type[ModuleSwitch], instance: ModuleSwitch, **kwargs: Any) -> None:
    from django.core.cache import caches

    caches["platform"].delete(switches_cache_key(instance.tenant_id))
