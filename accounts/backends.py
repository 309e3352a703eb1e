"""Permissions inside a tenant come from that tenant's groups, not the global user's."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import BaseBackend, ModelBackend
from django.contrib.auth.models import Permission
from django.db import connection


class TenantRoleBackend(BaseBackend):
    """Answers has_perm() from the roles the user holds in the current tenant schema.

    In the public schema it grants nothing (platform staff rights come from ModelBackend). The
    answer is cached on the user object per schema, so a page that checks many permissions costs
    one query.
    """

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        schema = connection.schema_name  # type: ignore[attr-defined]
        if schema == "public":
            return set()
        cached = getattr(user_obj, "_tenant_perm_cache", None)
        if cached is not None and cached[0] == schema:
            return cached[1]
        rows = Permission.objects.filter(group__members__user_id=user_obj.pk).values_list(
            "content_type__app_label", "codename"
        )
        perms = {f"{app}.{codename}" for app, codename in rows}
        user_obj._tenant_perm_cache = (schema, perms)
        return perms

    def get_group_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return self.get_all_permissions(user_obj, obj)

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return perm in self.get_all_permissions(user_obj, obj)


class PlatformModelBackend(ModelBackend):
    """Django's ModelBackend, for logging in and for platform staff rights in the public schema.

    Inside a tenant schema it answers no permission: `User.groups` would join the tenant's
    auth_group table to the public user-group table and read the wrong rows.
    """

    def _get_permissions(self, user_obj: Any, obj: Any, from_name: str) -> set[str]:
        if connection.schema_name != "public":  # type: ignore[attr-defined]
            return set()
        return super()._get_permissions(user_obj, obj, from_name)  # type: ignore[misc]
