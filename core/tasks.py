from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def email_deliver(*, to: list[str], subject: str, body: str, html: str | None = None) -> int:
    """Deliver one e-mail through the configured backend (Resend or the console)."""
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()


@shared_task
def schema_probe() -> dict[str, object]:
    """Where did the worker run this task? The schema, and what it reads there.

    A diagnostic for operators (and the tests): tasks sent inside a tenant must run there.
    """
    from tenants.db import current_schema

    from .models import AuditEvent

    return {
        "schema": current_schema(),
        "audit_actions": sorted(AuditEvent.objects.values_list("action", flat=True)),
    }


@shared_task
def heartbeat() -> str:
    """A periodic no-op: its last run time in the superadmin shows that beat and a worker live."""
    from django.core.cache import caches
    from django.utils import timezone

    now = timezone.now().isoformat()
    caches["platform"].set("core:heartbeat", now, timeout=None)
    return now
