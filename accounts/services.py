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


# The two below change a membership without the tenant-wide rules (last owner, seats, self);
# everything outside this module goes through member_suspend / member_reactivate /
# member_remove, which lock the tenant and apply those rules first.


def _membership_locked(membership: Membership) -> Membership:
    return (
        Membership.objects.select_for_update()
        .select_related("tenant", "user")
        .get(pk=membership.pk)
    )


def _membership_status_set(*, membership: Membership, status: str, actor: Any) -> Membership:
    """Suspend or reactivate a locked membership; suspension closes the tenant to the member at
    once (the gate reads the status on every request)."""
    if membership.status == status:
        return membership
    before = membership.status
    membership.status = status
    membership.save(update_fields=["status"])
    suspended = status == Membership.Status.SUSPENDED
    with schema_context(membership.tenant.schema_name):
        audit_record(
            action="member.suspended" if suspended else "member.reactivated",
            actor=actor,
            target=membership.user,
            before={"status": before},
            after={"status": status},
        )
    if suspended:
        _membership_revoke_notify(membership=membership, reason="suspended")
    return membership


def _membership_delete(*, membership: Membership, actor: Any) -> None:
    """Take the user out of the tenant: their roles there and the membership row go."""
    from accounts.roles.models import Member

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


# --- Members: roles, last owner, seats (issue 4) -------------------------------------------------

INVITATION_VALID_FOR = dt.timedelta(days=7)


def _tenant_lock(tenant: Any) -> Any:
    """Lock the tenant's row: the mutex for decisions that count rows across the tenant (its
    owners, its seats). Taken first, before any membership row, so lock order is always the same."""
    from tenants.models import Tenant

    return Tenant.objects.select_for_update().get(pk=tenant.pk)


def _holds_owner(*, tenant: Any, user: Any) -> bool:
    from accounts.roles.definitions import OWNER
    from accounts.roles.models import Member

    from .selectors import in_tenant_schema

    with in_tenant_schema(tenant):
        return Member.objects.filter(user_id=user.pk, roles__name=OWNER).exists()


def _refuse_if_last_owner(*, membership: Membership, message: str) -> None:
    """Refuse a change that would leave the tenant with no active owner. The caller holds the
    tenant lock, so two owners cannot each demote the other at the same time."""
    from . import selectors

    owners = selectors.tenant_owner_ids(tenant=membership.tenant)
    if membership.is_active and owners == {membership.user_id}:
        raise ValidationError(message, code="last_owner")


def _refuse_if_no_seat(*, tenant: Any, include_invitations: bool) -> None:
    """Refuse when the plan's seats are all taken: active memberships, plus open invitations
    when a new invitation is being made. The caller holds the tenant lock."""
    from . import selectors

    limit = selectors.tenant_seat_limit(tenant)
    if limit is None:
        return
    used = Membership.objects.filter(tenant=tenant, status=Membership.Status.ACTIVE).count()
    if include_invitations:
        used += selectors.invitations_open_for_tenant(tenant=tenant).count()
    if used >= limit:
        raise ValidationError(
            _(
                "All %(limit)d seats of the plan are taken. Remove a member, revoke an "
                "invitation or upgrade the plan first."
            )
            % {"limit": limit},
            code="seat_limit",
        )


def _refuse_self(*, membership: Membership, actor: Any) -> None:
    if actor is not None and getattr(actor, "pk", None) == membership.user_id:
        raise ValidationError(
            _("You cannot do this to your own membership; ask another manager."), code="self"
        )


def _refuse_owner_change_by_non_owner(*, tenant: Any, actor: Any) -> None:
    if actor is not None and not _holds_owner(tenant=tenant, user=actor):
        raise ValidationError(
            _("Only an owner can give or take away the owner role."), code="owner_only"
        )


@transaction.atomic
def member_suspend(*, membership: Membership, actor: Any) -> Membership:
    """Suspend another member, never the last active owner."""
    _tenant_lock(membership.tenant)
    membership = _membership_locked(membership)
    _refuse_self(membership=membership, actor=actor)
    _refuse_if_last_owner(
        membership=membership,
        message=_("This is the last owner: make another member owner before suspending them."),
    )
    return _membership_status_set(
        membership=membership, status=Membership.Status.SUSPENDED, actor=actor
    )


