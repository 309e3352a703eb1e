"""The template schema and cloning it: how a tenant's schema comes to exist.

Replaying every migration for a new tenant costs ~28 s here (dj-stripe alone has hundreds of
operations); cloning a migrated template schema costs a fraction of a second. The template is kept
current by `migrate_schemas` (tenants/management/commands/migrate_schemas.py) and holds only what
every tenant starts with: the migration records, content types, permissions and the built-in roles.
It is cloned with its rows (pg-clone-schema "DATA" mode), so a clone needs no migration run and no
seeding of those rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django_tenants.clone import CloneSchema
from django_tenants.utils import schema_exists

from .db import use_public_schema


def template_schema_name() -> str:
    return str(settings.TENANT_BASE_SCHEMA)


def _clone_function_installed() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = 'public' AND p.proname = 'clone_schema'"
        )
        return cursor.fetchone() is not None


def clone_function_install() -> None:
    """(Re)install django-tenants' clone_schema() SQL function in the public schema."""
    CloneSchema()._create_clone_schema_function()


def template_migrate(*, verbosity: int = 1) -> None:
    """Create the template schema if it is missing and bring it up to date."""
    from django.core.management import call_command

    name = template_schema_name()
    if not schema_exists(name):
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{name}"')
    call_command("migrate_schemas", schema_name=name, interactive=False, verbosity=verbosity)
    use_public_schema()
    clone_function_install()


def schema_clone(schema_name: str) -> None:
    """Create `schema_name` as a copy of the template, rows included."""
    template = template_schema_name()
    if not schema_exists(template):
        raise RuntimeError(
            f"The template schema {template!r} does not exist: run `manage.py migrate_schemas`."
        )
    if not _clone_function_installed():
        clone_function_install()
    with connection.cursor() as cursor:
        cursor.execute("SELECT clone_schema(%s, %s, 'DATA')", [template, schema_name])


def schema_drop(schema_name: str) -> None:
    if schema_name in ("public", template_schema_name()):
        raise ValueError(f"refusing to drop the {schema_name!r} schema")
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{schema_name}" CASCADE')
