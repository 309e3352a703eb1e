"""Billing fixtures (loaded by the root conftest.py as a plugin, so tenants tests use them too):
a fake Stripe the real library talks to, and signed webhook deliveries."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from billing.tests.fake_stripe import FakeStripe, event_payload, sign_payload

WEBHOOK_SECRET = "whsec_test_secret"
PRICES = {"base": "price_base_test", "pro": "price_pro_test", "company": "price_company_test"}


@pytest.fixture
def fake_stripe(settings: Any) -> Iterator[FakeStripe]:
    """A running fake Stripe API, with the plan prices, and settings pointing at it."""
    fake = FakeStripe().start()
    fake.add_price(PRICES["base"], amount=1900)
    fake.add_price(PRICES["pro"], amount=4900)
    fake.add_price(PRICES["company"], amount=14900)
    settings.STRIPE_API_BASE = fake.url
    settings.STRIPE_SECRET_KEY = "sk_test_fake"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_PRICE_BASE = PRICES["base"]
    settings.STRIPE_PRICE_PRO = PRICES["pro"]
    settings.STRIPE_PRICE_COMPANY = PRICES["company"]
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture
def deliver(client: Any) -> Callable[..., Any]:
    """POST a Stripe event to the webhook endpoint, signed as Stripe signs it."""

    def send(
        event_type: str,
        obj: dict[str, Any],
        *,
        event_id: str | None = None,
        secret: str = WEBHOOK_SECRET,
    ) -> Any:
        payload = event_payload(event_type, obj, event_id=event_id)
        return client.post(
            "/stripe/webhook/",
            data=payload,
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE=sign_payload(payload, secret),
        )

    return send


@pytest.fixture
def subscribed(tenant: Any, owner: Any, fake_stripe: FakeStripe) -> Callable[..., Any]:
    """Give `tenant` a Stripe customer and a subscription in `status` (on the fake)."""
    from billing.services import billing_customer_ensure

    def make(status: str = "active", plan: str = "base") -> dict[str, Any]:
        customer = billing_customer_ensure(tenant=tenant)
        return fake_stripe.create_subscription(
            customer=customer,
            price=PRICES[plan],
            status=status,
            metadata={"tenant_id": str(tenant.pk)},
        )

    return make
