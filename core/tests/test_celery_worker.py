from __future__ import annotations

import pytest
from django_tenants.utils import tenant_context

from core.tasks import schema_probe


@pytest.mark.celery
def test_a_real_worker_runs_each_task_in_the_schema_it_was_sent_from(
    celery_worker_process, committed_tenant
):
    """tenant-schemas-celery: sent inside a tenant, the task reads that tenant's tables."""
    with tenant_context(committed_tenant):
        in_tenant = schema_probe.delay()
    from_public = schema_probe.delay()

    assert in_tenant.get(timeout=30) == {
        "schema": committed_tenant.schema_name,
        "audit_actions": ["tenant.created"],
    }
    public = from_public.get(timeout=30)
    assert public["schema"] == "public"
    assert "tenant.provisioned" in public["audit_actions"]
    assert "tenant.created" not in public["audit_actions"]
