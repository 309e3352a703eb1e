"""`manage.py listmodules`: each module, its label, the roles it grants to, tenants with it on."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from modules.registry import registry
from modules.selectors import tenants_with_module_on
from tenants.models import Tenant
from tenants.schema import template_schema_name


class Command(BaseCommand):
    help = "List the installed modules with their label, roles and how many tenants have them on."

    def handle(self, *args: Any, **options: Any) -> None:
        tenant_count = Tenant.objects.exclude(
            schema_name__in=["public", template_schema_name()]
        ).count()
        self.stdout.write(f"{'MODULE':<16}{'LABEL':<24}{'PLAN':<10}{'ROLES':<48}TENANTS ON")
        for module in registry.modules():
            on = tenants_with_module_on(
                module=module.name,
                default_enabled=module.default_enabled,
                tenant_count=tenant_count,
            )
            roles = ",".join(module.roles)
            self.stdout.write(
                f"{module.name:<16}{module.label!s:<24}{module.required_plan:<10}{roles:<48}{on}"
            )
