"""Writes on billing: the Stripe customer, Checkout, the portal, plan changes, webhook events.

Stripe is the authority: after anything that may change a subscription, the subscription is
fetched again from Stripe and its status applied to the tenant through the one lifecycle mapping
(tenants.lifecycle.tenant_apply_subscription_status). Event payloads are only used to learn which
subscription to fetch, so events arriving out of order end in Stripe's current state.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

import stripe
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services import audit_record
from tenants.lifecycle import tenant_apply_subscription_status
from tenants.models import Tenant

from .models import WebhookEvent
from .plans import PLANS, plan_for_price, plan_get
from .stripe_api import StripeUnavailable, stripe_call

logger = logging.getLogger(__name__)

PAYING_STATUSES = frozenset({"trialing", "active", "past_due"})
# Stripe refuses a trial_end less than 48 hours ahead.
MIN_TRIAL_LEFT = dt.timedelta(hours=48)


def _ts(value: Any) -> dt.datetime | None:
    return dt.datetime.fromtimestamp(int(value), tz=dt.UTC) if value else None


def billing_active_seats(*, tenant: Tenant) -> int:
    from accounts.models import Membership

    return Membership.objects.filter(tenant=tenant, status=Membership.Status.ACTIVE).count()


def billing_customer_ensure(*, tenant: Tenant) -> str:
    """The tenant's Stripe customer id, creating the customer the first time."""
    if tenant.stripe_customer_id:
        return tenant.stripe_customer_id
    customer = stripe_call(
        stripe.Customer.create,
        email=tenant.email or None,
        name=tenant.name,
        metadata={"tenant_id": str(tenant.pk), "tenant_slug": tenant.slug},
    )
    Tenant.objects.filter(pk=tenant.pk).update(stripe_customer_id=customer["id"])
    tenant.stripe_customer_id = customer["id"]
    return str(customer["id"])


def checkout_start(
    *, tenant: Tenant, plan_code: str, success_url: str, cancel_url: str, actor: Any = None
) -> str:
    """Open a Checkout session (subscription mode) for `plan_code`; return its URL.

    A tenant still on its trial keeps the days it has left (subscription_data.trial_end), as long
    as Stripe accepts them (at least 48 hours ahead).
    """
    plan = plan_get(plan_code)
    if not plan.price_id:
        raise ValidationError(
            _("The %(plan)s plan has no Stripe price configured.") % {"plan": plan.name}
        )
    customer_id = billing_customer_ensure(tenant=tenant)
    subscription_data: dict[str, Any] = {"metadata": {"tenant_id": str(tenant.pk)}}
    if (
        tenant.state == Tenant.State.TRIAL
        and tenant.trial_ends_at
        and tenant.trial_ends_at - timezone.now() > MIN_TRIAL_LEFT
    ):
        subscription_data["trial_end"] = int(tenant.trial_ends_at.timestamp())
    session = stripe_call(
        stripe.checkout.Session.create,
        mode="subscription",
        customer=customer_id,
        client_reference_id=str(tenant.pk),
        line_items=[{"price": plan.price_id, "quantity": 1}],
        subscription_data=subscription_data,
        metadata={"tenant_id": str(tenant.pk), "plan": plan.code},
        success_url=success_url,
        cancel_url=cancel_url,
    )
    audit_record(
        action="billing.checkout_started",
        actor=actor,
        target=tenant,
        after={"plan": plan.code, "session": session["id"]},
    )
    return str(session["url"])


def checkout_complete(*, tenant: Tenant, session_id: str, actor: Any = None) -> Tenant:
    """The success return: fetch the session, check it is this tenant's, sync its subscription."""
    try:
        session: Any = stripe_call(stripe.checkout.Session.retrieve, session_id)
    except stripe.InvalidRequestError as error:
        raise PermissionDenied(_("Unknown checkout session.")) from error
    if not _session_belongs_to(session, tenant):
        raise PermissionDenied(_("This checkout session belongs to another workspace."))
    if not session.get("subscription"):
        raise ValidationError(_("The payment is not complete yet."))
    return subscription_sync(
        tenant=tenant,
        subscription_id=str(session["subscription"]),
        actor=actor,
        reason="checkout",
    )


def _session_belongs_to(session: Any, tenant: Tenant) -> bool:
    reference = session.get("client_reference_id") or (session.get("metadata") or {}).get(
        "tenant_id"
    )
    customer = session.get("customer")
    return str(reference) == str(tenant.pk) and (
        not tenant.stripe_customer_id or customer == tenant.stripe_customer_id
    )


def _price_id(subscription: Any) -> str:
    items = (subscription.get("items") or {}).get("data") or []
    if not items:
        return ""
    price = items[0].get("price") or {}
    return str(price.get("id") if isinstance(price, dict) or hasattr(price, "get") else price)


