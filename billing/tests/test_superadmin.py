"""The operators' superadmin: tenants with lifecycle actions, overview, audit log, impersonation."""

from __future__ import annotations

import pytest

from core.models import AuditEvent
from tenants.models import Tenant

pytestmark = pytest.mark.usefixtures("email_eager")


@pytest.fixture
def operator(user_factory):
    return user_factory("ops@platform.example", is_staff=True, is_superuser=True)


def test_tenant_list_overview_and_audit_log_render(client, operator, tenant, owner):
    client.force_login(operator)
    page = client.get("/superadmin/tenants/tenant/")
    assert page.status_code == 200
    assert "acme" in page.content.decode()
    overview = client.get("/superadmin/tenants/tenant/overview/")
    assert overview.status_code == 200
    assert "MRR" in overview.content.decode()
    assert client.get("/superadmin/core/auditevent/").status_code == 200
    assert client.get("/superadmin/accounts/user/").status_code == 200


def test_suspend_and_extend_trial_actions_go_through_the_state_machine(client, operator, tenant):
    client.force_login(operator)
    url = "/superadmin/tenants/tenant/"
    client.post(url, {"action": "suspend", "_selected_action": [tenant.pk]})
    tenant.refresh_from_db()
    assert tenant.state == Tenant.State.SUSPENDED
    client.post(url, {"action": "extend_trial", "_selected_action": [tenant.pk]})
    tenant.refresh_from_db()
    assert tenant.state == Tenant.State.TRIAL
    assert AuditEvent.objects.filter(action="tenant.state_changed", actor=operator).count() == 2


def test_delete_now_needs_the_slug_typed(client, operator, tenant):
    client.force_login(operator)
    response = client.post(
        f"/superadmin/tenants/tenant/{tenant.pk}/delete-now/", {"confirm_slug": "wrong"}
    )
    assert "Type the slug exactly" in response.content.decode()
    tenant.refresh_from_db()
    assert tenant.state == Tenant.State.TRIAL


def test_impersonation_is_audited(client, operator, tenant, owner):
    client.force_login(operator)
    response = client.post("/superadmin/hijack/acquire/", {"user_pk": owner.pk, "next": "/"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="superadmin.impersonation_started")
    assert event.actor_id == operator.pk
    assert event.target_id == str(owner.pk)
