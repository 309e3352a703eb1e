"""The membership gate: only members reach /t/<slug>/, and only while their membership is active."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver

from accounts.models import Membership
from accounts.services import member_remove, member_suspend


def _tenant_paths(slug: str) -> list[str]:
    """Every path of the tenant URLconf that reverses without arguments, under /t/<slug>/.

    The API (api/) is left out: it authenticates by key, not session (see test_api_keys).
    """
    from config import urls_tenant

    paths: list[str] = []

    def walk(patterns: list[URLPattern | URLResolver], prefix: str) -> None:
        for pattern in patterns:
            route = str(pattern.pattern)
            if "<" in route or route.startswith("^"):
                continue
            if isinstance(pattern, URLResolver):
                if route != "api/":
                    walk(pattern.url_patterns, prefix + route)
            else:
                paths.append(f"/t/{slug}/{prefix}{route}")

    walk(list(urls_tenant.urlpatterns), "")  # type: ignore[arg-type]
    assert paths, "the tenant URLconf has no plain paths to check"
    return paths


def test_a_member_of_acme_gets_404_on_every_url_of_globex(
    client, tenant, other_tenant, member_factory
):
    """A non-member sees globex as if it did not exist: the normal 404 page on every URL."""
    user = member_factory(tenant, "owner")
    client.force_login(user)
    for path in _tenant_paths("globex"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert b"This page does not exist" in response.content
    assert client.get("/t/acme/").status_code == 200


def test_an_anonymous_user_is_sent_to_login_from_every_tenant_url(client, tenant):
    for path in _tenant_paths("acme"):
        response = client.get(path + "?tab=1")
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/login/?next=")
        assert "tab%3D1" in response["Location"], "next keeps the full path with its query"


def test_a_suspended_member_is_refused_in_that_tenant_only(
    client, tenant, other_tenant, member_factory
):
    user = member_factory(tenant, "collaborator", "consultant@example.com")
    from accounts.services import membership_add

    membership_add(user=user, tenant=other_tenant, role="member")
    member_suspend(membership=Membership.objects.get(user=user, tenant=tenant), actor=None)
    client.force_login(user)

    response = client.get("/t/acme/")
    assert response.status_code == 403
    assert b"Your access to Acme is suspended" in response.content
    assert client.get("/t/globex/").status_code == 200


def test_suspension_and_removal_take_effect_on_the_next_request(client, tenant, member_factory):
    user = member_factory(tenant, "member")
    client.force_login(user)
    assert client.get("/t/acme/").status_code == 200
    membership = Membership.objects.get(user=user, tenant=tenant)
    member_suspend(membership=membership, actor=None)
    assert client.get("/t/acme/").status_code == 403
    member_remove(membership=membership, actor=None)
    assert client.get("/t/acme/").status_code == 404


def test_the_gate_sets_request_membership(client, tenant, owner):
    client.force_login(owner)
    response = client.get("/t/acme/")
    assert response.wsgi_request.membership.tenant_id == tenant.pk
    assert response.wsgi_request.membership.user_id == owner.pk


def test_the_gate_costs_one_query(client, tenant, owner):
    """The gate reads the user's memberships once per request; the page reuses that read."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(owner)
    client.get("/t/acme/")  # warm the routing table
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/t/acme/").status_code == 200
    membership_reads = [
        q["sql"] for q in captured.captured_queries if 'FROM "accounts_membership"' in q["sql"]
    ]
    assert len(membership_reads) == 2  # the gate's, and the dashboard's member count
    assert sum('WHERE "accounts_membership"."user_id"' in sql for sql in membership_reads) == 1


def test_public_pages_are_not_gated(client, db):
    assert client.get("/").status_code == 200
    assert client.get("/accounts/login/").status_code == 200


@pytest.mark.parametrize("slug", ["nobody-here", "acme"])
def test_a_superuser_without_membership_gets_404(client, tenant, user_factory, slug):
    operator = user_factory("operator@example.com", is_staff=True, is_superuser=True)
    client.force_login(operator)
    assert client.get(f"/t/{slug}/").status_code == 404