@transaction.atomic
def member_reactivate(*, membership: Membership, actor: Any) -> Membership:
    """Give a suspended member their access back, if a seat is free."""
    _tenant_lock(membership.tenant)
    membership = _membership_locked(membership)
    _refuse_self(membership=membership, actor=actor)
    if not membership.is_active:
        _refuse_if_no_seat(tenant=membership.tenant, include_invitations=False)
    return _membership_status_set(
        membership=membership, status=Membership.Status.ACTIVE, actor=actor
    )


@transaction.atomic
def member_remove(*, membership: Membership, actor: Any) -> None:
    """Remove another member from the tenant, never the last active owner."""
    _tenant_lock(membership.tenant)
    membership = _membership_locked(membership)
    _refuse_self(membership=membership, actor=actor)
    _refuse_if_last_owner(
        membership=membership,
        message=_("This is the last owner: make another member owner before removing them."),
    )
    _membership_delete(membership=membership, actor=actor)


@transaction.atomic
def member_roles_set(*, membership: Membership, roles: list[str], actor: Any) -> list[str]:
    """Replace the roles `membership`'s user holds in its tenant. Returns the new role names.

    Only an owner gives or takes the owner role; the last active owner keeps it.
    """
    from django.contrib.auth.models import Group

    from accounts.roles.definitions import OWNER
    from accounts.roles.models import Member

    tenant = _tenant_lock(membership.tenant)
    membership = _membership_locked(membership)
    _refuse_self(membership=membership, actor=actor)
    wanted = sorted(set(roles))
    if not wanted:
        raise ValidationError(_("Choose at least one role."), code="no_role")
    with schema_context(tenant.schema_name):
        groups = list(Group.objects.filter(name__in=wanted))
        unknown = set(wanted) - {group.name for group in groups}
        if unknown:
            raise ValidationError(
                _("No role named %(role)s here.") % {"role": ", ".join(sorted(unknown))},
                code="unknown_role",
            )
        member, _created = Member.objects.select_for_update().get_or_create(
            user_id=membership.user_id
        )
        before = sorted(member.roles.values_list("name", flat=True))
    if before == wanted:
        return wanted
    if (OWNER in before) != (OWNER in wanted):
        _refuse_owner_change_by_non_owner(tenant=tenant, actor=actor)
    added = set(wanted) - set(before) - {OWNER}
    if added and actor is not None:
        from . import selectors

        with schema_context(tenant.schema_name):
            grantable = selectors.roles_grantable_by(
                user=actor, is_owner=_holds_owner(tenant=tenant, user=actor)
            )
        if added - set(grantable):
            raise ValidationError(
                _("You cannot give the role %(role)s: it grants more than you hold.")
                % {"role": ", ".join(sorted(added - set(grantable)))},
                code="role_not_grantable",
            )
    if OWNER in before and OWNER not in wanted:
        _refuse_if_last_owner(
            membership=membership,
            message=_("This is the last owner: make another member owner before demoting them."),
        )
    with schema_context(tenant.schema_name):
        member.roles.set(groups)
        audit_record(
            action="member.roles_changed",
            actor=actor,
            target=membership.user,
            before={"roles": before},
            after={"roles": wanted},
        )
    return wanted


