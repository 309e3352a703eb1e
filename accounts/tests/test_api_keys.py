"""API keys: shown once, stored hashed, scoped to their tenant, acting with their role's perms."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from accounts.models import ApiKey
from accounts.services import api_key_create, api_key_hash, api_key_revoke


def _bearer(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def moderator_key(tenant) -> str:
    return api_key_create(tenant=tenant, name="n8n", role="moderator")[1]


def test_the_key_is_stored_hashed_and_shown_once(tenant):
    api_key, plaintext = api_key_create(tenant=tenant, name="n8n", role="moderator")
    _, prefix, secret = plaintext.split("_", 2)
    stored = ApiKey.objects.get(pk=api_key.pk)
    assert stored.prefix == prefix
    assert stored.secret_hash == api_key_hash(secret)
    assert secret not in str(stored.__dict__)


def test_a_valid_key_acts_in_its_tenant(client, tenant, moderator_key):
    response = client.get("/t/acme/api/me", **_bearer(moderator_key))
    assert response.status_code == 200
    assert response.json()["tenant"] == "acme"
    assert response.json()["role"] == "moderator"
    # the X-API-Key header works too
    assert client.get("/t/acme/api/me", HTTP_X_API_KEY=moderator_key).status_code == 200


@pytest.mark.parametrize(
    "token",
    ["", "nonsense", "th_abc_def", "th_000000000000_" + "x" * 43],
)
def test_a_wrong_key_is_401(client, tenant, moderator_key, token):
    assert client.get("/t/acme/api/me", **_bearer(token)).status_code == 401


def test_a_right_prefix_with_a_wrong_secret_is_401(client, tenant, moderator_key):
    tampered = moderator_key[:-2] + ("aa" if not moderator_key.endswith("aa") else "bb")
    assert client.get("/t/acme/api/me", **_bearer(tampered)).status_code == 401


def test_no_key_is_401(client, tenant):
    assert client.get("/t/acme/api/me").status_code == 401


def test_a_revoked_key_is_401(client, tenant):
    api_key, plaintext = api_key_create(tenant=tenant, name="n8n", role="owner")
    assert client.get("/t/acme/api/me", **_bearer(plaintext)).status_code == 200
    api_key_revoke(api_key=api_key)
    assert client.get("/t/acme/api/me", **_bearer(plaintext)).status_code == 401


def test_a_key_works_only_under_its_own_tenant(client, tenant, other_tenant, moderator_key):
    assert client.get("/t/globex/api/me", **_bearer(moderator_key)).status_code == 401
    assert client.get("/t/globex/api/members", **_bearer(moderator_key)).status_code == 401


def test_a_session_is_not_an_api_identity(client, tenant, owner):
    client.force_login(owner)
    assert client.get("/t/acme/api/me").status_code == 401


def test_members_lists_members_with_roles(client, tenant, owner, member_factory, moderator_key):
    member_factory(tenant, "customer", "buyer@example.com")
    response = client.get("/t/acme/api/members", **_bearer(moderator_key))
    assert response.status_code == 200
    rows = {row["email"]: row for row in response.json()}
    assert rows["owner@acme.example"]["roles"] == ["owner"]
    assert rows["buyer@example.com"] == {
        "email": "buyer@example.com",
        "full_name": "",
        "roles": ["customer"],
        "status": "active",
    }


def test_members_costs_the_same_queries_for_any_number_of_members(
    client, tenant, member_factory, moderator_key
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/t/acme/api/members", **_bearer(moderator_key)).status_code == 200
        return len(captured)

    client.get("/t/acme/api/members", **_bearer(moderator_key))  # warm routing, last_used_at
    member_factory(tenant, "member", "first@example.com")
    few = count()
    for index in range(5):
        member_factory(tenant, "member", f"m{index}@example.com")
    assert count() == few <= 10


@pytest.mark.parametrize(("role", "status"), [("member", 403), ("collaborator", 200)])
def test_members_needs_view_member(client, tenant, role, status):
    key = api_key_create(tenant=tenant, name="bot", role=role)[1]
    assert client.get("/t/acme/api/members", **_bearer(key)).status_code == status


@pytest.mark.parametrize(
    ("role", "status"), [("member", 403), ("collaborator", 403), ("moderator", 200)]
)
def test_email_follows_the_keys_role(
    client, tenant, owner, role, status, django_capture_on_commit_callbacks
):
    key = api_key_create(tenant=tenant, name="bot", role=role)[1]
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            "/t/acme/api/email",
            {"subject": "Hello", "body": "Hi all"},
            content_type="application/json",
            **_bearer(key),
        )
    assert response.status_code == status
    if status == 200:
        assert response.json() == {"sent_to": ["owner@acme.example"]}
        assert len(callbacks) == 1
    else:
        assert callbacks == []


def test_email_refuses_addresses_outside_the_tenant(client, tenant, owner, moderator_key):
    response = client.post(
        "/t/acme/api/email",
        {"subject": "Hi", "body": "x", "to": ["stranger@example.com"]},
        content_type="application/json",
        **_bearer(moderator_key),
    )
    assert response.status_code == 422


def test_last_used_is_recorded(client, tenant):
    api_key, plaintext = api_key_create(tenant=tenant, name="n8n", role="member")
    assert api_key.last_used_at is None
    client.get("/t/acme/api/me", **_bearer(plaintext))
    first = ApiKey.objects.get(pk=api_key.pk).last_used_at
    assert first is not None
    client.get("/t/acme/api/me", **_bearer(plaintext))
    assert ApiKey.objects.get(pk=api_key.pk).last_used_at == first, "at most once a minute"


def test_failed_keys_are_rate_limited_with_429(client, tenant, moderator_key, settings):
    settings.API_KEY_FAILURE_LIMIT = 3
    for _ in range(3):
        assert client.get("/t/acme/api/me", **_bearer("th_bad_key")).status_code == 401
    response = client.get("/t/acme/api/me", **_bearer("th_bad_key"))
    assert response.status_code == 429
    assert "Too many failed API key attempts" in response.json()["detail"]


def test_the_openapi_docs_are_served_to_members(client, tenant, owner):
    client.force_login(owner)
    assert client.get("/t/acme/api/docs").status_code == 200
    schema = client.get("/t/acme/api/openapi.json").json()
    assert "/t/acme/api/members" in schema["paths"]


def test_create_api_key_command_prints_a_working_key(client, tenant, capsys):
    call_command("create_api_key", tenant="acme", name="n8n", role="moderator")
    printed = capsys.readouterr().out
    key = next(line for line in printed.splitlines() if line.startswith("th_"))
    assert client.get("/t/acme/api/me", **_bearer(key)).json()["role"] == "moderator"


def test_create_api_key_refuses_an_unknown_role(tenant):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No role named"):
        call_command("create_api_key", tenant="acme", name="n8n", role="emperor")
