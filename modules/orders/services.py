"""Writes for Orders: one change, one transaction, one audit row (modules/records.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from modules.records import record_create, record_delete, record_update

from .models import Order

FIELDS = [
    "number",
    "customer",
    "due",
    "notes",
]

AUDIT = "orders"


def order_create(*, actor: Any, data: Mapping[str, Any]) -> Order:
    return record_create(model=Order, fields=FIELDS, action=AUDIT, actor=actor, data=data)


def order_update(*, actor: Any, row: Order, data: Mapping[str, Any]) -> Order:
    return record_update(model=Order, fields=FIELDS, action=AUDIT, actor=actor, row=row, data=data)


def order_delete(*, actor: Any, row: Order) -> None:
    record_delete(model=Order, fields=FIELDS, action=AUDIT, actor=actor, row=row)
