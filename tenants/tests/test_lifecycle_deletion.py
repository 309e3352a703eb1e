"""Archive -> cascade delete -> restore, on committed data (pg_dump is another connection).

These tests cannot run inside the test's transaction, and transactional_db would flush the public
tenant row: they commit for real and clean up what they created.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django_tenants.utils import schema_context, schema_exists

from accounts.models import Membership, User
from accounts.roles.models import Member
from core.models import AuditEvent
from core.signals import tenant_deleted
from tenants.models import Domain, Tenant

pytestmark = pytest.mark.usefixtures("django_db_setup", "email_eager")


@pytest.fixture
def committed(django_db_blocker: Any, tmp_path: Path, settings: Any) -> Iterator[dict[str, Any]]:
    settings.TENANT_ARCHIVE_DIR = tmp_path
    created: dict[str, Any] = {"slugs": [], "emails": []}
    with django_db_blocker.unblock():
        try:
            yield created
        finally:
            connection.set_schema_to_public()  # type: ignore[attr-defined]
            for slug in created["slugs"]:
                with connection.cursor() as cursor:
                    cursor.execute(
                        f'DROP SCHEMA IF EXISTS "{Tenant.schema_name_for(slug)}" CASCADE'
                    )
                tenant_ids = list(Tenant.objects.filter(slug=slug).values_list("pk", flat=True))
                AuditEvent.objects.filter(target_id__in=[str(t) for t in tenant_ids]).delete()
                Tenant.objects.filter(slug=slug).delete()
            # A raw delete: the collector would look for tenant-schema tables in public.
            users = User.objects.filter(email__in=created["emails"])
            Membership.objects.filter(user__in=users).delete()
            users._raw_delete(users.db)
            AuditEvent.objects.filter(actor_email__in=created["emails"]).delete()


def test_archive_delete_restore_round_trip(
    committed: dict[str, Any], django_capture_on_commit_callbacks
):
    from accounts.services import membership_add, user_create
    from tenants.deletion import tenant_delete_cascade
    from tenants.services import tenant_provision

    slug = f"rt-{uuid.uuid4().hex[:8]}"
    other_slug = f"rt-{uuid.uuid4().hex[:8]}"
    committed["slugs"] += [slug, other_slug]
    owner_email, shared_email = f"owner-{slug}@example.com", f"shared-{slug}@example.com"
    committed["emails"] += [owner_email, shared_email]

    owner = user_create(email=owner_email, password=None)
    shared = user_create(email=shared_email, password=None)
    tenant = tenant_provision(name="Round Trip", slug=slug, owner=owner)
    other = tenant_provision(name="Other", slug=other_slug)
    membership_add(user=shared, tenant=tenant, role="member")
    membership_add(user=shared, tenant=other, role="member")
    with schema_context(tenant.schema_name):
        AuditEvent.objects.create(action="round.trip.marker")

    received: list[dict[str, Any]] = []

    def receiver(**kwargs: Any) -> None:
        received.append(kwargs)

    tenant_deleted.connect(receiver, dispatch_uid="test-round-trip")
    try:
        archive = tenant_delete_cascade(tenant=tenant, reason="test")
    finally:
        tenant_deleted.disconnect(dispatch_uid="test-round-trip")

    assert archive.exists()
    assert archive.with_suffix(".json").exists()
    tenant.refresh_from_db()
    assert tenant.state == Tenant.State.DELETED  # the tombstone stays
    assert not schema_exists(tenant.schema_name)
    assert not Domain.objects.filter(tenant=tenant).exists()
    assert not Membership.objects.filter(tenant=tenant).exists()
    assert not User.objects.filter(email=owner_email).exists()  # no other tenant
    assert User.objects.filter(email=shared_email).exists()  # still in "other"
    assert AuditEvent.objects.filter(action="tenant.deleted", target_id=str(tenant.pk)).exists()
    assert received[0]["tenant"].pk == tenant.pk
    assert sorted(received[0]["user_ids"]) == sorted([owner.pk, shared.pk])
    assert received[0]["deleted_user_ids"] == [owner.pk]

    call_command("restore_tenant", str(archive))

    tenant.refresh_from_db()
    assert tenant.state == Tenant.State.SUSPENDED
    assert tenant.grace_ends_at is not None
    assert Domain.objects.get(tenant=tenant).domain == slug
    assert Membership.objects.filter(tenant=tenant, user=shared).exists()
    with schema_context(tenant.schema_name):
        assert AuditEvent.objects.filter(action="round.trip.marker").exists()
        assert list(Member.objects.values_list("user__email", flat=True)) == [shared_email]


def test_restore_with_a_bad_path_says_what_to_do(committed: dict[str, Any]):
    with pytest.raises(CommandError, match=r"pass the path of a \.dump file"):
        call_command("restore_tenant", "/nonexistent/acme.dump")
