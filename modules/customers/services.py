"""Writes for Customers: one change, one transaction, one audit row (modules/records.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from modules.records import record_create, record_delete, record_update

from .models import Company

FIELDS = [
    "name",
    "vat_number",
    "email",
    "phone",
    "notes",
]

AUDIT = "customers"


def company_create(*, actor: Any, data: Mapping[str, Any]) -> Company:
    return record_create(model=Company, fields=FIELDS, action=AUDIT, actor=actor, data=data)


def company_update(*, actor: Any, row: Company, data: Mapping[str, Any]) -> Company:
    return record_update(
        model=Company, fields=FIELDS, action=AUDIT, actor=actor, row=row, data=data
    )


def company_delete(*, actor: Any, row: Company) -> None:
    record_delete(model=Company, fields=FIELDS, action=AUDIT, actor=actor, row=row)
