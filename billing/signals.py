"""Every impersonation by an operator (django-hijack) leaves an audit row in the public schema."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django_tenants.utils import schema_context
from hijack.signals import hijack_ended, hijack_started

from core.services import audit_record


@receiver(hijack_started, dispatch_uid="billing.audit_hijack_started")
def audit_hijack_started(
    sender: Any, hijacker: Any, hijacked: Any, request: Any, **kw: Any
) -> None:
    with schema_context("public"):
        audit_record(
            action="superadmin.impersonation_started",
            actor=hijacker,
            target=hijacked,
            ip_address=request.META.get("REMOTE_ADDR"),
        )


@receiver(hijack_ended, dispatch_uid="billing.audit_hijack_ended")
def audit_hijack_ended(sender: Any, hijacker: Any, hijacked: Any, request: Any, **kw: Any) -> None:
    with schema_context("public"):
        audit_record(
            action="superadmin.impersonation_ended",
            actor=hijacker,
            target=hijacked,
            ip_address=request.META.get("REMOTE_ADDR"),
        )
