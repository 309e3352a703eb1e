"""Reads on users and memberships."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from tenants.models import Tenant

from .models import ApiKey, Invitation, Membership


def memberships_for_user(*, user: Any) -> QuerySet[Membership]:
    """The user's memberships in live tenants, with the tenant loaded, by tenant name."""
    return (
        Membership.objects.filter(user_id=user.pk)
        .exclude(tenant__state=Tenant.State.DELETED)
        .exclude(tenant__schema_name="public")
        .select_related("tenant")
        .order_by("tenant__name")
    )


def home_url_for_user(*, user: Any) -> str:
    """Where a user lands after login: their one workspace, else the picker (which also says
    when there is none)."""
    actives = list(memberships_for_user(user=user).filter(status=Membership.Status.ACTIVE)[:2])
    if len(actives) == 1:
        return actives[0].tenant.path
    return "/workspaces/"


def api_keys_for_tenant(*, tenant: Any) -> QuerySet[ApiKey]:
    return ApiKey.objects.filter(tenant=tenant).select_related("created_by")


# --- Members, invitations and roles of one tenant (issue 4) --------------------------------------


def in_tenant_schema(tenant: Any) -> AbstractContextManager[Any]:
    """Enter `tenant`'s schema, or stay put when already there (a tenant request is): switching
    to the same schema and back would cost two SET search_path queries."""
    from django_tenants.utils import schema_context

    from tenants.db import current_schema

    if current_schema() == tenant.schema_name:
        return nullcontext()
    return schema_context(tenant.schema_name)


def tenant_seat_limit(tenant: Any) -> int | None:
    """How many seats the tenant's plan allows; None is unlimited.

    The one place the seat limit is read (invitations, accepts, reactivations): billing's plans
    plug in here.
    """
    from billing.plans import BASE, PLANS

    plan = PLANS.get(getattr(tenant, "plan", "") or BASE) or PLANS[BASE]
    return plan.seats


def invitations_open_for_tenant(*, tenant: Any) -> QuerySet[Invitation]:
    """Invitations that can still be accepted, newest first."""
    return Invitation.objects.filter(
        tenant=tenant,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).select_related("invited_by")


def invitations_pending_for_tenant(*, tenant: Any) -> QuerySet[Invitation]:
    """Not accepted nor revoked, expired ones included (they can be resent), newest first."""
    return Invitation.objects.filter(
        tenant=tenant, accepted_at__isnull=True, revoked_at__isnull=True
    ).select_related("invited_by")


def invitation_get_by_token(*, token: str) -> Invitation | None:
    """The invitation an accept link points at, whatever its state, or None."""
    from .services import invitation_token_hash

    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.filter(token_hash=invitation_token_hash(token))
        .select_related("tenant")
        .first()
    )


def member_role_names(*, user_ids: list[int]) -> dict[int, list[str]]:
    """user id -> the names of the roles they hold in the CURRENT tenant schema. One query."""
    from accounts.roles.models import Member

    through = Member.roles.through
    names: dict[int, list[str]] = {user_id: [] for user_id in user_ids}
    rows = (
        through.objects.filter(member__user_id__in=user_ids)
        .order_by("group__name")
        .values_list("member__user_id", "group__name")
    )
    for user_id, name in rows:
        names.setdefault(user_id, []).append(name)
    return names


def tenant_owner_ids(*, tenant: Any, active_only: bool = True) -> set[int]:
    """Ids of the users holding the owner role in `tenant` (with an active membership)."""
    from accounts.roles.definitions import OWNER
    from accounts.roles.models import Member

    with in_tenant_schema(tenant):
        owners = set(Member.objects.filter(roles__name=OWNER).values_list("user_id", flat=True))
    if not active_only or not owners:
        return owners
    return set(
        Membership.objects.filter(
            tenant=tenant, user_id__in=owners, status=Membership.Status.ACTIVE
        ).values_list("user_id", flat=True)
    )


def membership_list_for_tenant(
    *, tenant: Any, search: str = "", role: str = "", status: str = ""
) -> QuerySet[Membership]:
    """The tenant's memberships with their users, by e-mail, filtered.

    Run in the tenant's schema: the role filter is a subquery on that schema's role holders.
    """
    from accounts.roles.models import Member

    memberships = (
        Membership.objects.filter(tenant=tenant).select_related("user").order_by("user__email")
    )
    if search:
        memberships = memberships.filter(
            Q(user__email__icontains=search) | Q(user__full_name__icontains=search)
        )
    if status:
        memberships = memberships.filter(status=status)
    if role:
        memberships = memberships.filter(
            user_id__in=Member.objects.filter(roles__name=role).values("user_id")
        )
    return memberships


def membership_get_for_user(
    *, request: Any, membership_id: int, perm: str = "roles.manage_members"
) -> Membership:
    """The membership `membership_id` of the request's tenant, if the requesting member may act
    on it: 404 when it is not in this tenant (nobody learns other tenants' ids), 403 without
    `perm`."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from .permissions import tenant_access_check

    tenant_access_check(request)
    membership = (
        Membership.objects.filter(pk=membership_id, tenant=request.tenant)
        .select_related("user", "tenant")
        .first()
    )
    if membership is None:
        raise Http404("No such member.")
    if not request.user.has_perm(perm):
        raise PermissionDenied
    return membership


def invitation_get_for_user(
    *, request: Any, invitation_id: int, perm: str = "roles.invite_member"
) -> Invitation:
    """Like membership_get_for_user, for the request tenant's invitations."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from .permissions import tenant_access_check

    tenant_access_check(request)
    invitation = (
        Invitation.objects.filter(pk=invitation_id, tenant=request.tenant)
        .select_related("tenant")
        .first()
    )
    if invitation is None:
        raise Http404("No such invitation.")
    if not request.user.has_perm(perm):
        raise PermissionDenied
    return invitation


def role_permission_choices() -> QuerySet[Any]:
    """The permissions a custom role may be built from, in the CURRENT tenant schema: those of
    tenant apps (roles and modules), not Django's own tables (auth, contenttypes) nor the unused
    add/change/delete permissions of the role-holder table."""
    from django.apps import apps
    from django.conf import settings
    from django.contrib.auth.models import Permission

    tenant_labels = {
        config.label for config in apps.get_app_configs() if config.name in settings.TENANT_APPS
    } - {"auth", "contenttypes", "core"}
    return (
        Permission.objects.select_related("content_type")
        .filter(content_type__app_label__in=tenant_labels)
        .exclude(
            content_type__app_label="roles",
            codename__in=["add_member", "change_member", "delete_member"],
        )
        .order_by("content_type__app_label", "codename")
    )


def roles_grantable_by(*, user: Any, is_owner: bool) -> list[str]:
    """Role names `user` may give (invite with, assign) in the CURRENT tenant schema.

    An owner may give any role. Anybody else may give roles that grant no more than they hold
    themselves, never owner: managing members must not be a way to gain permissions.
    """
    from django.contrib.auth.models import Group

    from accounts.roles.definitions import OWNER

    rows = Group.objects.values_list(
        "name", "permissions__content_type__app_label", "permissions__codename"
    ).order_by("name")
    perms_by_role: dict[str, set[str]] = {}
    for name, app_label, codename in rows:
        perms = perms_by_role.setdefault(name, set())
        if codename:
            perms.add(f"{app_label}.{codename}")
    if is_owner:
        return list(perms_by_role)
    held = user.get_all_permissions()
    return [name for name, perms in perms_by_role.items() if name != OWNER and perms <= held]
