"""Periodic work of the orders module (declared in hooks.py, scheduled by config/celery.py)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone
from django_tenants.utils import schema_context

logger = logging.getLogger(__name__)


@shared_task
def orders_report_overdue() -> dict[str, int]:
    """Count open orders past their due date in every tenant that has the module on.

    Runs from the public schema and enters each tenant explicitly (ARCHITECTURE.md, Tenancy).
    """
    from modules.models import ModuleSwitch
    from tenants.models import Tenant

    from .models import Order

    off = ModuleSwitch.objects.filter(module="orders", enabled=False).values("tenant_id")
    counts: dict[str, int] = {}
    tenants = Tenant.objects.exclude(schema_name="public").exclude(pk__in=off)
    for tenant in tenants.exclude(state=Tenant.State.DELETED):
        with schema_context(tenant.schema_name):
            counts[tenant.slug] = Order.objects.filter(
                due__lt=timezone.localdate(),
                status__in=[Order.Status.DRAFT, Order.Status.CONFIRMED, Order.Status.SHIPPED],
            ).count()
    logger.info("overdue orders per tenant: %s", counts)
    return counts
