"""Owners' billing pages and the public pricing page."""

from __future__ import annotations

import pytest

from billing.plans import PLANS
from tenants.models import Tenant

pytestmark = pytest.mark.usefixtures("email_eager")


def test_pricing_page_lists_every_plan(client, db):
    response = client.get("/pricing/")
    assert response.status_code == 200
    for plan in PLANS.values():
        assert str(plan.name) in response.content.decode()
    assert "30 seats" in response.content.decode()


def test_billing_page_is_for_owners_only(client, tenant, owner, member_factory, fake_stripe):
    staff = member_factory(tenant, "member", "staff@acme.example")
    client.force_login(staff)
    assert client.get("/t/acme/billing/").status_code == 403
    client.force_login(owner)
    response = client.get("/t/acme/billing/")
    assert response.status_code == 200
    assert "Invoices" in response.content.decode()


def test_checkout_redirects_to_stripe_and_success_syncs(client, tenant, owner, fake_stripe):
    client.force_login(owner)
    response = client.post("/t/acme/billing/checkout/", {"plan": "base"})
    assert response.status_code == 302
    assert response["Location"].startswith("https://checkout.stripe.test/")
    session_id = response["Location"].rsplit("/", 1)[1]
    session = fake_stripe.checkout_sessions[session_id]
    assert "trial_end" in session["_subscription_data"]
    fake_stripe.complete_checkout(session_id, status="active")
    response = client.get(f"/t/acme/billing/checkout/success/?session_id={session_id}")
    assert response.status_code == 302
    tenant.refresh_from_db()
    assert tenant.state == Tenant.State.ACTIVE
    page = client.get("/t/acme/billing/").content.decode()
    assert "FAKE-" in page  # the invoice from Stripe


def test_success_return_refuses_another_tenants_session(
    client, tenant, owner, other_tenant, fake_stripe
):
    from billing.services import checkout_start

    url = checkout_start(
        tenant=other_tenant, plan_code="base", success_url="http://x/s", cancel_url="http://x/c"
    )
    session_id = url.rsplit("/", 1)[1]
    fake_stripe.complete_checkout(session_id)
    client.force_login(owner)
    response = client.get(f"/t/acme/billing/checkout/success/?session_id={session_id}")
    assert response.status_code == 403
    tenant.refresh_from_db()
    assert tenant.stripe_subscription_id == ""


def test_downgrade_below_active_members_is_refused(
    client, tenant, owner, member_factory, subscribed, fake_stripe
):
    from billing.services import subscription_sync

    subscription = subscribed("active", plan="pro")
    subscription_sync(tenant=tenant, subscription_id=subscription["id"])
    for n in range(3):
        member_factory(tenant, "member", f"m{n}@acme.example")
    client.force_login(owner)
    response = client.post("/t/acme/billing/plan/", {"plan": "base"}, follow=True)
    assert "has 3 seats but this workspace has 4 active members" in response.content.decode()
    tenant.refresh_from_db()
    assert tenant.plan == "pro"


def test_upgrade_is_prorated(client, tenant, owner, subscribed, fake_stripe):
    from billing.services import subscription_sync

    subscription = subscribed("active", plan="base")
    subscription_sync(tenant=tenant, subscription_id=subscription["id"])
    client.force_login(owner)
    client.post("/t/acme/billing/plan/", {"plan": "company"})
    tenant.refresh_from_db()
    assert tenant.plan == "company"
    assert fake_stripe.subscriptions[subscription["id"]]["_last_proration"] == "create_prorations"


def test_cancel_at_period_end_and_reactivate(client, tenant, owner, subscribed, fake_stripe):
    from billing.services import subscription_sync

    subscription = subscribed("active")
    subscription_sync(tenant=tenant, subscription_id=subscription["id"])
    client.force_login(owner)
    client.post("/t/acme/billing/cancel/")
    assert fake_stripe.subscriptions[subscription["id"]]["cancel_at_period_end"] is True
    tenant.refresh_from_db()
    assert tenant.state == Tenant.State.ACTIVE  # paid until the period ends
    client.post("/t/acme/billing/reactivate/")
    assert fake_stripe.subscriptions[subscription["id"]]["cancel_at_period_end"] is False


def test_portal_redirects_to_stripe(client, tenant, owner, fake_stripe):
    client.force_login(owner)
    response = client.post("/t/acme/billing/portal/")
    assert response.status_code == 302
    assert response["Location"].startswith("https://billing.stripe.test/")


@pytest.mark.parametrize("url", ["checkout/", "portal/", "plan/", "cancel/", "reactivate/"])
def test_state_changing_pages_refuse_get(client, tenant, owner, fake_stripe, url):
    client.force_login(owner)
    assert client.get(f"/t/acme/billing/{url}").status_code == 405


def test_suspended_tenant_blocks_members_and_sends_owners_to_billing(
    client, tenant, owner, member_factory, fake_stripe
):
    from tenants.lifecycle import tenant_transition

    staff = member_factory(tenant, "member", "staff@acme.example")
    tenant_transition(tenant=tenant, to_state=Tenant.State.SUSPENDED)
    client.force_login(staff)
    response = client.get("/t/acme/")
    assert response.status_code == 403
    assert "unavailable" in response.content.decode()
    client.force_login(owner)
    response = client.get("/t/acme/")
    assert response.status_code == 302
    assert response["Location"] == "/t/acme/billing/"
    assert client.get("/t/acme/billing/").status_code == 200
