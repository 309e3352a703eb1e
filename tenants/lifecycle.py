"""The tenant lifecycle state machine: one service moves a tenant between states.

Every change of `Tenant.state` goes through `tenant_transition`: the table below says which moves
are allowed; the service locks the row, saves only what it changed, writes an audit event in the
public schema and in the tenant's own, and e-mails the owners after commit. Stripe webhooks,
the deactivation policy (tenants/policy.py), the superadmin and `restore_tenant` all call it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context, schema_exists

from core.services import audit_record, email_send

from .models import Tenant

logger = logging.getLogger(__name__)

State = Tenant.State

# from-state -> the states it may move to. Anything else raises TransitionNotAllowed.
TRANSITIONS: dict[str, frozenset[str]] = {
    State.TRIAL: frozenset(
        {State.ACTIVE, State.PAST_DUE, State.EXPIRED, State.CANCELED, State.SUSPENDED}
    ),
    State.ACTIVE: frozenset({State.PAST_DUE, State.CANCELED, State.SUSPENDED}),
    State.PAST_DUE: frozenset({State.ACTIVE, State.CANCELED, State.SUSPENDED}),
    # An operator may extend the trial of an expired/canceled/suspended tenant; paying brings any
    # of them back to active.
    State.EXPIRED: frozenset({State.TRIAL, State.ACTIVE, State.CANCELED, State.SUSPENDED}),
    State.CANCELED: frozenset({State.TRIAL, State.ACTIVE, State.SUSPENDED}),
    State.SUSPENDED: frozenset({State.TRIAL, State.ACTIVE, State.PAST_DUE, State.DELETED}),
    # Only `restore_tenant` leaves "deleted": the tenant comes back suspended, to reactivate.
    State.DELETED: frozenset({State.SUSPENDED}),
}
# "deleted" is reached by the cascade delete only: from "suspended" by the policy (grace over),
# from any state by an operator's "delete now" in the superadmin.
for _state in (State.TRIAL, State.ACTIVE, State.PAST_DUE, State.EXPIRED, State.CANCELED):
    TRANSITIONS[_state] = TRANSITIONS[_state] | {State.DELETED}

# Notice keys recorded in Tenant.notices so that each reminder goes once per period.
NOTICE_TRIAL_ENDING = "trial_ending"
NOTICE_DELETION_7D = "deletion_7d"
NOTICE_DELETION_1D = "deletion_1d"


class TransitionNotAllowed(ValidationError):
    """The state machine has no edge from the tenant's state to the requested one."""


def transition_allowed(from_state: str, to_state: str) -> bool:
    return to_state in TRANSITIONS.get(from_state, frozenset())


def grace_period() -> dt.timedelta:
    return dt.timedelta(days=settings.TENANT_GRACE_DAYS)


def tenant_owner_emails(*, tenant: Tenant) -> list[str]:
    """E-mails of the members holding the "owner" role in the tenant's schema, oldest first."""
    from accounts.roles.definitions import OWNER
    from accounts.roles.models import Member

    if tenant.is_public or not schema_exists(tenant.schema_name):
        return []
    with schema_context(tenant.schema_name):
        return list(
            Member.objects.filter(roles__name=OWNER, user__is_active=True)
            .order_by("created_at", "id")
            .values_list("user__email", flat=True)
            .distinct()
        )


def _date(value: dt.datetime | None) -> str:
    return date_format(timezone.localtime(value), "DATE_FORMAT") if value else ""


def _email_owners(
    *, tenant: Tenant, recipients: list[str], compose: Callable[[], tuple[str, str]]
) -> None:
    """E-mail the owners, each in their profile's language (else the site's).

    `compose` builds the subject and body; it runs once per language, inside that language.
    """
    if not recipients:
        logger.info("tenant %s has no owner to e-mail", tenant.slug)
        return
    from accounts.models import User

    languages = dict(User.objects.filter(email__in=recipients).values_list("email", "language"))
    by_language: dict[str, list[str]] = {}
    for email in recipients:
        by_language.setdefault(languages.get(email) or settings.LANGUAGE_CODE, []).append(email)
    for language, emails in by_language.items():
        with translation.override(language):
            subject, body = compose()
            footer = _("Billing: %(url)s") % {"url": f"{settings.SITE_URL}{tenant.path}billing/"}
        email_send(to=emails, subject=subject, body=f"{body}\n\n{footer}\n")


