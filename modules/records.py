"""The writes every module's main model needs: create, update, delete, each audited.

One change, one transaction, one audit row (with the values before and after), the row locked
while it changes. Modules call these from their services.py with their model, the fields a form
may set and their audit action prefix; generated modules do so from the start.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from django.db import models, transaction

from core.services import audit_record

M = TypeVar("M", bound=models.Model)


def record_snapshot(row: models.Model, fields: Sequence[str]) -> dict[str, str]:
    return {name: str(getattr(row, name)) for name in fields}


@transaction.atomic
def record_create(
    *, model: type[M], fields: Sequence[str], action: str, actor: Any, data: Mapping[str, Any]
) -> M:
    row = model(**{key: data[key] for key in fields if key in data})
    row.full_clean()
    row.save()
    audit_record(
        action=f"{action}.created", actor=actor, target=row, after=record_snapshot(row, fields)
    )
    return row


@transaction.atomic
def record_update(
    *,
    model: type[M],
    fields: Sequence[str],
    action: str,
    actor: Any,
    row: M,
    data: Mapping[str, Any],
) -> M:
    locked = model._default_manager.select_for_update().get(pk=row.pk)
    before = record_snapshot(locked, fields)
    changed = [key for key in fields if key in data]
    for key in changed:
        setattr(locked, key, data[key])
    locked.full_clean()
    locked.save(update_fields=changed)
    audit_record(
        action=f"{action}.updated",
        actor=actor,
        target=locked,
        before=before,
        after=record_snapshot(locked, fields),
    )
    return locked


@transaction.atomic
def record_delete(
    *, model: type[M], fields: Sequence[str], action: str, actor: Any, row: M
) -> None:
    locked = model._default_manager.select_for_update().get(pk=row.pk)
    audit_record(
        action=f"{action}.deleted",
        actor=actor,
        target=locked,
        before=record_snapshot(locked, fields),
    )
    locked.delete()
