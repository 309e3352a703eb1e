"""Migrating tenant schemas without replaying public-only apps' history.

In a tenant schema (and the template) the router skips every operation of an app that is only
in SHARED_APPS, but Django still applies those migrations to its in-memory model state, with
the models rendered: dj-stripe's history alone made that over a minute per schema. Here such a
migration is recorded and folded into the state without rendering, which gives the same
database and the same recorded history. Public-schema migrations are untouched.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.conf import settings
from django.core.management.commands import migrate as django_migrate
from django.db.migrations.executor import MigrationExecutor

from .db import in_public_schema


@cache
def tenant_app_labels() -> frozenset[str]:
    from django.apps import apps

    return frozenset(
        config.label for config in apps.get_app_configs() if config.name in settings.TENANT_APPS
    )


class TenantSchemaMigrationExecutor(MigrationExecutor):
    def apply_migration(
        self, state: Any, migration: Any, fake: bool = False, fake_initial: bool = False
    ) -> Any:
        if in_public_schema() or migration.app_label in tenant_app_labels():
            return super().apply_migration(state, migration, fake=fake, fake_initial=fake_initial)
        if self.progress_callback:
            self.progress_callback("apply_start", migration, True)
        # Drop the rendered models first: folding the operations into an unrendered state is
        # cheap; Django renders again before the next migration that needs it.
        state.__dict__.pop("apps", None)
        state = migration.mutate_state(state, preserve=False)
        self.record_migration(migration)  # type: ignore[call-arg]  # Django 5.2's signature
        if self.progress_callback:
            self.progress_callback("apply_success", migration, True)
        return state


class Command(django_migrate.Command):
    """Django's migrate, with the executor above (TENANT_BASE_MIGRATE_COMMAND points here)."""

    def handle(self, *args: Any, **options: Any) -> Any:
        # The command builds its executor from this module-level name.
        original = getattr(django_migrate, "MigrationExecutor")  # noqa: B009
        setattr(django_migrate, "MigrationExecutor", TenantSchemaMigrationExecutor)  # noqa: B010
        try:
            return super().handle(*args, **options)
        finally:
            setattr(django_migrate, "MigrationExecutor", original)  # noqa: B010
