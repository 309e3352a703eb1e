"""`manage.py create_api_key --tenant acme --name n8n --role moderator`: prints the key once."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.services import api_key_create
from tenants.selectors import tenant_get_by_slug


class Command(BaseCommand):
    help = "Create an API key for a tenant; the key is printed once and cannot be shown again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tenant", required=True, help="The tenant's slug, e.g. acme")
        parser.add_argument("--name", required=True, help="What the key is for, e.g. n8n")
        parser.add_argument("--role", default="member", help="The role the key acts as")

    def handle(self, *args: Any, **options: Any) -> None:
        tenant = tenant_get_by_slug(slug=options["tenant"])
        if tenant is None:
            raise CommandError(f"No live tenant {options['tenant']!r}: check the slug.")
        try:
            api_key, plaintext = api_key_create(
                tenant=tenant, name=options["name"], role=options["role"]
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(
            f"API key {api_key.name!r} for /t/{tenant.slug}/ acting as {api_key.role}:"
        )
        self.stdout.write(plaintext)
        self.stdout.write(self.style.WARNING("Store it now: it is not shown again."))
