"""Each built-in role grants exactly its permissions in the tenant, and nothing elsewhere."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.views import View
from django_tenants.utils import schema_context

from accounts.models import Membership, User
from accounts.permissions import TenantPermissionRequiredMixin, tenant_permission_required
from accounts.roles.definitions import BUILT_IN_ROLES, ROLE_PERMISSIONS


def _all_role_perms(schema: str) -> set[str]:
    with schema_context(schema):
        return {
            f"roles.{codename}"
            for codename in Permission.objects.filter(content_type__app_label="roles").values_list(
                "codename", flat=True
            )
        }


@pytest.mark.parametrize("role", BUILT_IN_ROLES)
def test_has_perm_follows_the_role_definitions(role, tenant, member_factory):
    """Allowed: every permission the definitions grant. Refused: every other roles permission."""
    user = member_factory(tenant, role)
    every = _all_role_perms(tenant.schema_name)
    granted = ROLE_PERMISSIONS[role]
    assert granted, "each role allows something"
    assert granted < every, "each role refuses something"
    with schema_context(tenant.schema_name):
        fresh = User.objects.get(pk=user.pk)
        for perm in sorted(every):
            assert fresh.has_perm(perm) is (perm in granted), (role, perm)
    # Outside the tenant (public schema) tenant roles grant nothing.
    assert not User.objects.get(pk=user.pk).has_perm(sorted(granted)[0])


@pytest.mark.parametrize("role", BUILT_IN_ROLES)
def test_perms_in_templates_follow_the_role(role, tenant, member_factory):
    user = member_factory(tenant, role)
    every = sorted(_all_role_perms(tenant.schema_name))
    source = "".join(
        f"{{% if perms.roles.{perm.split('.')[1]} %}}{perm};{{% endif %}}" for perm in every
    )
    request = RequestFactory().get("/t/acme/")
    request.user = User.objects.get(pk=user.pk)
    with schema_context(tenant.schema_name):
        rendered = Template(source).render(RequestContext(request))
    assert set(filter(None, rendered.split(";"))) == ROLE_PERMISSIONS[role]


def test_a_role_in_one_tenant_gives_nothing_in_another(tenant, other_tenant, member_factory):
    user = member_factory(tenant, "owner")
    with schema_context(other_tenant.schema_name):
        assert not User.objects.get(pk=user.pk).has_perm("roles.manage_members")


def _view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


class _ClassView(TenantPermissionRequiredMixin, View):
    permission_required = "roles.manage_members"

    def get(self, request: HttpRequest) -> HttpResponse:
        return HttpResponse("ok")


def _member_request(tenant, user) -> HttpRequest:
    request = RequestFactory().get("/t/acme/x/")
    request.user = User.objects.get(pk=user.pk)
    request.tenant = tenant  # type: ignore[attr-defined]
    request.membership = Membership.objects.get(user=user, tenant=tenant)  # type: ignore[attr-defined]
    return request


@pytest.mark.parametrize(("role", "allowed"), [("moderator", True), ("collaborator", False)])
def test_permission_decorator_and_mixin(role, allowed, tenant, member_factory):
    user = member_factory(tenant, role)
    guarded = tenant_permission_required("roles.manage_members")(_view)
    with schema_context(tenant.schema_name):
        for view in (guarded, _ClassView.as_view()):
            request = _member_request(tenant, user)
            if allowed:
                assert view(request).status_code == 200
            else:
                with pytest.raises(PermissionDenied):
                    view(request)


def test_permission_decorator_refuses_a_request_without_membership(tenant, member_factory):
    user = member_factory(tenant, "owner")
    request = _member_request(tenant, user)
    request.membership = None  # type: ignore[attr-defined]
    with schema_context(tenant.schema_name), pytest.raises(Http404):
        tenant_permission_required("roles.view_dashboard")(_view)(request)