def _state_email(tenant: Tenant, to_state: str) -> tuple[str, str] | None:
    """Subject and body of the e-mail that entering `to_state` sends, if any."""
    name = tenant.name
    if to_state == State.PAST_DUE:
        return (
            _("Payment failed for %(name)s") % {"name": name},
            _(
                "The last payment for %(name)s failed. Access continues while Stripe retries; "
                "please update the payment method from the billing page."
            )
            % {"name": name},
        )
    if to_state == State.SUSPENDED:
        return (
            _("%(name)s is suspended") % {"name": name},
            _(
                "%(name)s is suspended: its members cannot use it. Its data will be deleted on "
                "%(date)s unless an owner reactivates the subscription before then."
            )
            % {"name": name, "date": _date(tenant.grace_ends_at)},
        )
    if to_state == State.DELETED:
        return (
            _("%(name)s has been deleted") % {"name": name},
            _(
                "%(name)s and its data have been deleted after the grace period. An archive is "
                "kept for %(days)s days: contact support to restore it."
            )
            % {"name": name, "days": settings.TENANT_ARCHIVE_RETENTION_DAYS},
        )
    return None


@transaction.atomic
def tenant_transition(
    *,
    tenant: Tenant,
    to_state: str,
    actor: Any = None,
    reason: str = "",
    trial_ends_at: dt.datetime | None = None,
    grace_ends_at: dt.datetime | None = None,
    recipients: list[str] | None = None,
) -> Tenant:
    """Move `tenant` to `to_state` if the table allows it; return the updated row.

    Staying in the same state is a no-op (webhooks repeat themselves). Entering "suspended" starts
    the grace period (`grace_ends_at`, default now + TENANT_GRACE_DAYS); leaving it for a paying or
    trial state clears it. `trial_ends_at` is for extending a trial. `recipients` overrides the
    owners' addresses (the cascade delete reads them before it drops the schema).
    Raises TransitionNotAllowed for a move the table does not have.
    """
    locked = Tenant.objects.select_for_update().get(pk=tenant.pk)
    from_state = locked.state
    if from_state == to_state and trial_ends_at is None and grace_ends_at is None:
        return locked
    if from_state != to_state and not transition_allowed(from_state, to_state):
        raise TransitionNotAllowed(
            _("A tenant cannot go from %(from)s to %(to)s.") % {"from": from_state, "to": to_state},
            code="transition_not_allowed",
        )
    now = timezone.now()
    before = {
        "state": from_state,
        "trial_ends_at": locked.trial_ends_at.isoformat() if locked.trial_ends_at else None,
        "grace_ends_at": locked.grace_ends_at.isoformat() if locked.grace_ends_at else None,
    }
    changed = {"state", "updated_at"}
    locked.state = to_state
    if to_state == State.SUSPENDED:
        locked.grace_ends_at = grace_ends_at or (
            locked.grace_ends_at
            if from_state == State.SUSPENDED and locked.grace_ends_at
            else now + grace_period()
        )
        locked.notices = {
            k: v
            for k, v in locked.notices.items()
            if k not in (NOTICE_DELETION_7D, NOTICE_DELETION_1D)
        }
        changed |= {"grace_ends_at", "notices"}
    elif (
        to_state in (State.TRIAL, State.ACTIVE, State.PAST_DUE) and locked.grace_ends_at is not None
    ):
        locked.grace_ends_at = None
        changed.add("grace_ends_at")
    if trial_ends_at is not None:
        locked.trial_ends_at = trial_ends_at
        locked.notices = {k: v for k, v in locked.notices.items() if k != NOTICE_TRIAL_ENDING}
        changed |= {"trial_ends_at", "notices"}
    locked.save(update_fields=sorted(changed))

    after = {
        "state": to_state,
        "trial_ends_at": locked.trial_ends_at.isoformat() if locked.trial_ends_at else None,
        "grace_ends_at": locked.grace_ends_at.isoformat() if locked.grace_ends_at else None,
        "reason": reason,
    }
    audit_record(
        action="tenant.state_changed", actor=actor, target=locked, before=before, after=after
    )
    if schema_exists(locked.schema_name):
        with schema_context(locked.schema_name):
            audit_record(
                action="tenant.state_changed",
                actor=actor,
                target=locked,
                before=before,
                after=after,
            )
    if from_state != to_state and _state_email(locked, to_state) is not None:
        owners = recipients if recipients is not None else tenant_owner_emails(tenant=locked)
        _email_owners(
            tenant=locked,
            recipients=owners,
            compose=lambda: _state_email(locked, to_state) or ("", ""),
        )
    logger.info("tenant %s: %s -> %s (%s)", locked.slug, from_state, to_state, reason)
    # The caller's object reflects the new state too.
    for field in ("state", "trial_ends_at", "grace_ends_at", "notices", "updated_at"):
        setattr(tenant, field, getattr(locked, field))
    return locked


