from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context, schema_exists

from accounts.models import Membership
from accounts.roles.definitions import BUILT_IN_ROLES, role_permissions
from accounts.roles.models import Member
from core.models import AuditEvent
from tenants.db import current_schema
from tenants.models import Domain, Tenant
from tenants.services import tenant_provision


def test_provision_clones_a_schema_with_the_seeded_rows(tenant_factory, user_factory):
    """A new tenant gets its own schema with the built-in roles, its owner and an audit event."""
    owner = user_factory("boss@acme.example")
    tenant = tenant_factory("acme", "Acme", owner=owner)

    assert tenant.schema_name == "t_acme"
    assert schema_exists("t_acme")
    assert Domain.objects.get(tenant=tenant).domain == "acme"
    assert tenant.state == Tenant.State.TRIAL
    assert 13 <= (tenant.trial_ends_at - tenant.created_at).days <= 14
    with schema_context(tenant.schema_name):
        roles = {
            g.name: set(g.permissions.values_list("content_type__app_label", "codename"))
            for g in Group.objects.all()
        }
        assert set(roles) == set(BUILT_IN_ROLES)
        for role, perms in role_permissions().items():
            assert roles[role] == {tuple(p.split(".", 1)) for p in perms}
        assert Member.objects.get(user=owner).roles.get().name == "owner"
        assert list(AuditEvent.objects.values_list("action", flat=True)) == [
            "member.added",
            "tenant.created",
        ]
    assert Membership.objects.get(user=owner, tenant=tenant).is_active


def test_two_tenants_do_not_see_each_others_rows(tenant_factory, user_factory):
    acme = tenant_factory("acme", owner=user_factory("a@acme.example"))
    globex = tenant_factory("globex")
    with schema_context(acme.schema_name):
        AuditEvent.objects.create(action="acme.secret")
        assert AuditEvent.objects.filter(action="acme.secret").count() == 1
        assert Member.objects.count() == 1
    with schema_context(globex.schema_name):
        assert not AuditEvent.objects.filter(action="acme.secret").exists()
        assert Member.objects.count() == 0
        # A custom role in one tenant does not appear in the other.
        Group.objects.create(name="globex-only")
    with schema_context(acme.schema_name):
        assert not Group.objects.filter(name="globex-only").exists()
    # The public schema has its own audit table and sees neither tenant's events.
    assert current_schema() == "public"
    assert not AuditEvent.objects.filter(action="acme.secret").exists()


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("Acme", "lowercase"),
        ("a", "3 to 40"),
        ("-acme", "starting with a letter"),
        ("acme_corp", "lowercase letters, digits and hyphens"),
        ("public", "reserved"),
        ("superadmin", "reserved"),
        ("x" * 41, "3 to 40"),
    ],
)
def test_provision_refuses_bad_slugs(db, slug, message):
    with pytest.raises(ValidationError) as error:
        tenant_provision(name="Acme", slug=slug)
    assert message in " ".join(error.value.message_dict["slug"])
    assert not Tenant.objects.filter(slug=slug).exclude(schema_name="public").exists()


def test_provision_refuses_a_taken_slug_and_leaves_the_first_tenant_alone(tenant_factory):
    first = tenant_factory("acme", "Acme")
    with pytest.raises(ValidationError) as error:
        tenant_provision(name="Acme 2", slug="acme")
    assert "already taken" in error.value.message_dict["slug"][0]
    first.refresh_from_db()
    assert first.name == "Acme"


def test_provision_refuses_an_empty_name(db):
    with pytest.raises(ValidationError) as error:
        tenant_provision(name="   ", slug="acme")
    assert "name" in error.value.message_dict


def test_a_failed_provision_leaves_no_schema_and_no_row(db, monkeypatch):
    """One transaction: if seeding fails after the clone, neither the row nor the schema stays."""
    from django.db import transaction

    import tenants.services as services

    def broken_audit(**kwargs):
        raise RuntimeError("seeding failed")

    monkeypatch.setattr(services, "audit_record", broken_audit)
    sid = transaction.savepoint()
    with pytest.raises(RuntimeError):
        tenant_provision(name="Acme", slug="acme")
    transaction.savepoint_rollback(sid)
    assert not Tenant.objects.filter(slug="acme").exists()
    assert not schema_exists("t_acme")


def test_template_schema_exists_and_holds_no_customer_rows(db):
    assert schema_exists("tenant_template")
    with schema_context("tenant_template"):
        assert Member.objects.count() == 0
        assert AuditEvent.objects.count() == 0
        assert Group.objects.count() == len(BUILT_IN_ROLES)
