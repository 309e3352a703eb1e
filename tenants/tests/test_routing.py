from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenants.models import Domain


def _routing_queries(queries: list[dict[str, str]]) -> list[str]:
    """Queries that look a tenant up (FROM tenants_domain / tenants_tenant), not mere joins."""
    lookups = ('FROM "tenants_domain"', 'FROM "tenants_tenant"')
    return [q["sql"] for q in queries if any(lookup in q["sql"] for lookup in lookups)]


def test_unknown_slug_is_a_404_page_not_a_500(client, db):
    response = client.get("/t/nobody-here/")
    assert response.status_code == 404
    assert b"This page does not exist" in response.content


def test_tenant_prefix_without_slug_is_a_404(client, db):
    assert client.get("/t/").status_code == 404


def test_a_warm_tenant_request_makes_no_routing_query(client, tenant, owner, password):
    """The slug -> tenant lookup is cached: the second request does not query tenants at all."""
    client.force_login(owner)
    with CaptureQueriesContext(connection) as cold:
        assert client.get("/t/acme/").status_code == 200
    assert _routing_queries(cold.captured_queries), "the first request looks the slug up"
    with CaptureQueriesContext(connection) as warm:
        response = client.get("/t/acme/")
    assert response.status_code == 200
    assert response.wsgi_request.tenant.pk == tenant.pk
    assert _routing_queries(warm.captured_queries) == []


def test_a_warm_public_request_makes_no_query(client, db):
    client.get("/")
    with CaptureQueriesContext(connection) as warm:
        assert client.get("/").status_code == 200
    assert warm.captured_queries == []


def test_the_cache_is_invalidated_when_a_domain_changes(client, tenant, owner):
    client.force_login(owner)
    assert client.get("/t/acme/").status_code == 200
    Domain.objects.filter(tenant=tenant).update(domain="acme-renamed")
    # update() sends no signal: until something invalidates, the cached route still answers...
    assert client.get("/t/acme/").status_code == 200
    domain = Domain.objects.get(tenant=tenant)
    domain.save()  # ...and a save through the ORM invalidates every process's table.
    assert client.get("/t/acme/").status_code == 404
    assert client.get("/t/acme-renamed/").status_code == 200


def test_another_process_sees_the_invalidation(client, tenant, owner):
    """Invalidation travels through Redis: a process whose local table is stale drops it."""
    from tenants import routing

    client.force_login(owner)
    assert client.get("/t/acme/").status_code == 200
    other_process = routing.RoutingTable()
    assert other_process.route("acme") is not None
    Domain.objects.get(tenant=tenant).delete()
    assert other_process.route("acme") is None


def test_an_unknown_slug_flood_stays_bounded(db, monkeypatch):
    from tenants import routing

    monkeypatch.setattr(routing, "MAX_ROUTES", 5)
    table = routing.RoutingTable()
    for index in range(20):
        assert table.route(f"missing-{index}") is None
    assert len(table._routes) <= 5


def test_tenant_urls_resolve_with_the_tenant_prefix(client, tenant, owner):
    from django.urls import reverse

    client.force_login(owner)
    response = client.get("/t/acme/")
    assert response.status_code == 200
    # Inside the request, reverse() built URLs under /t/acme/.
    assert reverse("tenant-home", urlconf=response.wsgi_request.urlconf) == "/t/acme/"
