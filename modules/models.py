"""Which module each tenant has switched on or off. Public schema (the modules app is shared).

Public, keyed by tenant, rather than a row in each tenant schema: `listmodules` counts the tenants
that have a module on in one query instead of one per schema, the plan policy (billing, public)
can read and write switches without entering schemas, and the guard's lookup is one cached query
by tenant id. A missing row means the module's default (Module.default_enabled).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ModuleSwitch(models.Model):
    tenant = models.ForeignKey(
        "tenants.Tenant", on_delete=models.CASCADE, related_name="module_switches"
    )
    module = models.CharField(_("module"), max_length=64)
    enabled = models.BooleanField(_("enabled"), default=True)
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("module switch")
        verbose_name_plural = _("module switches")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "module"], name="modules_switch_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.module} {'on' if self.enabled else 'off'} @ {self.tenant_id}"
