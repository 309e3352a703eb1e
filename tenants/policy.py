"""The deactivation policy: one pass over the tenants that are due, run by Celery beat.

Never in a GET request. Each step asks the database only for the tenants it concerns, through the
(state, date) indexes, so a pass over any number of tenants with nothing due is a handful of
queries and no Stripe call:

1. trial ending within 3 days -> reminder e-mail (once);
2. trial over -> Stripe is asked if a subscription exists (the webhook may be late): it decides;
   with no subscription -> expired;
3. expired or canceled -> suspended, grace period TENANT_GRACE_DAYS (access blocked);
4. suspended, deletion within 7 days / 1 day -> reminder e-mails (each once);
5. grace over -> a live Stripe check: paying -> its state again (active); confirmed not paying ->
   cascade delete. Stripe unreachable or answering an error -> nothing deleted, the tenant stays
   suspended, the next run tries again (fail-safe);
6. archives past their retention are pruned.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from .lifecycle import (
    NOTICE_DELETION_1D,
    NOTICE_DELETION_7D,
    NOTICE_TRIAL_ENDING,
    TransitionNotAllowed,
    tenant_apply_subscription_status,
    tenant_notice_send,
    tenant_transition,
)
from .models import Tenant

logger = logging.getLogger(__name__)
State = Tenant.State

TRIAL_REMINDER = dt.timedelta(days=3)
PAYING = frozenset({"active", "trialing", "past_due"})


@dataclass
class PolicyReport:
    expired: list[str] = field(default_factory=list)
    suspended: list[str] = field(default_factory=list)
    reactivated: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    deferred: list[str] = field(default_factory=list)  # Stripe unreachable: retried next run
    errors: list[str] = field(default_factory=list)
    archives_pruned: int = 0

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _customers() -> QuerySet[Tenant]:
    return Tenant.objects.exclude(schema_name="public").order_by("pk")


def _default_live_status(tenant: Tenant) -> str | None:
    from billing.services import subscription_live_status

    return subscription_live_status(tenant=tenant)


def policy_run(
    *,
    now: dt.datetime | None = None,
    live_status: Callable[[Tenant], str | None] | None = None,
    delete: Callable[..., Any] | None = None,
) -> PolicyReport:
    """One pass of the policy. `live_status` asks Stripe (raises StripeUnavailable when it
    cannot); `delete` is the cascade delete. Both are parameters only so tests can watch them."""
    from billing.stripe_api import StripeUnavailable

    from .deletion import archives_prune, tenant_delete_cascade

    now = now or timezone.now()
    live_status = live_status or _default_live_status
    delete = delete or tenant_delete_cascade
    report = PolicyReport()

    def guarded(tenant: Tenant, step: str, action: Callable[[], Any]) -> Any:
        try:
            return action()
        except StripeUnavailable as error:
            logger.warning(
                "policy: %s for %s deferred, Stripe unavailable: %s", step, tenant.slug, error
            )
            report.deferred.append(tenant.slug)
        except TransitionNotAllowed as error:
            logger.info("policy: %s for %s skipped: %s", step, tenant.slug, error)
        except Exception:
            logger.exception("policy: %s for %s failed", step, tenant.slug)
            report.errors.append(tenant.slug)
        return None

    # 1. Trial ending soon.
    for tenant in (
        _customers()
        .filter(state=State.TRIAL, trial_ends_at__gt=now, trial_ends_at__lte=now + TRIAL_REMINDER)
        .exclude(notices__has_key=NOTICE_TRIAL_ENDING)
    ):
        if guarded(
            tenant,
            "trial reminder",
            partial(tenant_notice_send, tenant=tenant, notice=NOTICE_TRIAL_ENDING),
        ):
            report.notices.append(f"{tenant.slug}:{NOTICE_TRIAL_ENDING}")

    # 2. Trial over.
    for tenant in _customers().filter(state=State.TRIAL, trial_ends_at__lte=now):

        def end_trial(t: Tenant = tenant) -> None:
            status = live_status(t) if t.stripe_customer_id else None
            if status in PAYING:
                tenant_apply_subscription_status(tenant=t, status=status, reason="policy")
            else:
                tenant_transition(tenant=t, to_state=State.EXPIRED, reason="trial over")
                report.expired.append(t.slug)

        guarded(tenant, "trial end", end_trial)

    # 3. Expired or canceled -> suspended, the grace period starts.
    for tenant in _customers().filter(state__in=[State.EXPIRED, State.CANCELED]):

        def suspend(t: Tenant = tenant) -> None:
            tenant_transition(tenant=t, to_state=State.SUSPENDED, reason="not paying")
            report.suspended.append(t.slug)

        guarded(tenant, "suspend", suspend)

    # 4. Deletion reminders: 7 days and 1 day before.
    for notice, window in ((NOTICE_DELETION_1D, 1), (NOTICE_DELETION_7D, 7)):
        due = (
            _customers()
            .filter(
                state=State.SUSPENDED,
                grace_ends_at__gt=now,
                grace_ends_at__lte=now + dt.timedelta(days=window),
            )
            .exclude(notices__has_key=notice)
        )
        if notice == NOTICE_DELETION_7D:  # the 1-day reminder already told them
            due = due.exclude(notices__has_key=NOTICE_DELETION_1D)
        for tenant in due:
            if guarded(tenant, notice, partial(tenant_notice_send, tenant=tenant, notice=notice)):
                report.notices.append(f"{tenant.slug}:{notice}")

    # 5. Grace over: live check, then delete or reactivate.
    for tenant in _customers().filter(state=State.SUSPENDED, grace_ends_at__lte=now):

        def settle(t: Tenant = tenant) -> None:
            status = live_status(t)  # raises StripeUnavailable: nothing is deleted
            if status in PAYING:
                tenant_apply_subscription_status(tenant=t, status=status, reason="policy")
                report.reactivated.append(t.slug)
                return
            logger.info("policy: %s confirmed not paying (Stripe: %s): deleting", t.slug, status)
            delete(tenant=t, reason=f"grace over, Stripe status {status or 'none'}")
            report.deleted.append(t.slug)

        guarded(tenant, "grace end", settle)

    # 6. Old archives.
    try:
        report.archives_pruned = archives_prune(now=now)
    except OSError:
        logger.exception("policy: pruning archives failed")
    return report


def tenants_due_count(*, now: dt.datetime | None = None) -> int:
    """How many tenants the next pass would touch (for monitoring)."""
    now = now or timezone.now()
    return (
        _customers()
        .filter(
            Q(state=State.TRIAL, trial_ends_at__lte=now + TRIAL_REMINDER)
            | Q(state__in=[State.EXPIRED, State.CANCELED])
            | Q(state=State.SUSPENDED, grace_ends_at__lte=now + dt.timedelta(days=7))
        )
        .count()
    )
