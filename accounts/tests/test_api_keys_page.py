from __future__ import annotations

import pytest

from accounts.models import ApiKey
from accounts.services import api_key_create


def test_an_owner_creates_a_key_sees_it_once_and_it_works(client, tenant, owner):
    client.force_login(owner)
    response = client.post("/t/acme/api-keys/", {"name": "n8n", "role": "moderator"})
    assert response.status_code == 200
    plaintext = response.context["plaintext"]
    assert plaintext.startswith("th_")
    key = ApiKey.objects.get(tenant=tenant, name="n8n")
    assert plaintext not in key.secret_hash  # only a hash is stored
    page = client.get("/t/acme/api-keys/")
    assert plaintext.encode() not in page.content  # shown once, never again
    assert b"n8n" in page.content
    api = client.get("/t/acme/api/me", headers={"Authorization": f"Bearer {plaintext}"})
    assert api.status_code == 200


def test_revoking_a_key_is_a_post_and_stops_it(client, tenant, owner):
    key, plaintext = api_key_create(tenant=tenant, name="old", role="member", actor=owner)
    client.force_login(owner)
    assert client.get(f"/t/acme/api-keys/{key.pk}/revoke/").status_code == 405
    assert client.post(f"/t/acme/api-keys/{key.pk}/revoke/").status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None
    api = client.get("/t/acme/api/me", headers={"Authorization": f"Bearer {plaintext}"})
    assert api.status_code == 401


def test_another_tenants_key_cannot_be_revoked_from_here(client, tenant, other_tenant, owner):
    foreign, _ = api_key_create(tenant=other_tenant, name="theirs", role="member")
    client.force_login(owner)
    assert client.post(f"/t/acme/api-keys/{foreign.pk}/revoke/").status_code == 404
    foreign.refresh_from_db()
    assert foreign.revoked_at is None


@pytest.mark.parametrize("role", ["moderator", "collaborator", "member"])
def test_only_roles_with_manage_api_keys_reach_the_page(client, tenant, member_factory, role):
    client.force_login(member_factory(tenant, role))
    assert client.get("/t/acme/api-keys/").status_code == 403
    assert client.post("/t/acme/api-keys/", {"name": "x", "role": "owner"}).status_code == 403
    assert not ApiKey.objects.exists()


def test_a_blank_name_is_a_form_error(client, tenant, owner):
    client.force_login(owner)
    response = client.post("/t/acme/api-keys/", {"name": " ", "role": "member"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not ApiKey.objects.exists()


@pytest.mark.parametrize("path", ["/t/acme/api/docs", "/t/acme/api/openapi.json"])
def test_the_api_docs_are_for_members_only(client, tenant, owner, user_factory, path):
    """Nobody outside the tenant learns from the docs that the workspace exists."""
    assert client.get(path).status_code == 404
    client.force_login(user_factory("outsider@example.com"))
    assert client.get(path).status_code == 404
    client.force_login(owner)
    assert client.get(path).status_code == 200
