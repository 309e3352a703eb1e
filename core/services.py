"""Writes shared by every app: the audit trail and e-mail."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models, transaction

from .models import AuditEvent


def audit_record(
    *,
    action: str,
    actor: Any = None,
    target: models.Model | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """Write an audit event into the current schema (a tenant's, or public for the platform).

    Call it inside the transaction of the change it records, so both commit or neither does.
    """
    from .middleware import current_client_ip

    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    if ip_address is None:
        ip_address = current_client_ip()  # the request's client, when there is a request
    return AuditEvent.objects.create(
        action=action,
        actor=actor if is_user else None,
        actor_email=getattr(actor, "email", "") if is_user else "",
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:200] if target is not None else "",
        before=dict(before or {}),
        after=dict(after or {}),
        ip_address=ip_address,
    )


def email_send(
    *,
    to: list[str],
    subject: str,
    body: str,
    html: str | None = None,
) -> None:
    """Send an e-mail from a Celery task once the current transaction commits.

    A rolled-back change sends nothing; a slow mail provider never slows a request.
    """
    from .tasks import email_deliver

    payload = {"to": list(to), "subject": subject, "body": body, "html": html}
    transaction.on_commit(lambda: email_deliver.delay(**payload))
