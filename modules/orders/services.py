"""Writes for Orders: one change, one transaction, one audit row."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from core.services import audit_record

from .models import Order

FIELDS = [
    "number",
    "customer",
    "due",
    "notes",
]


def _snapshot(row: Order) -> dict[str, str]:
    return {name: str(getattr(row, name)) for name in FIELDS}


@transaction.atomic
def order_create(*, actor: Any, data: Mapping[str, Any]) -> Order:
    row = Order(**{key: data[key] for key in FIELDS if key in data})
    row.full_clean()
    row.save()
    audit_record(action="orders.created", actor=actor, target=row, after=_snapshot(row))
    return row


@transaction.atomic
def order_update(*, actor: Any, row: Order, data: Mapping[str, Any]) -> Order:
    locked = Order.objects.select_for_update().get(pk=row.pk)
    before = _snapshot(locked)
    changed = [key for key in FIELDS if key in data]
    for key in changed:
        setattr(locked, key, data[key])
    locked.full_clean()
    locked.save(update_fields=changed)
    audit_record(
        action="orders.updated", actor=actor, target=locked, before=before, after=_snapshot(locked)
    )
    return locked


@transaction.atomic
def order_delete(*, actor: Any, row: Order) -> None:
    locked = Order.objects.select_for_update().get(pk=row.pk)
    audit_record(action="orders.deleted", actor=actor, target=locked, before=_snapshot(locked))
    locked.delete()
