"""The central guard, switches, plan gating, sidebar and the registry's exports."""

from __future__ import annotations

from typing import Any

import pytest

from modules import registry as registry_module
from modules.registry import registry
from modules.services import module_switch_set
from modules.testing import sidebar_modules

ORDERS = "/t/acme/m/orders/"


def test_every_installed_module_is_registered_with_its_urls():
    assert [module.name for module in registry.modules()] == ["customers", "orders"]


def test_anonymous_users_are_sent_to_the_login_page(client, tenant):
    response = client.get(ORDERS)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_non_member_gets_404(client, tenant, user_factory):
    client.force_login(user_factory())
    assert client.get(ORDERS).status_code == 404


def test_a_suspended_member_gets_403(client, tenant, member_factory):
    from accounts.models import Membership

    user = member_factory(tenant, "owner")
    Membership.objects.filter(user=user).update(status=Membership.Status.SUSPENDED)
    client.force_login(user)
    assert client.get(ORDERS).status_code == 403


def test_a_role_without_the_permission_gets_403_and_no_sidebar_entry(
    client, tenant, member_factory
):
    user = member_factory(tenant, "member")
    client.force_login(user)
    assert client.get(ORDERS).status_code == 403
    assert client.get("/t/acme/m/customers/").status_code == 403
    assert sidebar_modules(user=user, tenant=tenant) == []


def test_the_sidebar_follows_the_roles(tenant, member_factory):
    assert sidebar_modules(user=member_factory(tenant, "owner"), tenant=tenant) == [
        "customers",
        "orders",
    ]
    assert sidebar_modules(user=member_factory(tenant, "customer"), tenant=tenant) == ["orders"]


def test_a_module_switched_off_answers_404_there_only(client, tenant, other_tenant, member_factory):
    owner = member_factory(tenant, "owner")
    module_switch_set(tenant=tenant, module="orders", enabled=False, actor=owner)
    client.force_login(owner)
    assert client.get(ORDERS).status_code == 404
    assert "orders" not in sidebar_modules(user=owner, tenant=tenant)
    other_owner = member_factory(other_tenant, "owner")
    client.force_login(other_owner)
    assert client.get("/t/globex/m/orders/").status_code == 200


def test_the_switch_lookup_is_cached(client, tenant, owner):
    """Cold: one query for the switches; warm: none (Redis)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from modules.selectors import switches_for_tenant

    def selects(context: CaptureQueriesContext) -> int:
        return sum(1 for q in context.captured_queries if not q["sql"].startswith("SET "))

    with CaptureQueriesContext(connection) as cold:
        switches_for_tenant(tenant_id=tenant.pk)
    with CaptureQueriesContext(connection) as warm:
        switches_for_tenant(tenant_id=tenant.pk)
    assert (selects(cold), selects(warm)) == (1, 0)
    module_switch_set(tenant=tenant, module="orders", enabled=False)
    assert switches_for_tenant(tenant_id=tenant.pk) == {"orders": False}


def test_plan_gating_names_the_plan_that_unlocks_the_module(client, tenant, owner, monkeypatch):
    monkeypatch.setattr(registry.get("orders"), "required_plan", "pro")
    client.force_login(owner)
    response = client.get(ORDERS)
    assert response.status_code == 402
    assert b"Pro plan" in response.content
    assert "orders" not in sidebar_modules(user=owner, tenant=tenant)
    monkeypatch.setattr(registry_module, "tenant_plan", lambda tenant: "pro")
    assert client.get(ORDERS).status_code == 200
    assert "orders" in sidebar_modules(user=owner, tenant=tenant)


def test_tenant_plan_reads_the_plan_field_or_defaults_to_base():
    class WithPlan:
        plan = "COMPANY"

    assert registry_module.tenant_plan(object()) == "base"
    assert registry_module.tenant_plan(WithPlan()) == "company"
    assert registry_module.plan_includes("company", "pro")
    assert not registry_module.plan_includes("base", "pro")


def test_owners_switch_modules_on_the_settings_page(client, tenant, owner):
    client.force_login(owner)
    page = client.get("/t/acme/modules/")
    assert page.status_code == 200
    assert b'id="module-orders"' in page.content
    response = client.post("/t/acme/modules/", {"module": "orders", "enabled": "0"})
    assert response.status_code == 302
    assert client.get(ORDERS).status_code == 404
    client.post("/t/acme/modules/", {"module": "orders", "enabled": "1"})
    assert client.get(ORDERS).status_code == 200


@pytest.mark.parametrize("role", ["moderator", "member"])
def test_only_roles_that_manage_settings_reach_the_switches(client, tenant, member_factory, role):
    client.force_login(member_factory(tenant, role))
    assert client.get("/t/acme/modules/").status_code == 403
    assert client.post("/t/acme/modules/", {"module": "orders", "enabled": "0"}).status_code == 403


def test_module_permissions_reach_the_roles_of_new_tenants(tenant, member_factory):
    from django_tenants.utils import schema_context

    customer = member_factory(tenant, "customer")
    collaborator = member_factory(tenant, "collaborator")
    with schema_context(tenant.schema_name):
        assert customer.has_perm("orders.view_order")
        assert not customer.has_perm("orders.view_all_orders")
        assert collaborator.has_perm("customers.change_company")
        assert not collaborator.has_perm("customers.delete_company")


def test_dashboard_widgets_are_filtered_like_the_sidebar(tenant, member_factory):
    from django.test import RequestFactory
    from django_tenants.utils import schema_context

    from modules.registry import dashboard_widgets

    def keys(user: Any) -> list[str]:
        request = RequestFactory().get("/t/acme/")
        request.user = user
        request.tenant = tenant  # type: ignore[attr-defined]
        with schema_context(tenant.schema_name):
            return [item["widget"].key for item in dashboard_widgets(request)]

    assert keys(member_factory(tenant, "owner")) == ["companies", "open-orders"]
    assert keys(member_factory(tenant, "supplier")) == ["open-orders"]
    assert keys(member_factory(tenant, "member")) == []


def test_periodic_tasks_reach_the_beat_schedule():
    from config.celery import app

    app.finalize()
    assert "orders-overdue" in app.conf.beat_schedule
    assert "core-heartbeat" in app.conf.beat_schedule


def test_api_routers_are_exposed_for_the_tenant_api():
    prefixes = [prefix for prefix, _router in registry.api_routers()]
    assert prefixes == ["/customers/", "/orders/"]


def test_listmodules_shows_labels_roles_and_tenants_on(tenant, other_tenant):
    from io import StringIO

    from django.core.management import call_command

    module_switch_set(tenant=other_tenant, module="orders", enabled=False)
    out = StringIO()
    call_command("listmodules", stdout=out)
    lines = {line.split()[0]: line for line in out.getvalue().splitlines()[1:]}
    assert "Customers" in lines["customers"]
    assert "owner,moderator,collaborator" not in lines["orders"]  # sorted role list
    assert lines["customers"].rstrip().endswith("2")
    assert lines["orders"].rstrip().endswith("1")
