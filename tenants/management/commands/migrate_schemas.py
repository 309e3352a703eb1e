"""django-tenants' migrate_schemas, which also keeps the template schema current.

New tenants are cloned from the template (tenants/schema.py), so the template must carry every
migration: it is migrated after the public schema and before the existing tenants.
"""

from typing import Any

from django_tenants.management.commands.migrate_schemas import MigrateSchemasCommand

from tenants.schema import template_migrate


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
            super().handle(*args, **{**options, "shared": False, "tenant": True})
