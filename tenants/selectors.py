"""Reads on tenants."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Tenant


def tenant_list_live() -> QuerySet[Tenant]:
    """Every customer tenant that has a schema: not the public one, not deleted."""
    return Tenant.objects.exclude(schema_name="public").exclude(state=Tenant.State.DELETED)


def tenant_get_by_slug(*, slug: str) -> Tenant | None:
    return tenant_list_live().filter(slug=slug).first()


def dashboard_figures(*, tenant: Tenant) -> dict[str, object]:
    """The dashboard's numbers for the current tenant, in a fixed number of queries.

    Run inside the tenant's schema. Members count only active memberships (public schema);
    roles are counted in the tenant schema among those members.
    """
    from django.contrib.auth.models import Group
    from django.db.models import Count, Q

    from accounts.models import Membership
    from accounts.roles.definitions import ROLE_LABELS
    from core.models import AuditEvent

    statuses = list(Membership.objects.filter(tenant=tenant).values_list("user_id", "status"))
    active_ids = [user_id for user_id, status in statuses if status == Membership.Status.ACTIVE]
    suspended = len(statuses) - len(active_ids)
    roles = [
        {"name": row["name"], "label": ROLE_LABELS.get(row["name"], row["name"]), "count": row["n"]}
        for row in Group.objects.annotate(
            n=Count("members", filter=Q(members__user_id__in=active_ids))
        )
        .order_by("-n", "name")
        .values("name", "n")
    ]
    from accounts.selectors import tenant_seat_limit
    from billing.plans import BASE, PLANS

    plan = PLANS.get(tenant.plan) or PLANS[BASE]
    return {
        "plan_label": plan.name,
        "seat_limit": tenant_seat_limit(tenant),
        "members_active": len(active_ids),
        "members_suspended": suspended,
        "roles": roles,
        "recent_events": list(AuditEvent.objects.order_by("-created_at", "-id")[:8]),
    }
