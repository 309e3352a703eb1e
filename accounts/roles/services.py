"""Writes on role holders inside the current tenant schema."""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.contrib.auth.models import Group, Permission

from tenants.db import in_public_schema

from .definitions import role_permissions
from .models import Member


def roles_sync_for_app(*, app_label: str) -> None:
    """Give each built-in role exactly the permissions the definitions grant it in `app_label`."""
    wanted = {
        role: {perm.split(".", 1)[1] for perm in perms if perm.startswith(f"{app_label}.")}
        for role, perms in role_permissions().items()
    }
    available = {
        p.codename: p for p in Permission.objects.filter(content_type__app_label=app_label)
    }
    for role, codenames in wanted.items():
        group, _ = Group.objects.get_or_create(name=role)
        current = set(
            group.permissions.filter(content_type__app_label=app_label).values_list(
                "codename", flat=True
            )
        )
        missing = [available[c] for c in codenames - current if c in available]
        extra = [available[c] for c in current - codenames if c in available]
        if missing:
            group.permissions.add(*missing)
        if extra:
            group.permissions.remove(*extra)


def roles_sync_after_migrate(sender: AppConfig, **kwargs: Any) -> None:
    """post_migrate, per app and schema: keep the roles of tenants (and the template) current."""
    if in_public_schema():
        return
    roles_sync_for_app(app_label=sender.label)


def member_grant_role(*, user: Any, role: str) -> Member:
    """Make `user` hold `role` in the current tenant (creating their Member row if needed)."""
    member, _ = Member.objects.get_or_create(user=user)
    member.roles.add(Group.objects.get(name=role))
    return member
