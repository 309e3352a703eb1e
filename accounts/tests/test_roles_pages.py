"""The roles page: built-in roles read-only, custom roles built by owners from permissions."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django_tenants.utils import schema_context

from accounts.models import Membership
from modules.installed import INSTALLED_MODULES


def _perm_ids(tenant, *codenames: str) -> list[int]:
    with schema_context(tenant.schema_name):
        return list(
            Permission.objects.filter(
                content_type__app_label="roles", codename__in=codenames
            ).values_list("pk", flat=True)
        )


def _custom(tenant, name="Auditor", *codenames: str):
    with schema_context(tenant.schema_name):
        group = Group.objects.create(name=name)
        group.permissions.set(
            Permission.objects.filter(codename__in=codenames or ["view_audit_log"])
        )
        return group


def test_the_page_lists_built_in_roles_with_their_permissions(client, tenant, member_factory):
    client.force_login(member_factory(tenant, "collaborator"))
    response = client.get("/t/acme/roles/")
    assert response.status_code == 200
    roles = {role["group"].name: role for role in response.context["roles"]}
    assert list(roles)[:6] == [
        "owner",
        "moderator",
        "collaborator",
        "member",
        "customer",
        "supplier",
    ]
    assert str(roles["owner"]["label"]) == "Owner"
    assert roles["owner"]["built_in"]
    assert "manage_billing" in {p.codename for p in roles["owner"]["permissions"]}
    assert roles["collaborator"]["holders"] == 1
    assert b"New custom role" not in response.content, "a collaborator cannot edit roles"


def test_the_roles_page_needs_view_member(client, tenant, member_factory):
    client.force_login(member_factory(tenant, "member"))
    assert client.get("/t/acme/roles/").status_code == 403


def test_an_owner_creates_a_custom_role_that_grants_its_permissions(
    client, tenant, owner, member_factory
):
    client.force_login(owner)
    form = client.get("/t/acme/roles/new/")
    apps = [app for app, _perms in form.context["form"].permission_groups()]
    assert "roles" in apps
    assert set(apps) <= {"roles", *INSTALLED_MODULES}, "Django's own tables are not offered"
    response = client.post(
        "/t/acme/roles/new/",
        {"name": "Auditor", "permissions": _perm_ids(tenant, "view_dashboard", "view_audit_log")},
    )
    assert response.status_code == 302
    with schema_context(tenant.schema_name):
        group = Group.objects.get(name="Auditor")
        assert set(group.permissions.values_list("codename", flat=True)) == {
            "view_dashboard",
            "view_audit_log",
        }
    # Given to a member, its permissions apply (TenantRoleBackend reads the groups).
    bob = member_factory(tenant, "member", "bob@acme.example")
    bob_client = Client()
    bob_client.force_login(bob)
    assert bob_client.get("/t/acme/audit/").status_code == 403
    client.post(
        f"/t/acme/members/{Membership.objects.get(user=bob).pk}/roles/", {"roles": ["Auditor"]}
    )
    assert bob_client.get("/t/acme/audit/").status_code == 200


@pytest.mark.parametrize("name", ["owner", "Moderator", "  member  ", "Auditor", "auditor"])
def test_a_custom_role_name_cannot_clash(client, tenant, owner, name):
    _custom(tenant, "Auditor")
    client.force_login(owner)
    response = client.post("/t/acme/roles/new/", {"name": name, "permissions": []})
    assert response.status_code == 200
    assert response.context["form"].errors["name"]


def test_an_owner_edits_a_custom_role(client, tenant, owner):
    group = _custom(tenant, "Auditor")
    client.force_login(owner)
    assert client.get(f"/t/acme/roles/{group.pk}/edit/").status_code == 200
    response = client.post(
        f"/t/acme/roles/{group.pk}/edit/",
        {"name": "Inspector", "permissions": _perm_ids(tenant, "view_member")},
    )
    assert response.status_code == 302
    with schema_context(tenant.schema_name):
        group.refresh_from_db()
        assert group.name == "Inspector"
        assert list(group.permissions.values_list("codename", flat=True)) == ["view_member"]


def test_built_in_roles_cannot_be_edited_or_deleted(client, tenant, owner):
    with schema_context(tenant.schema_name):
        owner_group = Group.objects.get(name="owner")
    client.force_login(owner)
    assert client.get(f"/t/acme/roles/{owner_group.pk}/edit/").status_code == 404
    assert (
        client.post(f"/t/acme/roles/{owner_group.pk}/delete/", {"confirmed": "1"}).status_code
        == 404
    )
    with schema_context(tenant.schema_name):
        assert Group.objects.filter(name="owner").exists()


def test_delete_asks_first_and_refuses_a_role_still_held(client, tenant, owner, member_factory):
    group = _custom(tenant, "Auditor")
    bob = member_factory(tenant, "Auditor", "bob@acme.example")
    client.force_login(owner)
    url = f"/t/acme/roles/{group.pk}/delete/"
    assert b'name="confirmed"' in client.post(url).content
    response = client.post(url, {"confirmed": "1"}, follow=True)
    assert any("hold this role" in str(m) for m in response.context["messages"])
    client.post(
        f"/t/acme/members/{Membership.objects.get(user=bob).pk}/roles/", {"roles": ["member"]}
    )
    client.post(url, {"confirmed": "1"})
    with schema_context(tenant.schema_name):
        assert not Group.objects.filter(name="Auditor").exists()


def test_editing_roles_needs_manage_roles(client, tenant, member_factory):
    group = _custom(tenant, "Auditor")
    client.force_login(member_factory(tenant, "moderator"))
    assert client.get("/t/acme/roles/new/").status_code == 403
    assert client.post("/t/acme/roles/new/", {"name": "X"}).status_code == 403
    assert client.get(f"/t/acme/roles/{group.pk}/edit/").status_code == 403
    assert client.post(f"/t/acme/roles/{group.pk}/delete/", {"confirmed": "1"}).status_code == 403


def test_delete_refuses_get(client, tenant, owner):
    group = _custom(tenant, "Auditor")
    client.force_login(owner)
    assert client.get(f"/t/acme/roles/{group.pk}/delete/").status_code == 405


def test_a_role_id_of_another_tenant_is_a_404(client, tenant, other_tenant, owner):
    """Roles live in each tenant's schema: an id from elsewhere names nothing here."""
    globex_role = _custom(other_tenant, "Globex only")
    client.force_login(owner)
    assert client.get(f"/t/acme/roles/{globex_role.pk}/edit/").status_code == 404
    with schema_context(other_tenant.schema_name):
        assert Group.objects.filter(name="Globex only").exists()
