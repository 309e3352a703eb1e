"""One command to a working tenant: a demo tenant and its owner, credentials printed."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenants.seeding import tenant_seed_with_admin

from .seed_tenant_admin import validation_message


class Command(BaseCommand):
    help = "Create a demo tenant and its owner in one go, and print how to log in."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--slug", default="demo")
        parser.add_argument("--name", default="Demo Company")
        parser.add_argument("--email", default="owner@demo.example")
        parser.add_argument("--password", default=None, help="Default: a random one, printed")

    def handle(self, *args: Any, **options: Any) -> None:
        password = options["password"] or secrets.token_urlsafe(12)
        try:
            result = tenant_seed_with_admin(
                slug=options["slug"],
                name=options["name"],
                admin_email=options["email"],
                admin_password=password,
            )
        except ValidationError as error:
            message = validation_message(error, {"email": "--email", "password": "--password"})
            raise CommandError(f"{message} Pick other values and retry.") from error
        for line in result.lines:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Open {settings.SITE_URL}/t/{result.tenant.slug}/"))
        if result.user.check_password(password):
            self.stdout.write(f"Log in as {result.user.email} with the password {password}")
        else:
            self.stdout.write(f"Log in as {result.user.email} with the password you set before.")
