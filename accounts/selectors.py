"""Reads on users and memberships."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from tenants.models import Tenant

from .models import ApiKey, Membership


def memberships_for_user(*, user: Any) -> QuerySet[Membership]:
    """The user's memberships in live tenants, with the tenant loaded, by tenant name."""
    return (
        Membership.objects.filter(user_id=user.pk)
        .exclude(tenant__state=Tenant.State.DELETED)
        .exclude(tenant__schema_name="public")
        .select_related("tenant")
        .order_by("tenant__name")
    )


def home_url_for_user(*, user: Any) -> str:
    """Where a user lands after login: their one workspace, else the picker (which also says
    when there is none)."""
    actives = list(memberships_for_user(user=user).filter(status=Membership.Status.ACTIVE)[:2])
    if len(actives) == 1:
        return actives[0].tenant.path
    return "/workspaces/"


def api_keys_for_tenant(*, tenant: Any) -> QuerySet[ApiKey]:
    return ApiKey.objects.filter(tenant=tenant).select_related("created_by")
