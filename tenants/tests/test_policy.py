"""The deactivation policy: what is due moves, Stripe is asked before anything is deleted."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django_tenants.utils import schema_exists

from billing.stripe_api import StripeUnavailable, calls
from tenants.lifecycle import NOTICE_DELETION_1D, NOTICE_DELETION_7D, tenant_transition
from tenants.models import Tenant
from tenants.policy import policy_run

State = Tenant.State
pytestmark = pytest.mark.usefixtures("email_eager")


class DeleteSpy:
    def __init__(self) -> None:
        self.deleted: list[str] = []

    def __call__(self, *, tenant: Tenant, reason: str = "") -> None:
        self.deleted.append(tenant.slug)


def _grace_over(tenant: Tenant) -> None:
    tenant_transition(
        tenant=tenant,
        to_state=State.SUSPENDED,
        grace_ends_at=timezone.now() - dt.timedelta(minutes=1),
    )


def test_a_pass_with_nothing_due_makes_no_stripe_call(tenant, other_tenant):
    before = calls.value
    report = policy_run()
    assert calls.value == before
    assert report.as_dict()["deleted"] == []
    assert report.expired == []


def test_trial_over_without_subscription_expires_then_suspends(
    tenant, owner, mailoutbox, django_capture_on_commit_callbacks
):
    Tenant.objects.filter(pk=tenant.pk).update(trial_ends_at=timezone.now() - dt.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        report = policy_run(live_status=lambda t: pytest.fail("no customer: no Stripe call"))
    tenant.refresh_from_db()
    assert report.expired == ["acme"]
    assert report.suspended == ["acme"]
    assert tenant.state == State.SUSPENDED
    assert tenant.grace_ends_at > timezone.now() + dt.timedelta(days=13)
    assert any("suspended" in m.subject for m in mailoutbox)


def test_trial_ending_in_three_days_is_reminded_once(
    tenant, owner, mailoutbox, django_capture_on_commit_callbacks
):
    Tenant.objects.filter(pk=tenant.pk).update(trial_ends_at=timezone.now() + dt.timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        policy_run()
        policy_run()
    assert len([m for m in mailoutbox if "trial" in m.subject.lower()]) == 1


def test_deletion_reminders_at_seven_days_and_one_day_go_once(
    tenant, owner, mailoutbox, django_capture_on_commit_callbacks
):
    tenant_transition(
        tenant=tenant, to_state=State.SUSPENDED, grace_ends_at=timezone.now() + dt.timedelta(days=6)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert policy_run().notices == [f"acme:{NOTICE_DELETION_7D}"]
        assert policy_run().notices == []
        Tenant.objects.filter(pk=tenant.pk).update(
            grace_ends_at=timezone.now() + dt.timedelta(hours=20)
        )
        assert policy_run().notices == [f"acme:{NOTICE_DELETION_1D}"]
        assert policy_run().notices == []
    assert len([m for m in mailoutbox if "will be deleted" in m.subject]) == 2


def test_with_stripe_stopped_nothing_is_deleted(tenant, other_tenant, fake_stripe):
    """Grace over, the fake Stripe stopped: no deletion, both stay suspended, retried later."""
    Tenant.objects.filter(pk=other_tenant.pk).update(stripe_customer_id="cus_gone")
    other_tenant.refresh_from_db()
    _grace_over(tenant)
    _grace_over(other_tenant)
    fake_stripe.stop()
    spy = DeleteSpy()
    report = policy_run(delete=spy)
    assert spy.deleted == []
    assert sorted(report.deferred) == ["acme", "globex"]
    for t in (tenant, other_tenant):
        t.refresh_from_db()
        assert t.state == State.SUSPENDED
        assert schema_exists(t.schema_name)


def test_stripe_error_answer_deletes_nothing(tenant):
    _grace_over(tenant)
    spy = DeleteSpy()

    def failing(t: Tenant) -> str | None:
        raise StripeUnavailable("500 from Stripe")

    report = policy_run(live_status=failing, delete=spy)
    assert spy.deleted == []
    assert report.deferred == ["acme"]


def test_grace_over_and_confirmed_not_paying_is_deleted(tenant, fake_stripe):
    _grace_over(tenant)
    spy = DeleteSpy()
    report = policy_run(delete=spy)
    assert spy.deleted == ["acme"]
    assert report.deleted == ["acme"]


def test_a_tenant_that_pays_during_grace_becomes_active(tenant, owner, subscribed, fake_stripe):
    subscribed("active")
    _grace_over(tenant)
    spy = DeleteSpy()
    report = policy_run(delete=spy)
    tenant.refresh_from_db()
    assert spy.deleted == []
    assert report.reactivated == ["acme"]
    assert tenant.state == State.ACTIVE
    assert tenant.grace_ends_at is None


def test_the_policy_is_scheduled_in_beat():
    from config.celery import BEAT_SCHEDULE

    assert BEAT_SCHEDULE["tenants-lifecycle-policy"]["task"] == "tenants.tasks.lifecycle_policy_run"
