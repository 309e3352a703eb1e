"""The members page and the actions on members: roles, suspension, removal, ownership."""

from __future__ import annotations

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from accounts.models import Membership
from accounts.selectors import member_role_names
from core.models import AuditEvent


def _membership(user, tenant) -> Membership:
    return Membership.objects.get(user=user, tenant=tenant)


def _roles(tenant, user) -> list[str]:
    with schema_context(tenant.schema_name):
        return member_role_names(user_ids=[user.pk])[user.pk]


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def _post(client, url, data=None, *, confirmed=True):
    data = dict(data or {})
    if confirmed:
        data["confirmed"] = "1"
    return client.post(url, data, follow=True)


# --- The list ------------------------------------------------------------------------------------


def test_list_shows_members_with_roles_and_status(client, tenant, owner, member_factory):
    """Roles come from the tenant schema and status from the public one, on the same row."""
    member_factory(tenant, "moderator", "mod@acme.example")
    gone = member_factory(tenant, "collaborator", "gone@acme.example")
    Membership.objects.filter(user=gone).update(status=Membership.Status.SUSPENDED)
    client.force_login(owner)
    response = client.get("/t/acme/members/")
    assert response.status_code == 200
    rows = {row["user"].email: row for row in response.context["members"]}
    assert set(rows) == {"owner@acme.example", "mod@acme.example", "gone@acme.example"}
    assert [str(label) for label in rows["mod@acme.example"]["roles"]] == ["Moderator"]
    assert rows["owner@acme.example"]["is_self"]
    assert not rows["gone@acme.example"]["membership"].is_active


def test_list_filters_by_search_role_and_status_and_htmx_gets_the_table(
    client, tenant, owner, member_factory
):
    member_factory(tenant, "moderator", "mod@acme.example")
    ann = member_factory(tenant, "member", "ann@acme.example")
    ann.full_name = "Ann Smith"
    ann.save()
    gone = member_factory(tenant, "member", "gone@acme.example")
    Membership.objects.filter(user=gone).update(status=Membership.Status.SUSPENDED)
    client.force_login(owner)

    def emails(**params):
        response = client.get("/t/acme/members/", params, headers={"HX-Request": "true"})
        assert b"<html" not in response.content, "an HTMX request gets the table alone"
        return [row["user"].email for row in response.context["members"]]

    assert emails(q="smith") == ["ann@acme.example"]
    assert emails(q="MOD@") == ["mod@acme.example"]
    assert emails(role="member") == ["ann@acme.example", "gone@acme.example"]
    assert emails(role="member", status="active") == ["ann@acme.example"]
    assert emails(status="suspended") == ["gone@acme.example"]
    assert len(emails(role="no-such-role")) == 4, "an unknown role is ignored, not a 500"


def test_list_paginates(client, tenant, owner, member_factory):
    for index in range(30):
        member_factory(tenant, "member", f"m{index:02}@acme.example")
    client.force_login(owner)
    first = client.get("/t/acme/members/")
    assert len(first.context["members"]) == 25
    second = client.get("/t/acme/members/", {"page": 2})
    assert len(second.context["members"]) == 6


# Session user, SET search_path, gate (memberships), permissions, role names (filter), page count,
# page rows with users, the page's roles; the full page adds: owner check, grantable roles,
# pending invitations.
QUERIES_FULL_PAGE = 11
QUERIES_HTMX_TABLE = 8


@pytest.mark.parametrize("count", [5, 50])
def test_list_runs_a_fixed_number_of_queries(
    client, tenant, owner, member_factory, django_assert_num_queries, count
):
    """The same count with 5 or 50 members: roles are read in bulk, never per row."""
    for index in range(count):
        member_factory(tenant, "collaborator" if index % 2 else "member", f"m{index}@acme.example")
    client.force_login(owner)
    client.get("/t/acme/members/")  # warm the routing cache
    with django_assert_num_queries(QUERIES_FULL_PAGE):
        assert client.get("/t/acme/members/").status_code == 200
    with django_assert_num_queries(QUERIES_HTMX_TABLE):
        response = client.get(
            "/t/acme/members/", {"role": "member"}, headers={"HX-Request": "true"}
        )
        assert response.status_code == 200


@pytest.mark.parametrize(("role", "status"), [("collaborator", 200), ("member", 403)])
def test_list_needs_view_member(client, tenant, member_factory, role, status):
    client.force_login(member_factory(tenant, role))
    assert client.get("/t/acme/members/").status_code == status
