"""Create a tenant and its first owner; a second run with the same values changes nothing."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenants.seeding import SeedResult, tenant_seed_with_admin


def validation_message(error: ValidationError, options: dict[str, str] | None = None) -> str:
    """A ValidationError as one line, each field named by the command option that set it."""
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    names = options or {}
    return "; ".join(
        f"{names.get(field, '--' + field.replace('_', '-'))}: {' '.join(messages)}"
        for field, messages in error.message_dict.items()
    )


OPTION_NAMES = {"email": "--admin-email", "password": "--admin-password"}


class Command(BaseCommand):
    help = "Create a tenant on a trial with its owner. Idempotent: a second run changes nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--slug", required=True, help="URL name: /t/<slug>/ (a-z, 0-9, -)")
        parser.add_argument("--name", required=True, help="Display name of the tenant")
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--admin-password", required=True)
        parser.add_argument("--trial-days", type=int, default=14)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["trial_days"] < 0:
            raise CommandError("--trial-days must be 0 or more.")
        try:
            result = tenant_seed_with_admin(
                slug=options["slug"],
                name=options["name"],
                admin_email=options["admin_email"],
                admin_password=options["admin_password"],
                trial_days=options["trial_days"],
            )
        except ValidationError as error:
            raise CommandError(
                f"{validation_message(error, OPTION_NAMES)} "
                "Fix the value and run the command again."
            ) from error
        self.report(result)

    def report(self, result: SeedResult) -> None:
        style = self.style.SUCCESS if result.changed else self.style.NOTICE
        for line in result.lines:
            self.stdout.write(style(line))
