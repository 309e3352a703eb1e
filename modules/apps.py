from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModulesConfig(AppConfig):
    """The module registry and the per-tenant on/off switches. Public schema (SHARED_APPS)."""

    name = "modules"
    label = "modules"
    verbose_name = _("Modules")

    def ready(self) -> None:
        # Imports only: filling the registry must not touch the database (STYLE.md item 6).
        from accounts.roles.definitions import ROLE_PERMISSION_PROVIDERS

        from . import signals  # noqa: F401 - connects the cache invalidation
        from .registry import registry

        registry.autodiscover()
        if registry.role_grants not in ROLE_PERMISSION_PROVIDERS:
            ROLE_PERMISSION_PROVIDERS.append(registry.role_grants)
