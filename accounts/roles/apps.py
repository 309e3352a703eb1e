from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RolesConfig(AppConfig):
    """Who holds which role inside one tenant. Tenant schema (TENANT_APPS)."""

    name = "accounts.roles"
    label = "roles"
    verbose_name = _("Roles")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from .services import roles_sync_after_migrate

        post_migrate.connect(roles_sync_after_migrate, dispatch_uid="roles.sync_after_migrate")
