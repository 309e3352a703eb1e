"""Reads for billing pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import stripe

from tenants.models import Tenant

from .services import subscription_period_end
from .stripe_api import stripe_call


def billing_summary(*, tenant: Tenant) -> dict[str, Any]:
    """What the billing page shows, fetched from Stripe (the authority) when there is a customer.

    Raises StripeUnavailable if Stripe cannot answer.
    """
    summary: dict[str, Any] = {"subscription": None, "renews_at": None, "invoices": []}
    if tenant.stripe_subscription_id:
        subscription: Any = stripe_call(stripe.Subscription.retrieve, tenant.stripe_subscription_id)
        summary["subscription"] = subscription
        summary["renews_at"] = subscription_period_end(subscription)
        summary["cancel_at_period_end"] = bool(subscription.get("cancel_at_period_end"))
    if tenant.stripe_customer_id:
        invoices: Any = stripe_call(
            stripe.Invoice.list, customer=tenant.stripe_customer_id, limit=12
        )
        summary["invoices"] = [
            {
                "number": invoice.get("number"),
                "created": dt.datetime.fromtimestamp(int(invoice["created"]), tz=dt.UTC),
                "amount": (invoice.get("amount_paid") or invoice.get("amount_due") or 0) / 100,
                "currency": str(invoice.get("currency", "")).upper(),
                "status": invoice.get("status"),
                "url": invoice.get("hosted_invoice_url"),
            }
            for invoice in invoices.get("data", [])
        ]
    return summary
