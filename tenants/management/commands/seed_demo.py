"""Demo data: acme and globex with a user of every role, and one user in both. Idempotent."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from accounts.roles.definitions import BUILT_IN_ROLES, COLLABORATOR, MEMBER, OWNER
from accounts.services import membership_add
from tenants.seeding import tenant_seed_with_admin, user_get_or_create

DEMO_PASSWORD = "Demo-pass-2026"  # noqa: S105 - printed on purpose: demo data on your machine
DEMO_TENANTS = {"acme": "Acme Corporation", "globex": "Globex Industries"}
SHARED_USER = "consultant@example.com"
OPERATOR = "operator@tenanthawk.example"


class Command(BaseCommand):
    help = "Seed the demo tenants acme and globex with users of every role (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", default=DEMO_PASSWORD)

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        password = options["password"]
        rows: list[tuple[str, str, str]] = []
        for slug, name in DEMO_TENANTS.items():
            owner_email = f"owner@{slug}.example"
            result = tenant_seed_with_admin(
                slug=slug, name=name, admin_email=owner_email, admin_password=password
            )
            tenant = result.tenant
            rows.append((slug, OWNER, owner_email))
            for role in BUILT_IN_ROLES:
                if role == OWNER:
                    continue
                email = f"{role}@{slug}.example"
                user, _ = user_get_or_create(email=email, password=password)
                membership_add(user=user, tenant=tenant, role=role)
                rows.append((slug, role, email))
            shared, _ = user_get_or_create(email=SHARED_USER, password=password)
            shared_role = COLLABORATOR if slug == "acme" else MEMBER
            membership_add(user=shared, tenant=tenant, role=shared_role)
            rows.append((slug, shared_role, SHARED_USER))

        operator, created = user_get_or_create(email=OPERATOR, password=password)
        if created:
            operator.is_staff = operator.is_superuser = True
            operator.save(update_fields=["is_staff", "is_superuser"])
        rows.append(("platform", "superadmin", OPERATOR))

        self.stdout.write(self.style.SUCCESS("Demo tenants: /t/acme/ and /t/globex/"))
        self.stdout.write(f"Every demo user's password: {password}")
        for slug, role, email in rows:
            self.stdout.write(f"  {slug:<8} {role:<13} {email}")
