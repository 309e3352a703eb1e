from __future__ import annotations

import pytest
from django.core.cache import caches


def test_healthz_reports_database_and_redis(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok", "redis": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_503_when_redis_is_unreachable(client, db, monkeypatch):
    def refuse():
        raise ConnectionError("redis down")

    client_obj = caches["platform"].client.get_client()  # type: ignore[attr-defined]
    monkeypatch.setattr(client_obj, "ping", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "redis": "unreachable"}


def test_healthz_is_503_when_the_database_fails(client, db, monkeypatch):
    from django.db import connection

    real_cursor = connection.cursor

    class BrokenCursor:
        def __enter__(self):
            raise OSError("database down")

        def __exit__(self, *exc):
            return False

    def cursor(*args, **kwargs):
        import inspect

        caller = inspect.stack()[1].function
        return BrokenCursor() if caller == "healthz" else real_cursor(*args, **kwargs)

    monkeypatch.setattr(connection, "cursor", cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_healthz_only_answers_get(client, db, method):
    assert getattr(client, method)("/healthz").status_code == 405


def test_landing_page_renders(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert b"Start free trial" in response.content
    assert b"/static/css/app.css" in response.content


def test_audit_events_record_the_client_address(client, tenant, owner, member_factory, settings):
    """A state change made in a request records who made it from where."""
    from django_tenants.utils import schema_context

    from core.models import AuditEvent

    member = member_factory(tenant, "member", "m@acme.example")
    client.force_login(owner)
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    membership = member.memberships.get()
    response = client.post(
        f"/t/acme/members/{membership.pk}/suspend/",
        {"confirmed": "1"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.9",
    )
    assert response.status_code in (200, 302)
    with schema_context(tenant.schema_name):
        event = AuditEvent.objects.get(action="member.suspended")
    assert event.ip_address == "203.0.113.9"  # the address the one trusted proxy appended
    assert event.actor_email == owner.email
    assert event.before == {"status": "active"}
    assert event.after == {"status": "suspended"}
