"""Stripe webhooks: verified by the real library, stored and processed once, Stripe decides."""

from __future__ import annotations

import pytest

from billing.models import WebhookEvent
from core.models import AuditEvent
from tenants.models import Tenant

pytestmark = pytest.mark.usefixtures("email_eager")


def test_a_bad_signature_gets_400_and_stores_nothing(deliver, tenant, fake_stripe):
    response = deliver(
        "customer.subscription.updated",
        {"id": "sub_x", "object": "subscription"},
        secret="whsec_wrong",
    )
    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()


def test_a_missing_signature_gets_400(client, db, fake_stripe):
    response = client.post("/stripe/webhook/", data="{}", content_type="application/json")
    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()


def test_an_event_delivered_three_times_has_one_effect(deliver, tenant, owner, subscribed):
    subscription = subscribed("active")
    responses = [
        deliver("customer.subscription.created", subscription, event_id="evt_same")
        for _ in range(3)
    ]
    assert [r.status_code for r in responses] == [200, 200, 200]
    assert [r.json()["duplicate"] for r in responses] == [False, True, True]
    assert WebhookEvent.objects.filter(event_id="evt_same").count() == 1
    tenant.refresh_from_db()
    assert tenant.state == Tenant.State.ACTIVE
    assert tenant.stripe_subscription_id == subscription["id"]
    assert AuditEvent.objects.filter(action="tenant.state_changed").count() == 1


def test_out_of_order_events_end_in_stripes_current_state(
    deliver, tenant, owner, subscribed, fake_stripe
):
    """A stale "active" event arriving after the cancellation leaves the tenant canceled."""
    subscription = subscribed("active")
    stale_snapshot = dict(subscription)
    fake_stripe.set_status(subscription["id"], "canceled")
    deliver("customer.subscription.deleted", fake_stripe.subscriptions[subscription["id"]])
    deliver("customer.subscription.updated", {**stale_snapshot, "status": "active"})
    tenant.refresh_from_db()
    assert tenant.state == Tenant.State.CANCELED


def test_payment_failed_moves_to_past_due_keeping_access(
    deliver, tenant, owner, subscribed, fake_stripe, mailoutbox, django_capture_on_commit_callbacks
):
    subscription = subscribed("active")
    deliver("customer.subscription.created", subscription)
    fake_stripe.set_status(subscription["id"], "past_due")
    invoice = {
        "id": "in_1",
        "object": "invoice",
        "customer": subscription["customer"],
        "subscription": subscription["id"],
        "status": "open",
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver("invoice.payment_failed", invoice).status_code == 200
    tenant.refresh_from_db()
    assert tenant.state == Tenant.State.PAST_DUE
    assert any("Payment failed" in m.subject for m in mailoutbox)


def test_paused_suspends_and_resumed_reactivates(deliver, tenant, owner, subscribed, fake_stripe):
    subscription = subscribed("active")
    deliver("customer.subscription.created", subscription)
    fake_stripe.set_status(subscription["id"], "paused")
    deliver("customer.subscription.paused", subscription)
    tenant.refresh_from_db()
    assert tenant.state == Tenant.State.SUSPENDED
    assert tenant.grace_ends_at is not None
    fake_stripe.set_status(subscription["id"], "active")
    deliver("customer.subscription.resumed", subscription)
    tenant.refresh_from_db()
    assert tenant.state == Tenant.State.ACTIVE
    assert tenant.grace_ends_at is None


def test_checkout_completed_links_the_subscription(deliver, tenant, owner, fake_stripe):
    from billing.services import checkout_start

    url = checkout_start(
        tenant=tenant, plan_code="pro", success_url="http://x/s", cancel_url="http://x/c"
    )
    session_id = url.rsplit("/", 1)[1]
    session = fake_stripe.complete_checkout(session_id)
    deliver("checkout.session.completed", session)
    tenant.refresh_from_db()
    assert tenant.plan == "pro"
    assert tenant.state == Tenant.State.TRIAL  # the remaining trial is honoured
    assert tenant.stripe_subscription_id == session["subscription"]


def test_invoice_paid_for_an_unknown_customer_is_stored_and_ignored(deliver, db, fake_stripe):
    response = deliver("invoice.paid", {"id": "in_2", "object": "invoice", "customer": "cus_nope"})
    assert response.status_code == 200
    assert WebhookEvent.objects.get().tenant is None


def test_a_replayed_old_delivery_is_refused(client, db, fake_stripe):
    """A correctly signed payload captured an hour ago is refused (timestamp tolerance)."""
    import time

    from billing.tests.fake_stripe import event_payload, sign_payload
    from billing.tests.fixtures import WEBHOOK_SECRET

    payload = event_payload("invoice.paid", {"id": "in_old", "object": "invoice"})
    old = sign_payload(payload, WEBHOOK_SECRET, timestamp=int(time.time()) - 3600)
    response = client.post(
        "/stripe/webhook/",
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=old,
    )
    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()
    fresh = sign_payload(payload, WEBHOOK_SECRET)
    response = client.post(
        "/stripe/webhook/",
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=fresh,
    )
    assert response.status_code == 200
    assert WebhookEvent.objects.count() == 1