def subscription_period_end(subscription: Any) -> dt.datetime | None:
    """The renewal date: on the subscription item (new API versions) or the subscription."""
    items = (subscription.get("items") or {}).get("data") or []
    value = (items[0].get("current_period_end") if items else None) or subscription.get(
        "current_period_end"
    )
    return _ts(value)


@transaction.atomic
def subscription_sync(
    *, tenant: Tenant, subscription_id: str, actor: Any = None, reason: str = ""
) -> Tenant:
    """Fetch the subscription from Stripe NOW and make the tenant match it: plan, ids, state."""
    subscription: Any = stripe_call(stripe.Subscription.retrieve, subscription_id)
    if tenant.stripe_customer_id and subscription["customer"] != tenant.stripe_customer_id:
        raise PermissionDenied(_("This subscription belongs to another customer."))
    locked = Tenant.objects.select_for_update().get(pk=tenant.pk)
    updates: dict[str, Any] = {}
    if not locked.stripe_customer_id:
        updates["stripe_customer_id"] = subscription["customer"]
    status = str(subscription["status"])
    # A canceled subscription does not replace a live one the tenant holds (an old event).
    if locked.stripe_subscription_id != subscription_id and (
        status in PAYING_STATUSES or not locked.stripe_subscription_id
    ):
        updates["stripe_subscription_id"] = subscription_id
    elif locked.stripe_subscription_id and locked.stripe_subscription_id != subscription_id:
        logger.info("tenant %s: ignoring old subscription %s", tenant.slug, subscription_id)
        return locked
    plan = plan_for_price(_price_id(subscription))
    if plan is not None and plan.code != locked.plan:
        updates["plan"] = plan.code
    if updates:
        for field, value in updates.items():
            setattr(locked, field, value)
        locked.save(update_fields=[*updates, "updated_at"])
        audit_record(
            action="billing.subscription_linked",
            actor=actor,
            target=locked,
            after={k: str(v) for k, v in updates.items()},
        )
    _mirror(subscription)
    trial_end = _ts(subscription.get("trial_end")) if status == "trialing" else None
    tenant_apply_subscription_status(
        tenant=locked,
        status=status,
        actor=actor,
        reason=reason or f"stripe:{status}",
        trial_ends_at=trial_end,
    )
    locked.refresh_from_db()
    for field in (
        "state",
        "plan",
        "stripe_customer_id",
        "stripe_subscription_id",
        "trial_ends_at",
        "grace_ends_at",
    ):
        setattr(tenant, field, getattr(locked, field))
    return locked


def _mirror(subscription: Any) -> None:
    """Keep dj-stripe's mirror (read by the superadmin and MRR) current; never decisive."""
    try:
        from djstripe.models import Subscription

        with transaction.atomic():
            Subscription.sync_from_stripe_data(subscription)
    except Exception as error:  # the mirror is a convenience: billing decisions use Stripe's data
        logger.warning("dj-stripe mirror of %s failed: %s", subscription.get("id"), error)


def subscription_live_status(*, tenant: Tenant) -> str | None:
    """Ask Stripe now whether the tenant pays: the best status of its subscriptions, or None.

    Raises StripeUnavailable when Stripe cannot say: the caller must then decide nothing.
    """
    customer_ids = [tenant.stripe_customer_id] if tenant.stripe_customer_id else []
    if not customer_ids:
        found: Any = stripe_call(
            stripe.Customer.search, query=f"metadata['tenant_id']:'{tenant.pk}'"
        )
        customer_ids = [c["id"] for c in found.get("data", [])]
    statuses: list[str] = []
    for customer_id in customer_ids:
        subscriptions: Any = stripe_call(
            stripe.Subscription.list, customer=customer_id, status="all", limit=20
        )
        statuses += [str(s["status"]) for s in subscriptions.get("data", [])]
    for status in ("active", "trialing", "past_due"):
        if status in statuses:
            return status
    return statuses[0] if statuses else None


def portal_open(*, tenant: Tenant, return_url: str) -> str:
    customer_id = billing_customer_ensure(tenant=tenant)
    session = stripe_call(
        stripe.billing_portal.Session.create, customer=customer_id, return_url=return_url
    )
    return str(session["url"])


def _live_subscription(tenant: Tenant) -> Any:
    if not tenant.stripe_subscription_id:
        raise ValidationError(_("This workspace has no subscription yet: choose a plan first."))
    return stripe_call(stripe.Subscription.retrieve, tenant.stripe_subscription_id)