@transaction.atomic
def ownership_transfer(
    *, tenant: Any, new_owner: Membership, actor: Any, keep_own: bool = True
) -> None:
    """An owner makes another active member an owner, keeping or dropping their own owner role.

    Dropping it leaves them their other roles, or the member role if owner was their only one.
    """
    from django.contrib.auth.models import Group

    from accounts.roles.definitions import MEMBER, OWNER
    from accounts.roles.models import Member

    tenant = _tenant_lock(tenant)
    new_owner = _membership_locked(new_owner)
    if new_owner.tenant_id != tenant.pk:
        raise ValidationError(_("This person is not a member here."), code="wrong_tenant")
    _refuse_self(membership=new_owner, actor=actor)
    if not _holds_owner(tenant=tenant, user=actor):
        raise ValidationError(_("Only an owner can transfer ownership."), code="owner_only")
    if not new_owner.is_active:
        raise ValidationError(
            _("Reactivate this member before making them owner."), code="inactive"
        )
    with schema_context(tenant.schema_name):
        owner_group = Group.objects.get(name=OWNER)
        member, _created = Member.objects.get_or_create(user_id=new_owner.user_id)
        member.roles.add(owner_group)
        after: dict[str, Any] = {"new_owner": new_owner.user.email, "kept_own": keep_own}
        if not keep_own:
            own = Member.objects.get(user_id=actor.pk)
            own.roles.remove(owner_group)
            if not own.roles.exists():
                own.roles.add(Group.objects.get(name=MEMBER))
        audit_record(
            action="ownership.transferred", actor=actor, target=new_owner.user, after=after
        )


# --- Invitations ---------------------------------------------------------------------------------


def invitation_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _invitation_send(*, invitation: Any, token: str, actor: Any) -> None:
    """Queue the invitation e-mail (after commit). It carries the accept link, never a password."""
    from django.conf import settings
    from django.template.loader import render_to_string
    from django.urls import reverse

    from core.services import email_send

    path = reverse("invitation-accept", urlconf=settings.PUBLIC_SCHEMA_URLCONF, args=[token])
    context = {
        "invitation": invitation,
        "tenant": invitation.tenant,
        "inviter": actor,
        "accept_url": f"{settings.SITE_URL}{path}",
        "expires_at": invitation.expires_at,
    }
    email_send(
        to=[invitation.email],
        subject=_("You are invited to %(tenant)s on TenantHawk")
        % {"tenant": invitation.tenant.name},
        body=render_to_string("emails/invitation.txt", context),
        html=render_to_string("emails/invitation.html", context),
    )


def _invitation_refuse_role(*, tenant: Any, role: str, actor: Any) -> None:
    from . import selectors

    with schema_context(tenant.schema_name):
        from django.contrib.auth.models import Group

        if not Group.objects.filter(name=role).exists():
            raise ValidationError(_("No role named %(role)s here.") % {"role": role}, code="role")
        if actor is None:
            return
        grantable = selectors.roles_grantable_by(
            user=actor, is_owner=_holds_owner(tenant=tenant, user=actor)
        )
    if role not in grantable:
        raise ValidationError(
            _("You cannot invite people with the role %(role)s.") % {"role": role},
            code="role_not_grantable",
        )


@transaction.atomic
def invitation_create(*, tenant: Any, email: str, role: str, actor: Any) -> tuple[Any, str]:
    """Invite `email` into `tenant` with `role`. Returns the invitation and the token (for the
    link; only its hash is stored). A seat must be free counting open invitations."""
    from .models import Invitation

    email = User.objects.normalize_email(email).strip().lower()
    if not email:
        raise ValidationError(_("An e-mail address is required."), code="email")
    tenant = _tenant_lock(tenant)
    _invitation_refuse_role(tenant=tenant, role=role, actor=actor)
    if Membership.objects.filter(tenant=tenant, user__email__iexact=email).exists():
        raise ValidationError(
            _("%(email)s is already a member of this workspace.") % {"email": email},
            code="member",
        )
    now = timezone.now()
    pending = (
        Invitation.objects.select_for_update()
        .filter(
            tenant=tenant, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
        )
        .first()
    )
    if pending is not None:
        if pending.expires_at > now:
            raise ValidationError(
                _("%(email)s already has an open invitation: resend it instead.")
                % {"email": email},
                code="pending",
            )
        pending.revoked_at = now  # an expired one makes way for the new one
        pending.save(update_fields=["revoked_at"])
    _refuse_if_no_seat(tenant=tenant, include_invitations=True)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        tenant=tenant,
        email=email,
        role=role,
        token_hash=invitation_token_hash(token),
        invited_by=actor if getattr(actor, "is_authenticated", False) else None,
        created_at=now,
        sent_at=now,
        expires_at=now + INVITATION_VALID_FOR,
    )
    with schema_context(tenant.schema_name):
        audit_record(
            action="invitation.created", actor=actor, target=invitation, after={"role": role}
        )
    _invitation_send(invitation=invitation, token=token, actor=actor)
    return invitation, token


