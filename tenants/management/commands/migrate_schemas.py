"""django-tenants' migrate_schemas, which also keeps the template schema current.

New tenants are cloned from the template (tenants/schema.py), so the template must carry every
migration: it is migrated after the public schema and before the existing tenants. Tenants whose
schema is gone (deleted tenants keep their row as a tombstone) are skipped, not an error.
"""

from typing import Any

from django_tenants.management.commands.migrate_schemas import MigrateSchemasCommand
from django_tenants.migration_executors import get_executor
from django_tenants.utils import schema_exists

from tenants.schema import template_migrate


def live_tenant_schemas() -> list[str]:
    """Schemas of every tenant that has one: not public, not deleted, present in the database."""
    from tenants.models import Tenant

    names = (
        Tenant.objects.exclude(schema_name="public")
        .exclude(state=Tenant.State.DELETED)
        .order_by("pk")
        .values_list("schema_name", flat=True)
    )
    return [name for name in names if schema_exists(name)]


class Command(MigrateSchemasCommand):
    help = (
        "Migrates the public schema, the template schema new tenants are cloned from, and tenants."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        inspect_only = options.get("plan") or options.get("check_unapplied")
        if inspect_only or options.get("schema_name"):
            super().handle(*args, **options)
            return
        shared, tenant = options.get("shared"), options.get("tenant")
        if not shared and not tenant:
            shared = tenant = True
        if shared:
            super().handle(*args, **{**options, "shared": True, "tenant": False})
        if tenant:
            template_migrate(verbosity=int(options.get("verbosity", 1)))
            executor = get_executor(codename=options.get("executor"))(args, options)
            executor.run_migrations(tenants=live_tenant_schemas())
