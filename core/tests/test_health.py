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