def _invitation_lock_pending(invitation: Any) -> Any:
    from .models import Invitation

    invitation = (
        Invitation.objects.select_for_update().select_related("tenant").get(pk=invitation.pk)
    )
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation was already accepted."), code="accepted")
    if invitation.revoked_at is not None:
        raise ValidationError(_("This invitation was revoked."), code="revoked")
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: Any, actor: Any) -> tuple[Any, str]:
    """Send a pending invitation again with a new token and a new expiry: the old link stops
    working. An expired invitation takes a seat again, so a seat must be free for it."""
    _tenant_lock(invitation.tenant)
    invitation = _invitation_lock_pending(invitation)
    now = timezone.now()
    if invitation.expires_at <= now:
        _refuse_if_no_seat(tenant=invitation.tenant, include_invitations=True)
    token = secrets.token_urlsafe(32)
    invitation.token_hash = invitation_token_hash(token)
    invitation.sent_at = now
    invitation.expires_at = now + INVITATION_VALID_FOR
    invitation.save(update_fields=["token_hash", "sent_at", "expires_at"])
    with schema_context(invitation.tenant.schema_name):
        audit_record(action="invitation.resent", actor=actor, target=invitation)
    _invitation_send(invitation=invitation, token=token, actor=actor)
    return invitation, token


@transaction.atomic
def invitation_revoke(*, invitation: Any, actor: Any) -> Any:
    invitation = _invitation_lock_pending(invitation)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    with schema_context(invitation.tenant.schema_name):
        audit_record(action="invitation.revoked", actor=actor, target=invitation)
    return invitation


def _invitation_lock_for_accept(*, token: str) -> Any:
    from .models import Invitation

    invitation = (
        Invitation.objects.select_related("tenant")
        .filter(token_hash=invitation_token_hash(token))
        .first()
    )
    if invitation is None:
        raise ValidationError(_("This invitation link is not valid."), code="invalid")
    _tenant_lock(invitation.tenant)  # the tenant first, as everywhere else
    invitation = _invitation_lock_pending(invitation)
    if invitation.token_hash != invitation_token_hash(token):  # resent meanwhile
        raise ValidationError(_("This invitation link is not valid."), code="invalid")
    if invitation.is_expired:
        raise ValidationError(_("This invitation has expired: ask for a new one."), code="expired")
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, user: User) -> Membership:
    """`user` accepts the invitation `token` is for: they join its tenant with its role.

    Single use; refused when expired, revoked, for another e-mail address, or when the plan's
    seats are all taken by active members.
    """
    invitation = _invitation_lock_for_accept(token=token)
    if invitation.email.lower() != user.email.lower():
        raise ValidationError(
            _("This invitation is for %(email)s: log out and open the link again.")
            % {"email": invitation.email},
            code="wrong_email",
        )
    tenant = invitation.tenant
    if Membership.objects.filter(tenant=tenant, user=user).exists():
        raise ValidationError(_("You are already a member of this workspace."), code="member")
    _refuse_if_no_seat(tenant=tenant, include_invitations=False)
    membership = membership_add(user=user, tenant=tenant, role=invitation.role, actor=user)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    with schema_context(tenant.schema_name):
        audit_record(
            action="invitation.accepted",
            actor=user,
            target=invitation,
            after={"role": invitation.role},
        )
    return membership


@transaction.atomic
def invitation_accept_as_new_user(
    *, token: str, password: str, full_name: str = ""
) -> tuple[User, Membership]:
    """A person without an account accepts: the account is made with the invited address (which
    the link proves they read, so it counts as verified) and joins the tenant, or neither."""
    from allauth.account.models import EmailAddress

    invitation = _invitation_lock_for_accept(token=token)
    user = user_create(email=invitation.email, password=password, full_name=full_name.strip())
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user, invitation_accept(token=token, user=user)


# --- Custom roles (in the current tenant schema) -------------------------------------------------


