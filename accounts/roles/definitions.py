"""The built-in roles every tenant starts with, and their permissions.

Views check permissions, never role names. A module adds its own permissions to these roles
through its hooks (modules/registry.py). The Italian names are the original template's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from django.utils.translation import gettext_lazy as _

OWNER = "owner"
MODERATOR = "moderator"
COLLABORATOR = "collaborator"
MEMBER = "member"
CUSTOMER = "customer"
SUPPLIER = "supplier"

ROLE_LABELS = {
    OWNER: _("Owner"),  # superutente
    MODERATOR: _("Moderator"),  # moderatore
    COLLABORATOR: _("Collaborator"),  # collaboratore
    MEMBER: _("Member"),  # utente
    CUSTOMER: _("Customer"),  # cliente
    SUPPLIER: _("Supplier"),  # fornitore
}

_STAFF_VIEW = {"roles.view_dashboard", "roles.view_member"}

ROLE_PERMISSIONS: dict[str, set[str]] = {
    OWNER: _STAFF_VIEW
    | {
        "roles.invite_member",
        "roles.manage_members",
        "roles.manage_roles",
        "roles.manage_settings",
        "roles.manage_billing",
        "roles.manage_api_keys",
        "roles.view_audit_log",
    },
    MODERATOR: _STAFF_VIEW
    | {"roles.invite_member", "roles.manage_members", "roles.view_audit_log"},
    COLLABORATOR: set(_STAFF_VIEW),
    MEMBER: {"roles.view_dashboard"},
    CUSTOMER: {"roles.view_dashboard"},
    SUPPLIER: {"roles.view_dashboard"},
}

BUILT_IN_ROLES = tuple(ROLE_PERMISSIONS)

# Other apps add grants at start-up without importing into this one: the module registry appends
# a callable returning {role: permissions} (modules/apps.py). Only built-in roles are synced.
ROLE_PERMISSION_PROVIDERS: list[Callable[[], Mapping[str, Iterable[str]]]] = []


def role_permissions() -> dict[str, set[str]]:
    """ROLE_PERMISSIONS plus what every provider grants to the built-in roles."""
    merged = {role: set(perms) for role, perms in ROLE_PERMISSIONS.items()}
    for provider in ROLE_PERMISSION_PROVIDERS:
        for role, perms in provider().items():
            if role in merged:
                merged[role].update(perms)
    return merged