def plan_change(*, tenant: Tenant, plan_code: str, actor: Any = None) -> Tenant:
    """Switch the subscription to another plan, prorated. Refused below the members in use."""
    plan = plan_get(plan_code)
    seats = billing_active_seats(tenant=tenant)
    if seats > plan.seats:
        raise ValidationError(
            _(
                "The %(plan)s plan has %(limit)s seats but this workspace has %(seats)s active "
                "members. Remove %(extra)s member(s) first, then change plan."
            )
            % {"plan": plan.name, "limit": plan.seats, "seats": seats, "extra": seats - plan.seats},
            code="too_many_seats",
        )
    if not plan.price_id:
        raise ValidationError(
            _("The %(plan)s plan has no Stripe price configured.") % {"plan": plan.name}
        )
    subscription = _live_subscription(tenant)
    item = subscription["items"]["data"][0]
    stripe_call(
        stripe.Subscription.modify,
        subscription["id"],
        items=[{"id": item["id"], "price": plan.price_id}],
        proration_behavior="create_prorations",
    )
    audit_record(
        action="billing.plan_changed",
        actor=actor,
        target=tenant,
        before={"plan": tenant.plan},
        after={"plan": plan.code},
    )
    return subscription_sync(
        tenant=tenant, subscription_id=subscription["id"], actor=actor, reason="plan change"
    )


def subscription_cancel(*, tenant: Tenant, actor: Any = None) -> Tenant:
    """Cancel at the end of the paid period: access continues until then."""
    subscription = _live_subscription(tenant)
    stripe_call(stripe.Subscription.modify, subscription["id"], cancel_at_period_end=True)
    audit_record(action="billing.cancel_requested", actor=actor, target=tenant)
    return subscription_sync(
        tenant=tenant,
        subscription_id=subscription["id"],
        actor=actor,
        reason="cancel at period end",
    )


def subscription_reactivate(*, tenant: Tenant, actor: Any = None) -> Tenant:
    """Undo a pending cancellation. A subscription that already ended needs a new Checkout."""
    subscription = _live_subscription(tenant)
    if subscription["status"] == "canceled":
        raise ValidationError(_("The subscription has ended: choose a plan to subscribe again."))
    stripe_call(stripe.Subscription.modify, subscription["id"], cancel_at_period_end=False)
    audit_record(action="billing.reactivated", actor=actor, target=tenant)
    return subscription_sync(
        tenant=tenant, subscription_id=subscription["id"], actor=actor, reason="reactivated"
    )


# --- Webhooks ------------------------------------------------------------------------------------

SUBSCRIPTION_EVENTS = frozenset(
    {
        "customer.subscription.created",
        "customer.subscription.updated",
        "customer.subscription.deleted",
        "customer.subscription.paused",
        "customer.subscription.resumed",
    }
)
INVOICE_EVENTS = frozenset({"invoice.paid", "invoice.payment_failed"})
HANDLED_EVENTS = SUBSCRIPTION_EVENTS | INVOICE_EVENTS | {"checkout.session.completed"}


def _tenant_for(obj: Any) -> Tenant | None:
    metadata = obj.get("metadata") or {}
    reference = obj.get("client_reference_id") or metadata.get("tenant_id")
    if reference and str(reference).isdigit():
        tenant = Tenant.objects.filter(pk=int(reference)).first()
        if tenant is not None:
            return tenant
    customer = obj.get("customer")
    if customer:
        return Tenant.objects.filter(stripe_customer_id=customer).first()
    return None


def _invoice_subscription(invoice: Any) -> str | None:
    if invoice.get("subscription"):
        return str(invoice["subscription"])
    details = (invoice.get("parent") or {}).get("subscription_details") or {}
    return details.get("subscription")


@transaction.atomic
def webhook_event_receive(*, event: Any) -> bool:
    """Store a verified event and process it, once per event id. False for a redelivery.

    Storing and processing share one transaction: if processing fails (Stripe unreachable while
    re-fetching), nothing is stored, the view answers 500 and Stripe delivers the event again.
    """
    record, created = WebhookEvent.objects.get_or_create(
        event_id=event["id"],
        defaults={
            "type": event["type"],
            "livemode": bool(event.get("livemode")),
            "payload": json.loads(json.dumps(event.to_dict(), default=str)),
        },
    )
    if not created:
        return False
    obj = event["data"]["object"]
    tenant = _tenant_for(obj)
    if event["type"] in HANDLED_EVENTS and tenant is not None:
        subscription_id: str | None = None
        if event["type"] == "checkout.session.completed":
            subscription_id = obj.get("subscription")
        elif event["type"] in SUBSCRIPTION_EVENTS:
            subscription_id = obj["id"]
        else:
            subscription_id = _invoice_subscription(obj)
        if subscription_id:
            subscription_sync(
                tenant=tenant, subscription_id=str(subscription_id), reason=event["type"]
            )
    elif event["type"] in HANDLED_EVENTS:
        logger.warning("Stripe event %s (%s) matches no tenant", event["id"], event["type"])
    record.tenant = tenant
    record.processed_at = timezone.now()
    record.save(update_fields=["tenant", "processed_at"])
    return True


__all__ = [
    "PLANS",
    "StripeUnavailable",
    "billing_customer_ensure",
    "checkout_complete",
    "checkout_start",
    "plan_change",
    "portal_open",
    "subscription_cancel",
    "subscription_live_status",
    "subscription_reactivate",
    "subscription_sync",
    "webhook_event_receive",
]
