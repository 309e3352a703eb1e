"""The lifecycle state machine: every edge of the table, allowed and refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from django_tenants.utils import schema_context

from core.models import AuditEvent
from tenants.lifecycle import (
    NOTICE_TRIAL_ENDING,
    STRIPE_STATUS_TO_STATE,
    TRANSITIONS,
    TransitionNotAllowed,
    tenant_apply_subscription_status,
    tenant_notice_send,
    tenant_owner_emails,
    tenant_transition,
)
from tenants.models import Tenant

State = Tenant.State
pytestmark = pytest.mark.usefixtures("email_eager")
ALL_STATES = [s.value for s in State]
ALLOWED = [(a, b) for a in ALL_STATES for b in ALL_STATES if a != b and b in TRANSITIONS[a]]
REFUSED = [(a, b) for a in ALL_STATES for b in ALL_STATES if a != b and b not in TRANSITIONS[a]]


def _set_state(tenant: Tenant, state: str) -> None:
    Tenant.objects.filter(pk=tenant.pk).update(state=state)
    tenant.state = state


@pytest.mark.parametrize(("from_state", "to_state"), ALLOWED)
def test_allowed_transition_changes_state_and_audits_both_schemas(
    tenant, owner, from_state, to_state, django_capture_on_commit_callbacks
):
    """An allowed move saves the state, audits in public and in the tenant, e-mails if due."""
    _set_state(tenant, from_state)
    with django_capture_on_commit_callbacks(execute=True):
        tenant_transition(tenant=tenant, to_state=to_state, reason="test")
    tenant.refresh_from_db()
    assert tenant.state == to_state
    public = AuditEvent.objects.filter(action="tenant.state_changed", target_id=str(tenant.pk))
    assert public.get().after["state"] == to_state
    with schema_context(tenant.schema_name):
        assert AuditEvent.objects.filter(action="tenant.state_changed").count() == 1
    if to_state == State.SUSPENDED:
        assert tenant.grace_ends_at is not None
        assert tenant.grace_ends_at > timezone.now() + dt.timedelta(days=13)
    if to_state in (State.SUSPENDED, State.PAST_DUE, State.DELETED):
        assert [m.to for m in mail.outbox] == [["owner@acme.example"]]
    else:
        assert mail.outbox == []


@pytest.mark.parametrize(("from_state", "to_state"), REFUSED)
def test_refused_transition_raises_and_changes_nothing(tenant, from_state, to_state):
    _set_state(tenant, from_state)
    with pytest.raises(TransitionNotAllowed):
        tenant_transition(tenant=tenant, to_state=to_state)
    tenant.refresh_from_db()
    assert tenant.state == from_state
    assert not AuditEvent.objects.filter(action="tenant.state_changed").exists()


def test_same_state_is_a_no_op(tenant):
    tenant_transition(tenant=tenant, to_state=State.TRIAL)
    assert not AuditEvent.objects.filter(action="tenant.state_changed").exists()


def test_leaving_suspension_for_active_clears_the_grace_period(tenant):
    tenant_transition(tenant=tenant, to_state=State.SUSPENDED)
    assert tenant.grace_ends_at is not None
    tenant_transition(tenant=tenant, to_state=State.ACTIVE)
    tenant.refresh_from_db()
    assert tenant.grace_ends_at is None


def test_owner_emails_come_from_the_owner_role_in_the_tenant_schema(tenant, member_factory):
    member_factory(tenant, "owner", "boss@acme.example")
    member_factory(tenant, "member", "staff@acme.example")
    assert tenant_owner_emails(tenant=tenant) == ["boss@acme.example"]
    assert tenant.email == "boss@acme.example"
    tenant.billing_email = "invoices@acme.example"
    assert tenant.email == "invoices@acme.example"


def test_a_notice_is_sent_once(tenant, owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert tenant_notice_send(tenant=tenant, notice=NOTICE_TRIAL_ENDING) is True
        assert tenant_notice_send(tenant=tenant, notice=NOTICE_TRIAL_ENDING) is False
    assert len(mail.outbox) == 1
    assert "trial" in mail.outbox[0].subject.lower()


@pytest.mark.parametrize(("status", "state"), sorted(STRIPE_STATUS_TO_STATE.items()))
def test_stripe_status_maps_to_a_state(tenant, status, state):
    """From trial, each Stripe status lands in its mapped state."""
    tenant_apply_subscription_status(tenant=tenant, status=status)
    tenant.refresh_from_db()
    assert tenant.state == state


def test_a_mapped_state_not_reachable_is_left_alone(tenant):
    """Stripe's "canceled" for a suspended tenant keeps it suspended (its grace keeps running)."""
    tenant_transition(tenant=tenant, to_state=State.SUSPENDED)
    tenant_apply_subscription_status(tenant=tenant, status="canceled")
    tenant.refresh_from_db()
    assert tenant.state == State.SUSPENDED


def test_owners_get_lifecycle_e_mails_in_their_own_language(
    tenant, owner, member_factory, django_capture_on_commit_callbacks
):
    italian = member_factory(tenant, "owner", "capo@acme.example")
    italian.language = "it"
    italian.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        assert tenant_notice_send(tenant=tenant, notice=NOTICE_TRIAL_ENDING) is True
    subjects = {tuple(message.to): message.subject for message in mail.outbox}
    assert subjects[("capo@acme.example",)] == "La tua prova di Acme sta per terminare"
    assert subjects[(owner.email,)] == "Your trial of Acme ends soon"
