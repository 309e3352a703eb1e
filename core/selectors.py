"""Reads shared by every app."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from .models import AuditEvent


def audit_event_list(
    *, action: str = "", actor: str = "", since: dt.date | None = None, until: dt.date | None = None
) -> QuerySet[AuditEvent]:
    """Audit events of the current schema, newest first, filtered."""
    events = AuditEvent.objects.order_by("-created_at", "-id")
    if action:
        events = events.filter(action__startswith=action)
    if actor:
        events = events.filter(actor_email__icontains=actor)
    if since:
        events = events.filter(created_at__date__gte=since)
    if until:
        events = events.filter(created_at__date__lte=until)
    return events


def audit_action_choices() -> list[str]:
    return list(AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct())
