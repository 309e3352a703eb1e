"""`manage.py restore_tenant <archive.dump>`: bring a deleted tenant back from its archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenants.deletion import ArchiveError, tenant_restore


class Command(BaseCommand):
    help = (
        "Restore a deleted tenant from an archive written by the cascade delete "
        "(<slug>-<time>.dump with its .json sidecar). The tenant comes back suspended, with a "
        "new grace period, so an owner can reactivate billing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "archive", help="path of the .dump file (or its name in the archive folder)"
        )

    def handle(self, *args: Any, archive: str, **options: Any) -> None:
        path = Path(archive)
        if not path.exists():
            path = Path(settings.TENANT_ARCHIVE_DIR) / archive
        if not path.exists() or path.suffix != ".dump":
            raise CommandError(
                f"No archive at {archive!r}: pass the path of a .dump file from "
                f"{settings.TENANT_ARCHIVE_DIR} (ls it to see the archives kept)."
            )
        try:
            tenant = tenant_restore(archive=path)
        except ArchiveError as error:
            raise CommandError(f"{error}. Nothing was restored.") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {tenant.slug} (schema {tenant.schema_name}) as suspended until "
                f"{tenant.grace_ends_at:%Y-%m-%d}; reactivate it from the superadmin or billing."
            )
        )
