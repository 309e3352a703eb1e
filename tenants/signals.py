"""Drop every process's routing cache when a tenant or domain row changes."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Domain, Tenant
from .routing import routing_table


@receiver(post_save, sender=Tenant, dispatch_uid="tenants.routing.tenant_saved")
@receiver(post_delete, sender=Tenant, dispatch_uid="tenants.routing.tenant_deleted")
@receiver(post_save, sender=Domain, dispatch_uid="tenants.routing.domain_saved")
@receiver(post_delete, sender=Domain, dispatch_uid="tenants.routing.domain_deleted")
def routing_invalidate(**kwargs: object) -> None:
    # Now, so this process sees the change at once, and after commit, so that no process caches
    # the old row again between this change and the commit.
    routing_table.invalidate()
    transaction.on_commit(routing_table.invalidate)
