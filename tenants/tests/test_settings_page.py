from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from core.models import AuditEvent
from tenants.models import Tenant


def test_an_owner_renames_the_workspace_and_requires_eu_residency(client, tenant, owner):
    client.force_login(owner)
    assert client.get("/t/acme/settings/").status_code == 200
    response = client.post("/t/acme/settings/", {"name": "Acme Europe", "eu_data_residency": "on"})
    assert response.status_code == 302
    tenant.refresh_from_db()
    assert (tenant.name, tenant.eu_data_residency) == ("Acme Europe", True)
    with schema_context(tenant.schema_name):
        event = AuditEvent.objects.get(action="tenant.settings_changed")
    assert event.before == {"name": "Acme", "eu_data_residency": False}
    assert event.after == {"name": "Acme Europe", "eu_data_residency": True}
    # The routing cache was invalidated: the next page shows the new name.
    assert b"Acme Europe" in client.get("/t/acme/").content


def test_an_empty_name_is_a_form_error_and_nothing_changes(client, tenant, owner):
    client.force_login(owner)
    response = client.post("/t/acme/settings/", {"name": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert Tenant.objects.get(pk=tenant.pk).name == "Acme"


@pytest.mark.parametrize("role", ["moderator", "member", "customer"])
def test_only_roles_with_manage_settings_reach_the_page(client, tenant, member_factory, role):
    client.force_login(member_factory(tenant, role))
    assert client.get("/t/acme/settings/").status_code == 403
    assert client.post("/t/acme/settings/", {"name": "Hijacked"}).status_code == 403
    assert Tenant.objects.get(pk=tenant.pk).name == "Acme"
