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


# --- Role changes --------------------------------------------------------------------------------


def test_a_moderator_changes_a_members_roles_and_the_audit_records_it(
    client, tenant, member_factory
):
    moderator = member_factory(tenant, "moderator", "mod@acme.example")
    bob = member_factory(tenant, "member", "bob@acme.example")
    client.force_login(moderator)
    response = client.post(
        f"/t/acme/members/{_membership(bob, tenant).pk}/roles/",
        {"roles": ["collaborator", "member"]},
        follow=True,
    )
    assert response.status_code == 200
    assert _roles(tenant, bob) == ["collaborator", "member"]
    with schema_context(tenant.schema_name):
        event = AuditEvent.objects.get(action="member.roles_changed")
    assert event.before == {"roles": ["member"]}
    assert event.after == {"roles": ["collaborator", "member"]}
    assert event.actor_email == "mod@acme.example"


def test_the_new_role_applies_on_the_next_request(client, tenant, owner, member_factory):
    bob = member_factory(tenant, "member", "bob@acme.example")
    bob_client = Client()
    bob_client.force_login(bob)
    assert bob_client.get("/t/acme/members/").status_code == 403
    client.force_login(owner)
    client.post(f"/t/acme/members/{_membership(bob, tenant).pk}/roles/", {"roles": ["moderator"]})
    assert bob_client.get("/t/acme/members/").status_code == 200


def test_only_an_owner_gives_the_owner_role(client, tenant, owner, member_factory):
    moderator = member_factory(tenant, "moderator", "mod@acme.example")
    bob = member_factory(tenant, "member", "bob@acme.example")
    client.force_login(moderator)
    response = client.post(
        f"/t/acme/members/{_membership(bob, tenant).pk}/roles/", {"roles": ["owner"]}, follow=True
    )
    assert "Only an owner can give or take away the owner role." in _messages(response)
    assert _roles(tenant, bob) == ["member"]
    # Nor take it away from an owner.
    response = client.post(
        f"/t/acme/members/{_membership(owner, tenant).pk}/roles/",
        {"roles": ["member"]},
        follow=True,
    )
    assert "Only an owner can give or take away the owner role." in _messages(response)
    assert _roles(tenant, owner) == ["owner"]
    client.force_login(owner)
    client.post(f"/t/acme/members/{_membership(bob, tenant).pk}/roles/", {"roles": ["owner"]})
    assert _roles(tenant, bob) == ["owner"]


def test_a_moderator_cannot_give_a_role_granting_more_than_they_hold(
    client, tenant, owner, member_factory
):
    """A custom role with billing rights is beyond a moderator: no escalation through roles."""
    from django.contrib.auth.models import Group, Permission

    with schema_context(tenant.schema_name):
        Group.objects.create(name="billing").permissions.add(
            Permission.objects.get(codename="manage_billing")
        )
    moderator = member_factory(tenant, "moderator", "mod@acme.example")
    bob = member_factory(tenant, "member", "bob@acme.example")
    client.force_login(moderator)
    response = client.post(
        f"/t/acme/members/{_membership(bob, tenant).pk}/roles/", {"roles": ["billing"]}, follow=True
    )
    assert any("grants more than you hold" in m for m in _messages(response))
    assert _roles(tenant, bob) == ["member"]


def test_the_last_owner_cannot_be_demoted(client, tenant, owner, member_factory):
    """Even by themselves through another owner who is then demoted: one owner always stays."""
    second = member_factory(tenant, "owner", "second@acme.example")
    client.force_login(owner)
    response = client.post(
        f"/t/acme/members/{_membership(second, tenant).pk}/roles/",
        {"roles": ["member"]},
        follow=True,
    )
    assert _roles(tenant, second) == ["member"], "demoting one of two owners is fine"
    client.force_login(second)  # now a plain member: no right to act at all
    assert (
        client.post(
            f"/t/acme/members/{_membership(owner, tenant).pk}/roles/", {"roles": ["member"]}
        ).status_code
        == 403
    )

    from accounts.services import member_roles_set

    with pytest.raises(Exception, match="last owner"):
        member_roles_set(membership=_membership(owner, tenant), roles=["member"], actor=None)
    assert _roles(tenant, owner) == ["owner"]
    assert response.status_code == 200


