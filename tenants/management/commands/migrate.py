"""`migrate` is `migrate_schemas` here (as in django-tenants), template schema included."""

from .migrate_schemas import Command as MigrateSchemas


class Command(MigrateSchemas):
    pass
