"""The tenant API's accounts endpoints, and API-key authentication for the whole API.

Every request under /t/<slug>/api/ carries a key (`Authorization: Bearer th_<prefix>_<secret>` or
`X-API-Key: th_...`); it acts inside its own tenant only, with the permissions of the role it was
given. TenantAccessMiddleware leaves this prefix alone: the key, not a session, is the identity.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.cache import caches
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.security import APIKeyHeader, HttpBearer

from core.services import email_send

from .models import ApiKey, Membership
from .services import api_key_authenticate
from .sessions import client_ip


@dataclass
class ApiKeyPrincipal:
    """What `request.auth` is in the tenant API: the key, and what its role may do."""

    api_key: ApiKey
    _perms: set[str] | None = field(default=None, repr=False)

    @property
    def perms(self) -> set[str]:
        if self._perms is None:  # read in the request's tenant schema, once per request
            rows = Permission.objects.filter(group__name=self.api_key.role).values_list(
                "content_type__app_label", "codename"
            )
            self._perms = {f"{app}.{codename}" for app, codename in rows}
        return self._perms

    def has_perm(self, perm: str) -> bool:
        return perm in self.perms


class ApiRateLimited(Exception):
    """Too many failed key attempts from one address."""


def _failures_key(request: HttpRequest) -> str:
    return f"api-key-failures:{client_ip(request)}"


def _authenticate(request: HttpRequest, token: str) -> ApiKeyPrincipal | None:
    """A key of this tenant, or None (401). Failures are counted per client address; past
    API_KEY_FAILURE_LIMIT a minute, every attempt from there gets 429 until the window ends."""
    cache, key = caches["platform"], _failures_key(request)
    if (cache.get(key) or 0) >= settings.API_KEY_FAILURE_LIMIT:
        raise ApiRateLimited
    api_key = api_key_authenticate(tenant=request.tenant, token=token)  # type: ignore[attr-defined]
    if api_key is None:
        cache.add(key, 0, timeout=60)
        cache.incr(key)
        return None
    return ApiKeyPrincipal(api_key=api_key)


class BearerKey(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiKeyPrincipal | None:
        return _authenticate(request, token)


class HeaderKey(APIKeyHeader):
    param_name = "X-API-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> ApiKeyPrincipal | None:
        return _authenticate(request, key) if key else None


api_key_auth = [BearerKey(), HeaderKey()]


def permission_check(request: HttpRequest, perm: str) -> ApiKeyPrincipal:
    principal: ApiKeyPrincipal = request.auth  # type: ignore[attr-defined]
    if not principal.has_perm(perm):
        raise HttpError(403, f"This key's role ({principal.api_key.role}) lacks {perm}.")
    return principal


router = Router(tags=["accounts"])


class MeOut(Schema):
    tenant: str
    tenant_name: str
    key_name: str
    role: str
    permissions: list[str]


class MemberOut(Schema):
    email: str
    full_name: str
    roles: list[str]
    status: str


class EmailIn(Schema):
    subject: str
    body: str
    to: list[str] = []  # e-mails of members; empty: every active member


class EmailOut(Schema):
    sent_to: list[str]


@router.get("/me", response=MeOut, summary="The key's tenant and role")
def me(request: HttpRequest) -> dict[str, Any]:
    principal: ApiKeyPrincipal = request.auth  # type: ignore[attr-defined]
    tenant = request.tenant  # type: ignore[attr-defined]
    return {
        "tenant": tenant.slug,
        "tenant_name": tenant.name,
        "key_name": principal.api_key.name,
        "role": principal.api_key.role,
        "permissions": sorted(principal.perms),
    }


def _members(request: HttpRequest) -> list[dict[str, Any]]:
    from accounts.roles.models import Member

    tenant = request.tenant  # type: ignore[attr-defined]
    statuses = dict(Membership.objects.filter(tenant_id=tenant.pk).values_list("user_id", "status"))
    members = (
        Member.objects.select_related("user").prefetch_related("roles").order_by("user__email")
    )
    return [
        {
            "email": member.user.email,
            "full_name": member.user.full_name,
            "roles": sorted(role.name for role in member.roles.all()),
            "status": statuses[member.user_id],
        }
        for member in members
        if member.user_id in statuses
    ]


@router.get("/members", response=list[MemberOut], summary="Members and their roles")
def members(request: HttpRequest) -> list[dict[str, Any]]:
    permission_check(request, "roles.view_member")
    return _members(request)


@router.post("/email", response=EmailOut, summary="E-mail members of this tenant")
def email(request: HttpRequest, payload: EmailIn) -> dict[str, Any]:
    """Only members can be addressed: the API cannot be used to mail arbitrary addresses."""
    permission_check(request, "roles.manage_members")
    active = {m["email"] for m in _members(request) if m["status"] == Membership.Status.ACTIVE}
    wanted = {address.strip().lower() for address in payload.to}
    unknown = wanted - active
    if unknown:
        raise HttpError(422, f"Not active members here: {', '.join(sorted(unknown))}")
    recipients = sorted(wanted or active)
    for address in recipients:
        email_send(to=[address], subject=payload.subject, body=payload.body)
    return {"sent_to": recipients}
