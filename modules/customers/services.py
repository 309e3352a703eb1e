"""Writes for Customers: one change, one transaction, one audit row."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from core.services import audit_record

from .models import Company

FIELDS = [
    "name",
    "vat_number",
    "email",
    "phone",
    "notes",
]


def _snapshot(row: Company) -> dict[str, str]:
    return {name: str(getattr(row, name)) for name in FIELDS}


@transaction.atomic
def company_create(*, actor: Any, data: Mapping[str, Any]) -> Company:
    row = Company(**{key: data[key] for key in FIELDS if key in data})
    row.full_clean()
    row.save()
    audit_record(action="customers.created", actor=actor, target=row, after=_snapshot(row))
    return row


@transaction.atomic
def company_update(*, actor: Any, row: Company, data: Mapping[str, Any]) -> Company:
    locked = Company.objects.select_for_update().get(pk=row.pk)
    before = _snapshot(locked)
    changed = [key for key in FIELDS if key in data]
    for key in changed:
        setattr(locked, key, data[key])
    locked.full_clean()
    locked.save(update_fields=changed)
    audit_record(
        action="customers.updated",
        actor=actor,
        target=locked,
        before=before,
        after=_snapshot(locked),
    )
    return locked


@transaction.atomic
def company_delete(*, actor: Any, row: Company) -> None:
    locked = Company.objects.select_for_update().get(pk=row.pk)
    audit_record(action="customers.deleted", actor=actor, target=locked, before=_snapshot(locked))
    locked.delete()