def _role_name_clean(*, name: str, exclude_pk: int | None = None) -> str:
    from django.contrib.auth.models import Group

    from accounts.roles.definitions import BUILT_IN_ROLES, ROLE_LABELS

    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": [_("A name is required.")]})
    reserved = {role.lower() for role in BUILT_IN_ROLES} | {
        str(label).lower() for label in ROLE_LABELS.values()
    }
    if name.lower() in reserved:
        raise ValidationError({"name": [_("%(name)s is a built-in role.") % {"name": name}]})
    clash = Group.objects.filter(name__iexact=name)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"name": [_("A role named %(name)s exists.") % {"name": name}]})
    return name


def _role_permissions_check(*, permissions: list[Any], actor: Any, tenant: Any) -> None:
    """Only from the choosable permissions, and (unless an owner) only those the actor holds."""
    from . import selectors

    allowed = set(selectors.role_permission_choices().values_list("pk", flat=True))
    if any(perm.pk not in allowed for perm in permissions):
        raise ValidationError({"permissions": [_("Some permissions cannot be given here.")]})
    if actor is None or _holds_owner(tenant=tenant, user=actor):
        return
    held = actor.get_all_permissions()
    beyond = [p for p in permissions if f"{p.content_type.app_label}.{p.codename}" not in held]
    if beyond:
        raise ValidationError(
            {"permissions": [_("You can only give permissions you hold yourself.")]}
        )


@transaction.atomic
def role_create(*, tenant: Any, name: str, permissions: list[Any], actor: Any) -> Any:
    """A custom role in the tenant (the current schema must be the tenant's)."""
    from django.contrib.auth.models import Group

    name = _role_name_clean(name=name)
    _role_permissions_check(permissions=permissions, actor=actor, tenant=tenant)
    group = Group.objects.create(name=name)
    group.permissions.set(permissions)
    audit_record(
        action="role.created",
        actor=actor,
        target=group,
        after={"permissions": sorted(p.codename for p in permissions)},
    )
    return group


def _custom_role_lock(*, group: Any) -> Any:
    from django.contrib.auth.models import Group

    from accounts.roles.definitions import BUILT_IN_ROLES

    group = Group.objects.select_for_update().get(pk=group.pk)
    if group.name in BUILT_IN_ROLES:
        raise ValidationError(_("Built-in roles cannot be changed."), code="built_in")
    return group


@transaction.atomic
def role_update(*, tenant: Any, group: Any, name: str, permissions: list[Any], actor: Any) -> Any:
    """Rename a custom role and set its permissions. Invitations and API keys that name it
    follow the new name."""
    from .models import Invitation

    group = _custom_role_lock(group=group)
    name = _role_name_clean(name=name, exclude_pk=group.pk)
    _role_permissions_check(permissions=permissions, actor=actor, tenant=tenant)
    before = {
        "name": group.name,
        "permissions": sorted(group.permissions.values_list("codename", flat=True)),
    }
    if name != group.name:
        ApiKey.objects.filter(tenant=tenant, role=group.name).update(role=name)
        Invitation.objects.filter(tenant=tenant, role=group.name, accepted_at__isnull=True).update(
            role=name
        )
        group.name = name
        group.save(update_fields=["name"])
    group.permissions.set(permissions)
    audit_record(
        action="role.updated",
        actor=actor,
        target=group,
        before=before,
        after={"name": name, "permissions": sorted(p.codename for p in permissions)},
    )
    return group


@transaction.atomic
def role_delete(*, tenant: Any, group: Any, actor: Any) -> None:
    """Delete a custom role nobody holds (members, open invitations or live API keys)."""
    from . import selectors

    group = _custom_role_lock(group=group)
    held = group.members.count()
    if held:
        raise ValidationError(
            _("%(count)d members hold this role: give them another role first.") % {"count": held},
            code="held",
        )
    if (
        selectors.invitations_pending_for_tenant(tenant=tenant).filter(role=group.name).exists()
        or ApiKey.objects.filter(tenant=tenant, role=group.name, revoked_at__isnull=True).exists()
    ):
        raise ValidationError(
            _("Pending invitations or API keys use this role: revoke them first."), code="held"
        )
    audit_record(action="role.deleted", actor=actor, target=group)
    group.delete()
