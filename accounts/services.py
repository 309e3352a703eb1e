"""Writes on users, memberships and API keys."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from core.services import audit_record

from .models import ApiKey, Membership, User


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
def user_delete(*, user: User, actor: Any = None) -> None:
    """Delete a user everywhere: their roles in each tenant schema, memberships, the account.

    Their sessions end once this commits (accounts.receivers.on_user_deleted).
    """
    from accounts.roles.models import Member

    for membership in Membership.objects.filter(user=user).select_related("tenant"):
        with schema_context(membership.tenant.schema_name):
            Member.objects.filter(user_id=user.pk).delete()
    audit_record(action="user.deleted", actor=actor, target=user)
    user.delete()


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


def _membership_revoke_notify(*, membership: Membership, reason: str) -> None:
    from core.signals import membership_revoked

    membership_revoked.send(
        sender=Membership, tenant=membership.tenant, user=membership.user, reason=reason
    )


@transaction.atomic
def membership_suspend(*, membership: Membership, actor: Any = None) -> Membership:
    """Close the tenant to the member at once (the gate reads the status on every request)."""
    membership = (
        Membership.objects.select_for_update()
        .select_related("tenant", "user")
        .get(pk=membership.pk)
    )
    if membership.status == Membership.Status.SUSPENDED:
        return membership
    membership.status = Membership.Status.SUSPENDED
    membership.save(update_fields=["status"])
    with schema_context(membership.tenant.schema_name):
        audit_record(
            action="member.suspended",
            actor=actor,
            target=membership.user,
            before={"status": "active"},
            after={"status": "suspended"},
        )
    _membership_revoke_notify(membership=membership, reason="suspended")
    return membership


@transaction.atomic
def membership_reactivate(*, membership: Membership, actor: Any = None) -> Membership:
    membership = (
        Membership.objects.select_for_update()
        .select_related("tenant", "user")
        .get(pk=membership.pk)
    )
    if membership.status == Membership.Status.ACTIVE:
        return membership
    membership.status = Membership.Status.ACTIVE
    membership.save(update_fields=["status"])
    with schema_context(membership.tenant.schema_name):
        audit_record(
            action="member.reactivated",
            actor=actor,
            target=membership.user,
            before={"status": "suspended"},
            after={"status": "active"},
        )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: Any = None) -> None:
    """Take the user out of the tenant: their roles there and the membership row go."""
    from accounts.roles.models import Member

    membership = (
        Membership.objects.select_for_update()
        .select_related("tenant", "user")
        .get(pk=membership.pk)
    )
    with schema_context(membership.tenant.schema_name):
        Member.objects.filter(user=membership.user).delete()
        audit_record(action="member.removed", actor=actor, target=membership.user)
    membership.delete()
    _membership_revoke_notify(membership=membership, reason="removed")


# --- API keys ------------------------------------------------------------------------------------

API_KEY_PREFIX = "th"
API_KEY_TOUCH_INTERVAL = dt.timedelta(minutes=1)


def api_key_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_key_parse(token: str) -> tuple[str, str] | None:
    """('prefix', 'secret') from 'th_<prefix>_<secret>', or None if it is not shaped so."""
    parts = token.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != API_KEY_PREFIX or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]


@transaction.atomic
def api_key_create(*, tenant: Any, name: str, role: str, actor: Any = None) -> tuple[ApiKey, str]:
    """Create a key acting as `role` in `tenant`. Returns the row and the plaintext, which is
    shown once and never stored."""
    from django.contrib.auth.models import Group

    name = name.strip()
    if not name:
        raise ValidationError({"name": [_("A name is required.")]})
    with schema_context(tenant.schema_name):
        if not Group.objects.filter(name=role).exists():
            raise ValidationError({"role": [_("No role named %(role)s here.") % {"role": role}]})
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    api_key = ApiKey.objects.create(
        tenant=tenant,
        name=name,
        prefix=prefix,
        secret_hash=api_key_hash(secret),
        role=role,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    with schema_context(tenant.schema_name):
        audit_record(
            action="api_key.created",
            actor=actor,
            target=api_key,
            after={"name": name, "role": role, "prefix": prefix},
        )
    return api_key, f"{API_KEY_PREFIX}_{prefix}_{secret}"


@transaction.atomic
def api_key_revoke(*, api_key: ApiKey, actor: Any = None) -> ApiKey:
    api_key = ApiKey.objects.select_for_update().select_related("tenant").get(pk=api_key.pk)
    if api_key.revoked_at is not None:
        return api_key
    api_key.revoked_at = timezone.now()
    api_key.save(update_fields=["revoked_at"])
    with schema_context(api_key.tenant.schema_name):
        audit_record(action="api_key.revoked", actor=actor, target=api_key)
    return api_key


def api_keys_revoke_for_tenant(*, tenant: Any) -> int:
    """Revoke every live key of a tenant (it is being deleted: no per-key audit rows)."""
    return ApiKey.objects.filter(tenant=tenant, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def api_key_authenticate(*, tenant: Any, token: str) -> ApiKey | None:
    """The live key of `tenant` that `token` is, or None. One query; plus an UPDATE of
    last_used_at at most once a minute per key."""
    parsed = api_key_parse(token)
    if parsed is None:
        return None
    prefix, secret = parsed
    api_key = ApiKey.objects.filter(prefix=prefix).first()
    if api_key is None:
        return None
    matches = hmac.compare_digest(api_key.secret_hash, api_key_hash(secret))
    if not matches or api_key.revoked_at is not None or api_key.tenant_id != tenant.pk:
        return None
    now = timezone.now()
    if api_key.last_used_at is None or now - api_key.last_used_at >= API_KEY_TOUCH_INTERVAL:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now
    api_key.tenant = tenant
    return api_key


@transaction.atomic
def user_update_profile(*, user: User, full_name: str, language: str) -> User:
    """Change the user's display name and interface language (empty: follow the browser)."""
    from django.conf import settings

    if language and language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": [_("Unknown language.")]})
    user = User.objects.select_for_update().get(pk=user.pk)
    before = {"full_name": user.full_name, "language": user.language}
    user.full_name = full_name.strip()
    user.language = language
    user.save(update_fields=["full_name", "language"])
    audit_record(
        action="user.profile_changed",
        actor=user,
        target=user,
        before=before,
        after={"full_name": user.full_name, "language": user.language},
    )
    return user