def test_a_suspended_owner_does_not_count_as_the_remaining_owner(
    client, tenant, owner, member_factory
):
    """With one active and one suspended owner, the active one is the last: it stays owner,
    while the suspended one may be demoted."""
    second = member_factory(tenant, "owner", "second@acme.example")
    Membership.objects.filter(user=second).update(status=Membership.Status.SUSPENDED)
    third = member_factory(tenant, "owner", "third@acme.example")
    client.force_login(third)
    response = client.post(
        f"/t/acme/members/{_membership(owner, tenant).pk}/roles/",
        {"roles": ["member"]},
        follow=True,
    )
    assert _roles(tenant, owner) == ["member"], "third is still an active owner"
    client.force_login(owner)
    client.force_login(third)
    response = client.post(
        f"/t/acme/members/{_membership(second, tenant).pk}/roles/",
        {"roles": ["member"]},
        follow=True,
    )
    assert _roles(tenant, second) == ["member"]
    from accounts.services import member_roles_set

    with pytest.raises(Exception, match="last owner"):
        member_roles_set(membership=_membership(third, tenant), roles=["member"], actor=None)
    assert response.status_code == 200


def test_nobody_changes_their_own_roles(client, tenant, owner, member_factory):
    member_factory(tenant, "owner", "second@acme.example")
    client.force_login(owner)
    response = client.post(
        f"/t/acme/members/{_membership(owner, tenant).pk}/roles/",
        {"roles": ["member"]},
        follow=True,
    )
    assert any("your own membership" in m for m in _messages(response))
    assert _roles(tenant, owner) == ["owner"]


# --- Suspension, reactivation, removal ----------------------------------------------------------


def test_suspend_asks_for_confirmation_then_suspends(client, tenant, owner, member_factory):
    bob = member_factory(tenant, "member", "bob@acme.example")
    client.force_login(owner)
    url = f"/t/acme/members/{_membership(bob, tenant).pk}/suspend/"
    asked = client.post(url)
    assert asked.status_code == 200
    assert b'name="confirmed"' in asked.content
    assert _membership(bob, tenant).is_active, "nothing happens before confirmation"
    response = _post(client, url)
    assert "bob@acme.example is suspended." in _messages(response)
    assert not _membership(bob, tenant).is_active
    bob_client = Client()
    bob_client.force_login(bob)
    assert bob_client.get("/t/acme/").status_code == 403


def test_reactivate_gives_access_back(client, tenant, owner, member_factory):
    bob = member_factory(tenant, "member", "bob@acme.example")
    Membership.objects.filter(user=bob).update(status=Membership.Status.SUSPENDED)
    client.force_login(owner)
    response = _post(client, f"/t/acme/members/{_membership(bob, tenant).pk}/reactivate/")
    assert "bob@acme.example is active again." in _messages(response)
    assert _membership(bob, tenant).is_active


def test_reactivation_needs_a_free_seat(client, tenant, owner, member_factory, monkeypatch):
    bob = member_factory(tenant, "member", "bob@acme.example")
    Membership.objects.filter(user=bob).update(status=Membership.Status.SUSPENDED)
    member_factory(tenant, "member", "carl@acme.example")
    monkeypatch.setattr("accounts.selectors.tenant_seat_limit", lambda tenant: 2)
    client.force_login(owner)
    response = _post(client, f"/t/acme/members/{_membership(bob, tenant).pk}/reactivate/")
    assert any("seats of the plan are taken" in m for m in _messages(response))
    assert not _membership(bob, tenant).is_active


