from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from accounts.models import Membership
from core.models import AuditEvent


def _add_members(tenant, member_factory, count: int, role: str = "member") -> None:
    for index in range(count):
        member_factory(tenant, role, f"{role}{index}@acme.example")


def test_dashboard_shows_real_figures(client, tenant, owner, member_factory):
    _add_members(tenant, member_factory, 3)
    suspended = member_factory(tenant, "collaborator", "gone@acme.example")
    Membership.objects.filter(user=suspended).update(status=Membership.Status.SUSPENDED)
    client.force_login(owner)
    response = client.get("/t/acme/")
    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures["members_active"] == 4  # the owner and three members; the suspended one not
    assert figures["members_suspended"] == 1
    assert figures["plan_label"] == "Base"
    assert figures["seat_limit"] == 3
    counts = {role["name"]: role["count"] for role in figures["roles"]}
    assert counts["owner"] == 1
    assert counts["member"] == 3
    assert counts["collaborator"] == 0
    assert [e.action for e in figures["recent_events"]][-1] == "tenant.created"
    assert b'data-testid="members-active">4<' in response.content


@pytest.mark.parametrize("members", [5, 50])
def test_dashboard_query_count_does_not_grow_with_members(
    client, tenant, owner, member_factory, django_assert_num_queries, members
):
    _add_members(tenant, member_factory, members)
    client.force_login(owner)
    client.get("/t/acme/")  # warm the routing cache
    # SET search_path, user, memberships (gate), permissions, member statuses, role counts,
    # audit events, and one count per module widget (customers, orders).
    with django_assert_num_queries(9):
        assert client.get("/t/acme/").status_code == 200


def test_audit_log_lists_filters_and_paginates(client, tenant, owner):
    with schema_context(tenant.schema_name):
        for index in range(30):
            AuditEvent.objects.create(
                action="invoice.sent",
                actor_email="bob@acme.example",
                target_repr=f"invoice {index}",
            )
    client.force_login(owner)
    page = client.get("/t/acme/audit/")
    assert page.status_code == 200
    assert len(page.context["page"].object_list) == 25
    filtered = client.get("/t/acme/audit/", {"action": "member."}, headers={"HX-Request": "true"})
    assert [e.action for e in filtered.context["page"].object_list] == ["member.added"]
    assert b"<html" not in filtered.content  # an HTMX request gets the table alone
    second = client.get("/t/acme/audit/", {"action": "invoice", "page": 2})
    assert len(second.context["page"].object_list) == 5
    bad = client.get("/t/acme/audit/", {"since": "2026-12-31", "until": "2026-01-01"})
    assert bad.status_code == 200
    assert b"The start date is after the end date." in bad.content


@pytest.mark.parametrize(("role", "status"), [("owner", 200), ("moderator", 200), ("member", 403)])
def test_audit_log_needs_its_permission(client, tenant, member_factory, role, status):
    user = member_factory(tenant, role)
    client.force_login(user)
    assert client.get("/t/acme/audit/").status_code == status


def test_sidebar_shows_only_what_the_role_may_open(client, tenant, member_factory):
    member = member_factory(tenant, "member")
    client.force_login(member)
    labels = [str(item["label"]) for item in client.get("/t/acme/").context["shell"]["nav"]]
    assert "Dashboard" in labels
    assert "Audit log" not in labels


def test_sidebar_lists_module_pages_between_dashboard_and_workspace(client, tenant, owner):
    client.force_login(owner)
    nav = client.get("/t/acme/").context["shell"]["nav"]
    labels = [str(item["label"]) for item in nav]
    assert labels[0] == "Dashboard"
    assert labels.index("Customers") < labels.index("Members")
    assert "Modules" in labels  # owners manage the module switches
    assert next(i for i in nav if str(i["label"]) == "Orders")["url"] == "/t/acme/m/orders/"
