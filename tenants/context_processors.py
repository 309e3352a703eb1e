"""What the tenant admin shell needs on every page: sidebar, tenant switcher, banner."""

from __future__ import annotations

import math

from django.http import HttpRequest
from django.utils import timezone

from .navigation import nav_entries


def shell(request: HttpRequest) -> dict[str, object]:
    tenant = getattr(request, "tenant", None)
    user = getattr(request, "user", None)
    if (
        tenant is None
        or tenant.schema_name == "public"
        or user is None
        or not user.is_authenticated
    ):
        return {}
    memberships = sorted(
        (m for m in getattr(request, "memberships", []) if m.is_active),
        key=lambda m: m.tenant.name.lower(),
    )
    trial_days_left = None
    if tenant.state == "trial" and tenant.trial_ends_at:
        # Whole days left, rounded up: a trial that just started shows all 14.
        seconds = (tenant.trial_ends_at - timezone.now()).total_seconds()
        trial_days_left = max(0, math.ceil(seconds / 86400))
    return {
        "shell": {
            "tenant": tenant,
            "nav": nav_entries(request),
            "tenants": [m.tenant for m in memberships],
            "trial_days_left": trial_days_left,
        }
    }
