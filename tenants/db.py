"""Typed access to django-tenants' additions to the database connection."""

from __future__ import annotations

from typing import Any

from django.db import connection

PUBLIC_SCHEMA = "public"


def current_schema() -> str:
    """The schema the default connection works in now ("public" outside any tenant)."""
    return str(getattr(connection, "schema_name", PUBLIC_SCHEMA))


def in_public_schema() -> bool:
    return current_schema() == PUBLIC_SCHEMA


def use_public_schema() -> None:
    connection.set_schema_to_public()  # type: ignore[attr-defined]


def use_tenant(tenant: Any) -> None:
    connection.set_tenant(tenant)  # type: ignore[attr-defined]
