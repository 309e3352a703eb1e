"""Reads on tenants."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Tenant


def tenant_list_live() -> QuerySet[Tenant]:
    """Every customer tenant that has a schema: not the public one, not deleted."""
    return Tenant.objects.exclude(schema_name="public").exclude(state=Tenant.State.DELETED)


def tenant_get_by_slug(*, slug: str) -> Tenant | None:
    return tenant_list_live().filter(slug=slug).first()
