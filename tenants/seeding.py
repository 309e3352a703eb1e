"""Idempotent seeding used by the seed_tenant_admin, quickstart and seed_demo commands."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from accounts.models import Membership, User
from accounts.roles.definitions import OWNER
from accounts.roles.models import Member
from accounts.services import membership_add, user_create

from .models import Tenant
from .services import tenant_provision, tenant_validate_new


@dataclass
class SeedResult:
    tenant: Tenant
    user: User
    changed: bool = False
    lines: list[str] = field(default_factory=list)


def user_get_or_create(*, email: str, password: str, full_name: str = "") -> tuple[User, bool]:
    """The user with this e-mail, or a new one. An existing user's password is never changed."""
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is not None:
        return user, False
    return user_create(email=email, password=password, full_name=full_name), True


@transaction.atomic
def tenant_seed_with_admin(
    *,
    slug: str,
    name: str,
    admin_email: str,
    admin_password: str,
    trial_days: int = 14,
    admin_role: str = OWNER,
) -> SeedResult:
    # Never the platform's own row: "public" is a reserved slug, refused by tenant_validate_new.
    tenant = Tenant.objects.exclude(schema_name="public").filter(slug=slug).first()
    if tenant is not None and tenant.state == Tenant.State.DELETED:
        raise ValidationError(
            {"slug": [_("This tenant was deleted; restore it or pick another slug.")]}
        )
    if tenant is None:
        tenant_validate_new(name=name, slug=slug)  # before creating anybody
    user, user_created = user_get_or_create(email=admin_email, password=admin_password)
    lines: list[str] = []
    changed = user_created
    if user_created:
        lines.append(f"Created user {user.email}.")
    else:
        lines.append(f"User {user.email} exists: password left unchanged.")

    if tenant is None:
        tenant = tenant_provision(name=name, slug=slug, owner=user, trial_days=trial_days)
        lines.append(
            f"Created tenant {tenant.name!r} at /t/{tenant.slug}/ "
            f"with {user.email} as {admin_role}."
        )
        return SeedResult(tenant=tenant, user=user, changed=True, lines=lines)

    if tenant.name != name:
        lines.append(f"Tenant {slug!r} exists with the name {tenant.name!r}: left unchanged.")
    with schema_context(tenant.schema_name):
        holds_role = Member.objects.filter(user=user, roles__name=admin_role).exists()
    if Membership.objects.filter(user=user, tenant=tenant).exists() and holds_role:
        lines.append(
            f"Tenant {slug!r} and its {admin_role} {user.email} already exist: nothing to change."
        )
    else:
        membership_add(user=user, tenant=tenant, role=admin_role)
        lines.append(f"Added {user.email} to tenant {slug!r} as {admin_role}.")
        changed = True
    return SeedResult(tenant=tenant, user=user, changed=changed, lines=lines)
