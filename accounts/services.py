"""Writes on users and memberships."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from core.services import audit_record

from .models import Membership, User


def user_create(*, email: str, password: str | None, full_name: str = "") -> User:
    """Create a user; the password is checked by the configured validators first."""
    email = User.objects.normalize_email(email).strip().lower()
    if not email:
        raise ValidationError({"email": [_("An e-mail address is required.")]})
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": [_("A user with this e-mail address already exists.")]})
    user = User(email=email, full_name=full_name)
    if password is not None:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from error
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def membership_add(*, user: User, tenant: Any, role: str, actor: Any = None) -> Membership:
    """Make `user` a member of `tenant` holding `role` (an existing group of that tenant)."""
    from accounts.roles.services import member_grant_role

    membership, created = Membership.objects.get_or_create(user=user, tenant=tenant)
    with schema_context(tenant.schema_name):
        member_grant_role(user=user, role=role)
        if created:
            audit_record(action="member.added", actor=actor, target=user, after={"role": role})
    return membership


@transaction.atomic
def user_delete(*, user: User, actor: Any = None) -> None:
    """Delete a user everywhere: their role rows in each tenant schema, then the public row.

    Tenant-schema rows reference the public user table; they go first, tenant by tenant, since
    Django's collector cannot see across schemas.
    """
    from accounts.roles.models import Member

    for membership in user.memberships.select_related("tenant"):
        with schema_context(membership.tenant.schema_name):
            Member.objects.filter(user=user).delete()
            audit_record(action="member.deleted", actor=actor, target=user)
    audit_record(action="user.deleted", actor=actor, target=user)
    user.delete()