def test_remove_takes_the_member_out(client, tenant, owner, member_factory):
    bob = member_factory(tenant, "member", "bob@acme.example")
    client.force_login(owner)
    response = _post(client, f"/t/acme/members/{_membership(bob, tenant).pk}/remove/")
    assert response.redirect_chain[-1][0] == "/t/acme/members/"
    assert not Membership.objects.filter(user=bob, tenant=tenant).exists()
    assert _roles(tenant, bob) == []
    bob.refresh_from_db()  # the account stays


@pytest.mark.parametrize("action", ["suspend", "remove"])
def test_the_last_owner_cannot_be_suspended_or_removed(
    client, tenant, owner, member_factory, action
):
    """Refused in the service (rows locked), shown as a message, never a 500."""
    from accounts import services

    moderator = member_factory(tenant, "moderator", "mod@acme.example")
    client.force_login(moderator)
    response = _post(client, f"/t/acme/members/{_membership(owner, tenant).pk}/{action}/")
    assert response.status_code == 200
    assert any("last owner" in m for m in _messages(response))
    membership = _membership(owner, tenant)
    assert membership.is_active
    service = services.member_suspend if action == "suspend" else services.member_remove
    with pytest.raises(Exception, match="last owner"):
        service(membership=membership, actor=moderator)


def test_an_owner_among_two_can_be_suspended(client, tenant, owner, member_factory):
    second = member_factory(tenant, "owner", "second@acme.example")
    client.force_login(owner)
    _post(client, f"/t/acme/members/{_membership(second, tenant).pk}/suspend/")
    assert not _membership(second, tenant).is_active
    # Now the first owner is the last active one: the second owner (once back) cannot remove them.
    _post(client, f"/t/acme/members/{_membership(second, tenant).pk}/reactivate/")
    assert _membership(second, tenant).is_active


@pytest.mark.parametrize("action", ["suspend", "remove", "reactivate"])
def test_nobody_acts_on_themselves(client, tenant, owner, member_factory, action):
    member_factory(tenant, "owner", "second@acme.example")
    client.force_login(owner)
    response = _post(client, f"/t/acme/members/{_membership(owner, tenant).pk}/{action}/")
    assert any("your own membership" in m for m in _messages(response))
    assert Membership.objects.get(user=owner, tenant=tenant).is_active


# --- Ownership transfer --------------------------------------------------------------------------


def test_an_owner_transfers_ownership_and_keeps_theirs(client, tenant, owner, member_factory):
    bob = member_factory(tenant, "collaborator", "bob@acme.example")
    client.force_login(owner)
    url = f"/t/acme/members/{_membership(bob, tenant).pk}/transfer-ownership/"
    assert b'name="confirmed"' in client.post(url, {"keep_own": "on"}).content
    _post(client, url, {"keep_own": "on"})
    assert _roles(tenant, bob) == ["collaborator", "owner"]
    assert _roles(tenant, owner) == ["owner"]


def test_an_owner_transfers_ownership_and_drops_theirs(client, tenant, owner, member_factory):
    bob = member_factory(tenant, "member", "bob@acme.example")
    client.force_login(owner)
    _post(client, f"/t/acme/members/{_membership(bob, tenant).pk}/transfer-ownership/")
    assert "owner" in _roles(tenant, bob)
    assert _roles(tenant, owner) == ["member"], "left with the member role"
    with schema_context(tenant.schema_name):
        assert AuditEvent.objects.filter(action="ownership.transferred").count() == 1
    assert client.get("/t/acme/members/").status_code == 403, "a plain member now"
    assert client.get("/t/acme/").status_code == 200, "but still in the workspace"


