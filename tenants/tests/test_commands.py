from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_tenants.utils import schema_context

from accounts.models import Membership, User
from accounts.roles.models import Member
from tenants.models import Tenant

SEED = [
    "--slug",
    "dev",
    "--name",
    "Tenant Dev",
    "--admin-email",
    "dev@dev.it",
    "--admin-password",
    "Dev-pass-2026!",
]


def run(command: str, *args: str) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def test_seed_tenant_admin_creates_the_tenant_and_its_owner(db):
    output = run("seed_tenant_admin", *SEED, "--trial-days", "7")
    tenant = Tenant.objects.get(slug="dev")
    user = User.objects.get(email="dev@dev.it")
    assert "Created tenant 'Tenant Dev' at /t/dev/" in output
    assert user.check_password("Dev-pass-2026!")
    assert Membership.objects.filter(user=user, tenant=tenant).exists()
    with schema_context(tenant.schema_name):
        assert list(Member.objects.get(user=user).roles.values_list("name", flat=True)) == ["owner"]
    assert 6 <= (tenant.trial_ends_at - tenant.created_at).days <= 7


def test_seed_tenant_admin_twice_changes_nothing_and_says_so(db):
    run("seed_tenant_admin", *SEED)
    before = (Tenant.objects.count(), User.objects.count(), Membership.objects.count())
    output = run("seed_tenant_admin", *SEED[:-1], "a-different-password-9")
    assert "nothing to change" in output
    assert "password left unchanged" in output
    assert (Tenant.objects.count(), User.objects.count(), Membership.objects.count()) == before
    assert User.objects.get(email="dev@dev.it").check_password("Dev-pass-2026!")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--slug", "Bad Slug"], "--slug: 3 to 40 characters"),
        (["--name", " "], "--name: A name is required"),
        (["--admin-password", "123"], "--admin-password: This password is too short"),
        (["--admin-email", "not-an-email"], "--admin-email"),
        (["--trial-days", "-1"], "--trial-days must be 0 or more"),
        (["--slug", "public"], "reserved"),
    ],
)
def test_seed_tenant_admin_bad_input_is_a_command_error_saying_what_to_fix(db, args, message):
    values = dict(zip(SEED[::2], SEED[1::2], strict=True))
    values.update(dict(zip(args[::2], args[1::2], strict=True)))
    argv = [item for pair in values.items() for item in pair]
    with pytest.raises(CommandError, match=message):
        run("seed_tenant_admin", *argv)
    assert not Tenant.objects.exclude(schema_name="public").exists()
    assert not User.objects.exists()


def test_quickstart_creates_a_demo_tenant_and_prints_the_login(db):
    output = run("quickstart", "--password", "Quick-start-2026")
    assert "/t/demo/" in output
    assert "owner@demo.example" in output
    assert "Quick-start-2026" in output
    again = run("quickstart")
    assert "nothing to change" in again
    assert "the password you set before" in again


def test_seed_demo_seeds_every_role_in_both_tenants_and_a_shared_user(db):
    output = run("seed_demo")
    run("seed_demo")  # idempotent
    assert "consultant@example.com" in output
    for slug in ("acme", "globex"):
        tenant = Tenant.objects.get(slug=slug)
        with schema_context(tenant.schema_name):
            roles = set(Member.objects.values_list("roles__name", flat=True))
        assert roles == {"owner", "moderator", "collaborator", "member", "customer", "supplier"}
    shared = User.objects.get(email="consultant@example.com")
    assert set(shared.memberships.values_list("tenant__slug", flat=True)) == {"acme", "globex"}
    assert User.objects.get(email="operator@tenanthawk.example").is_superuser
