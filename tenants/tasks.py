"""Periodic lifecycle work (scheduled in config/celery.py)."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.db import connection


@shared_task(ignore_result=False)
def lifecycle_policy_run() -> dict[str, Any]:
    """One pass of the deactivation policy, in the public schema (it enters tenants itself)."""
    from .policy import policy_run

    connection.set_schema_to_public()  # type: ignore[attr-defined]
    return policy_run().as_dict()
