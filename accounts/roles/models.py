"""Role holders in one tenant's schema. Roles are that schema's Django groups."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Member(models.Model):
    """The roles one user holds in this tenant.

    `user` points at the public user table (a tenant-schema table may reference the public
    schema, never the other way round). `roles` are this schema's auth_group rows: each tenant
    has its own groups and can shape custom roles without touching any other tenant.
    """

    # DO_NOTHING: deleting a public user must not make Django's collector query this table from
    # the public schema (where it does not exist). accounts.services.user_delete removes the
    # rows in each of the user's tenants first; the database constraint refuses anything else.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, related_name="+"
    )
    roles = models.ManyToManyField(Group, blank=True, related_name="members")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        permissions = [
            ("view_dashboard", _("Can see the dashboard")),
            ("invite_member", _("Can invite members")),
            ("manage_members", _("Can change roles, suspend and remove members")),
            ("manage_roles", _("Can create and edit custom roles")),
            ("manage_settings", _("Can change the tenant's settings")),
            ("manage_billing", _("Can manage the plan and billing")),
            ("manage_api_keys", _("Can create and revoke API keys")),
            ("view_audit_log", _("Can read the audit log")),
        ]

    def __str__(self) -> str:
        return f"member {self.user_id}"