def test_a_moderator_cannot_transfer_ownership(client, tenant, owner, member_factory):
    moderator = member_factory(tenant, "moderator", "mod@acme.example")
    bob = member_factory(tenant, "member", "bob@acme.example")
    client.force_login(moderator)
    response = _post(client, f"/t/acme/members/{_membership(bob, tenant).pk}/transfer-ownership/")
    assert "Only an owner can transfer ownership." in _messages(response)
    assert _roles(tenant, bob) == ["member"]


def test_ownership_goes_only_to_an_active_member(client, tenant, owner, member_factory):
    bob = member_factory(tenant, "member", "bob@acme.example")
    Membership.objects.filter(user=bob).update(status=Membership.Status.SUSPENDED)
    client.force_login(owner)
    response = _post(client, f"/t/acme/members/{_membership(bob, tenant).pk}/transfer-ownership/")
    assert any("Reactivate this member" in m for m in _messages(response))
    assert "owner" not in _roles(tenant, bob)


# --- Refusals at the door: wrong tenant, permission, method, CSRF ---------------------------------


ACTIONS = ["roles", "suspend", "reactivate", "remove", "transfer-ownership"]


@pytest.mark.parametrize("action", ACTIONS)
def test_a_member_id_of_another_tenant_is_a_404(
    client, tenant, other_tenant, owner, member_factory, action
):
    stranger = member_factory(other_tenant, "member", "stranger@globex.example")
    client.force_login(owner)
    response = _post(client, f"/t/acme/members/{_membership(stranger, other_tenant).pk}/{action}/")
    assert response.status_code == 404
    assert _membership(stranger, other_tenant).is_active
    assert (
        client.get(f"/t/acme/members/{_membership(stranger, other_tenant).pk}/").status_code == 404
    )


@pytest.mark.parametrize("action", ACTIONS)
def test_actions_need_manage_members(client, tenant, owner, member_factory, action):
    collaborator = member_factory(tenant, "collaborator", "col@acme.example")
    bob = member_factory(tenant, "member", "bob@acme.example")
    client.force_login(collaborator)
    response = client.post(
        f"/t/acme/members/{_membership(bob, tenant).pk}/{action}/",
        {"roles": ["owner"], "confirmed": "1"},
    )
    assert response.status_code == 403
    assert _membership(bob, tenant).is_active
    assert _roles(tenant, bob) == ["member"]


@pytest.mark.parametrize("action", ACTIONS)
def test_actions_refuse_get(client, tenant, owner, member_factory, action):
    bob = member_factory(tenant, "member", "bob@acme.example")
    client.force_login(owner)
    assert client.get(f"/t/acme/members/{_membership(bob, tenant).pk}/{action}/").status_code == 405


def test_an_action_without_a_csrf_token_is_refused(tenant, owner, member_factory):
    bob = member_factory(tenant, "member", "bob@acme.example")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(owner)
    url = f"/t/acme/members/{_membership(bob, tenant).pk}/suspend/"
    assert strict.post(url, {"confirmed": "1"}).status_code == 403
    assert _membership(bob, tenant).is_active


def test_the_detail_page_shows_actions_to_managers_only(client, tenant, owner, member_factory):
    bob = member_factory(tenant, "member", "bob@acme.example")
    collaborator = member_factory(tenant, "collaborator", "col@acme.example")
    url = f"/t/acme/members/{_membership(bob, tenant).pk}/"
    client.force_login(owner)
    page = client.get(url)
    assert page.status_code == 200
    assert b'data-testid="roles-form"' in page.content
    assert b"transfer-ownership" in page.content
    client.force_login(collaborator)
    page = client.get(url)
    assert page.status_code == 200
    assert b'data-testid="roles-form"' not in page.content


def test_the_sidebar_shows_members_and_roles_to_staff_only(client, tenant, member_factory):
    def labels(role):
        client.force_login(member_factory(tenant, role))
        return [str(item["label"]) for item in client.get("/t/acme/").context["shell"]["nav"]]

    assert {"Members", "Roles"} <= set(labels("collaborator"))
    assert not {"Members", "Roles"} & set(labels("member"))