@transaction.atomic
def tenant_notice_send(*, tenant: Tenant, notice: str) -> bool:
    """Send one reminder e-mail (trial ending, deletion in 7 days / 1 day) at most once.

    Returns False if it had already been sent in this period (recorded in Tenant.notices).
    """
    locked = Tenant.objects.select_for_update().get(pk=tenant.pk)
    if notice in locked.notices:
        return False
    if notice not in (NOTICE_TRIAL_ENDING, NOTICE_DELETION_7D, NOTICE_DELETION_1D):
        raise ValueError(f"unknown notice {notice!r}")

    def compose() -> tuple[str, str]:
        name = locked.name
        if notice == NOTICE_TRIAL_ENDING:
            subject = _("Your trial of %(name)s ends soon") % {"name": name}
            body = _(
                "The trial of %(name)s ends on %(date)s. Choose a plan on the billing page to "
                "keep using it."
            ) % {"name": name, "date": _date(locked.trial_ends_at)}
            return subject, body
        days = 7 if notice == NOTICE_DELETION_7D else 1
        subject = _("%(name)s will be deleted in %(days)s day(s)") % {"name": name, "days": days}
        body = _(
            "%(name)s is suspended and its data will be deleted on %(date)s. Reactivate the "
            "subscription from the billing page to keep it."
        ) % {"name": name, "date": _date(locked.grace_ends_at)}
        return subject, body

    locked.notices = {**locked.notices, notice: timezone.now().isoformat()}
    locked.save(update_fields=["notices", "updated_at"])
    audit_record(action=f"tenant.notice.{notice}", target=locked)
    _email_owners(tenant=locked, recipients=tenant_owner_emails(tenant=locked), compose=compose)
    tenant.notices = locked.notices
    return True


# Stripe's subscription status -> the tenant's state. "incomplete" (first payment pending) moves
# nothing; "paused" (a trial that ended without a payment method) blocks access like a suspension.
STRIPE_STATUS_TO_STATE: dict[str, str] = {
    "trialing": State.TRIAL,
    "active": State.ACTIVE,
    "past_due": State.PAST_DUE,
    "unpaid": State.CANCELED,
    "incomplete_expired": State.CANCELED,
    "canceled": State.CANCELED,
    "paused": State.SUSPENDED,
}


def tenant_apply_subscription_status(
    *,
    tenant: Tenant,
    status: str | None,
    actor: Any = None,
    reason: str = "",
    trial_ends_at: dt.datetime | None = None,
) -> Tenant:
    """Bring the tenant's state in line with Stripe's subscription status: the one mapping.

    `status` None means "no subscription at all". A mapped state the table does not allow from
    the current one is left alone and logged (for example Stripe's "canceled" for a tenant that is
    already suspended and counting down its grace period).
    """
    target = STRIPE_STATUS_TO_STATE.get(status or "")
    if target is None:
        return tenant
    current = Tenant.objects.only("state").get(pk=tenant.pk).state
    if target == current:
        if target == State.TRIAL and trial_ends_at and trial_ends_at != tenant.trial_ends_at:
            return tenant_transition(
                tenant=tenant,
                to_state=target,
                actor=actor,
                reason=reason,
                trial_ends_at=trial_ends_at,
            )
        return tenant
    if not transition_allowed(current, target):
        logger.info(
            "tenant %s: Stripe status %s maps to %s, not reachable from %s; left as is",
            tenant.slug,
            status,
            target,
            current,
        )
        return tenant
    return tenant_transition(
        tenant=tenant,
        to_state=target,
        actor=actor,
        reason=reason or f"stripe:{status}",
        trial_ends_at=trial_ends_at if target == State.TRIAL else None,
    )
