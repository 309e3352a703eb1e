"""Invitations: invite, the e-mail, accept (existing user, new user), resend, revoke, and their
refusals (seat limit, expiry, reuse, revocation, wrong e-mail, wrong tenant, permission)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import Invitation, Membership, User
from accounts.selectors import member_role_names
from core.models import AuditEvent


@pytest.fixture
def outbox(monkeypatch):
    """E-mails as delivered. The test's transaction never commits, so on_commit callbacks run
    at once (as at commit), and the Celery task runs in-process."""
    from core.tasks import email_deliver

    monkeypatch.setattr(email_deliver, "delay", lambda **kwargs: email_deliver.apply(kwargs=kwargs))
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )
    return mail.outbox


def _link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/invites/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def _invite(client, email="new@example.com", role="member"):
    return client.post("/t/acme/members/invite/", {"email": email, "role": role}, follow=True)


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def _roles(tenant, user) -> list[str]:
    with schema_context(tenant.schema_name):
        return member_role_names(user_ids=[user.pk])[user.pk]


def _limit(monkeypatch, seats: int) -> None:
    monkeypatch.setattr("accounts.selectors.tenant_seat_limit", lambda tenant: seats)


# --- Inviting ------------------------------------------------------------------------------------


def test_invite_sends_a_single_use_link_and_stores_only_its_hash(client, tenant, owner, outbox):
    client.force_login(owner)
    response = _invite(client, "New@Example.com", "collaborator")
    assert "An invitation was sent to new@example.com." in _messages(response)
    invitation = Invitation.objects.get(tenant=tenant)
    assert invitation.email == "new@example.com"
    assert invitation.role == "collaborator"
    assert invitation.invited_by == owner
    assert invitation.expires_at - invitation.created_at == dt.timedelta(days=7)
    [message] = outbox
    assert message.to == ["new@example.com"]
    assert "Acme" in message.subject
    link = _link(message)
    token = link.split("/")[2]
    assert token not in invitation.token_hash
    assert len(invitation.token_hash) == 64
    assert "password" not in message.body.lower()
    assert link in message.alternatives[0][0]
    with schema_context(tenant.schema_name):
        assert AuditEvent.objects.filter(action="invitation.created").count() == 1
    page = client.get("/t/acme/members/")
    assert [i.email for i in page.context["invitations"]] == ["new@example.com"]


def test_inviting_twice_the_same_address_is_refused(client, tenant, owner, outbox):
    client.force_login(owner)
    _invite(client)
    response = _invite(client, "NEW@example.com")
    assert any("already has an open invitation" in m for m in _messages(response))
    assert Invitation.objects.filter(tenant=tenant).count() == 1


def test_inviting_a_member_is_refused(client, tenant, owner, member_factory, outbox):
    member_factory(tenant, "member", "bob@acme.example")
    client.force_login(owner)
    response = _invite(client, "bob@acme.example")
    assert any("already a member" in m for m in _messages(response))
    assert not outbox


def test_a_moderator_cannot_invite_an_owner(client, tenant, owner, member_factory, outbox):
    client.force_login(member_factory(tenant, "moderator", "mod@acme.example"))
    response = _invite(client, role="owner")
    assert response.status_code == 200
    assert not Invitation.objects.exists()
    assert "owner" not in [
        c for c, _label in response.context["invite_form"].fields["role"].choices
    ]
    from accounts.services import invitation_create

    moderator = User.objects.get(email="mod@acme.example")
    with pytest.raises(Exception, match="cannot invite people with the role owner"):
        invitation_create(tenant=tenant, email="x@example.com", role="owner", actor=moderator)


def test_an_owner_can_invite_an_owner(client, tenant, owner, outbox):
    client.force_login(owner)
    _invite(client, role="owner")
    assert Invitation.objects.get().role == "owner"


@pytest.mark.parametrize(("role", "status"), [("collaborator", 403), ("member", 403)])
def test_inviting_needs_invite_member(client, tenant, member_factory, role, status, outbox):
    client.force_login(member_factory(tenant, role))
    assert _invite(client).status_code == status
    assert not Invitation.objects.exists()


def test_invite_refuses_get(client, tenant, owner):
    client.force_login(owner)
    assert client.get("/t/acme/members/invite/").status_code == 405


def test_the_seat_limit_counts_members_and_open_invitations(
    client, tenant, owner, member_factory, outbox, monkeypatch
):
    """Limit 3: the owner, one member and one open invitation fill it."""
    _limit(monkeypatch, 3)
    member_factory(tenant, "member", "bob@acme.example")
    client.force_login(owner)
    _invite(client, "one@example.com")
    response = _invite(client, "two@example.com")
    assert any("All 3 seats of the plan are taken" in m for m in _messages(response))
    assert Invitation.objects.count() == 1
    # An expired invitation frees its seat.
    Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    _invite(client, "two@example.com")
    assert Invitation.objects.filter(email="two@example.com").exists()


# --- Accepting -----------------------------------------------------------------------------------


def _invite_and_link(tenant, owner, outbox, email="new@example.com", role="collaborator") -> str:
    inviter = Client()
    inviter.force_login(owner)
    _invite(inviter, email, role)
    return _link(outbox[-1])


def test_a_new_user_sets_a_password_and_is_logged_in(client, tenant, owner, outbox, password):
    link = _invite_and_link(tenant, owner, outbox)
    page = client.get(link)
    assert page.status_code == 200
    assert page.context["mode"] == "signup"
    response = client.post(
        link, {"full_name": "Nina New", "password": password, "password2": password}
    )
    assert response.status_code == 302
    assert response["Location"] == "/t/acme/"
    user = User.objects.get(email="new@example.com")
    assert user.full_name == "Nina New"
    assert user.check_password(password)
    assert Membership.objects.get(user=user, tenant=tenant).is_active
    assert _roles(tenant, user) == ["collaborator"]
    assert client.get("/t/acme/members/").status_code == 200, "logged in, with the role's perms"
    from allauth.account.models import EmailAddress

    assert EmailAddress.objects.get(user=user).verified, "the link proved the address"
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == user
    assert invitation.accepted_at is not None


def test_a_new_user_with_a_weak_password_sees_the_error_and_nothing_is_made(
    client, tenant, owner, outbox
):
    link = _invite_and_link(tenant, owner, outbox)
    response = client.post(link, {"password": "123", "password2": "123"})
    assert response.status_code == 200
    assert response.context["form"].errors["password"]
    assert not User.objects.filter(email="new@example.com").exists()
    assert Invitation.objects.get().accepted_at is None


def test_an_existing_user_logged_out_is_sent_to_log_in_and_back(
    client, tenant, other_tenant, owner, member_factory, outbox
):
    member_factory(other_tenant, "owner", "known@example.com")
    link = _invite_and_link(tenant, owner, outbox, "known@example.com")
    response = client.get(link)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={link}"


def test_an_existing_user_logged_in_accepts_into_this_tenant(
    client, tenant, other_tenant, owner, member_factory, outbox
):
    known = member_factory(other_tenant, "owner", "known@example.com")
    link = _invite_and_link(tenant, owner, outbox, "known@example.com", "moderator")
    client.force_login(known)
    assert client.get(link).context["mode"] == "join"
    response = client.post(link)
    assert response.status_code == 302
    assert response["Location"] == "/t/acme/"
    assert _roles(tenant, known) == ["moderator"]
    assert _roles(other_tenant, known) == ["owner"], "other tenants are untouched"
    with schema_context(tenant.schema_name):
        assert AuditEvent.objects.filter(action="invitation.accepted").count() == 1


def test_a_logged_in_user_with_another_email_is_told_to_log_out(
    client, tenant, owner, member_factory, outbox
):
    link = _invite_and_link(tenant, owner, outbox, "invited@example.com")
    someone = member_factory(tenant, "member", "someone@example.com")
    client.force_login(someone)
    page = client.get(link)
    assert page.status_code == 403
    assert b"Log out first" in page.content
    assert client.post(link).status_code == 403
    assert Invitation.objects.get().accepted_at is None


def test_a_used_link_cannot_be_used_again(client, tenant, owner, outbox, password):
    link = _invite_and_link(tenant, owner, outbox)
    client.post(link, {"password": password, "password2": password})
    client.logout()
    again = client.get(link)
    assert again.status_code == 410
    assert b"already accepted" in again.content
    assert client.post(link, {"password": password, "password2": password}).status_code == 410


def test_an_expired_link_is_refused(client, tenant, owner, outbox, password):
    link = _invite_and_link(tenant, owner, outbox)
    Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = client.post(link, {"password": password, "password2": password})
    assert response.status_code == 410
    assert b"expired" in response.content
    assert not User.objects.filter(email="new@example.com").exists()


def test_an_unknown_link_is_a_404(client, db):
    assert client.get("/invites/not-a-real-token/").status_code == 404


def test_the_seat_limit_applies_on_accept(
    client, tenant, owner, member_factory, outbox, monkeypatch, password
):
    """Invited within the limit, but the seats filled up meanwhile: accepting is refused."""
    _limit(monkeypatch, 3)
    link = _invite_and_link(tenant, owner, outbox)
    member_factory(tenant, "member", "bob@acme.example")
    member_factory(tenant, "member", "carl@acme.example")
    response = client.post(link, {"password": password, "password2": password})
    assert response.status_code == 200
    assert "seats of the plan are taken" in str(response.context["form"].non_field_errors())
    assert not User.objects.filter(email="new@example.com").exists(), "all or nothing"
    assert Invitation.objects.get().accepted_at is None


def test_the_seat_limit_applies_on_accept_for_an_existing_user(
    client, tenant, other_tenant, owner, member_factory, outbox, monkeypatch
):
    _limit(monkeypatch, 2)
    known = member_factory(other_tenant, "member", "known@example.com")
    link = _invite_and_link(tenant, owner, outbox, "known@example.com")
    member_factory(tenant, "member", "bob@acme.example")
    client.force_login(known)
    response = client.post(link)
    assert response.status_code == 409
    assert b"seats of the plan are taken" in response.content
    assert not Membership.objects.filter(user=known, tenant=tenant).exists()


# --- Resend and revoke ---------------------------------------------------------------------------


def test_resend_makes_a_new_link_and_the_old_one_stops_working(
    client, tenant, owner, outbox, password
):
    old_link = _invite_and_link(tenant, owner, outbox)
    invitation = Invitation.objects.get()
    Invitation.objects.update(expires_at=timezone.now() + dt.timedelta(hours=1))
    client.force_login(owner)
    response = client.post(f"/t/acme/members/invitations/{invitation.pk}/resend/", follow=True)
    assert any("sent again" in m for m in _messages(response))
    new_link = _link(outbox[-1])
    assert new_link != old_link
    invitation.refresh_from_db()
    assert invitation.expires_at > timezone.now() + dt.timedelta(days=6)
    client.logout()
    assert client.get(old_link).status_code == 404
    assert client.post(new_link, {"password": password, "password2": password}).status_code == 302


def test_revoke_asks_then_the_link_stops_working(client, tenant, owner, outbox):
    link = _invite_and_link(tenant, owner, outbox)
    invitation = Invitation.objects.get()
    client.force_login(owner)
    url = f"/t/acme/members/invitations/{invitation.pk}/revoke/"
    assert b'name="confirmed"' in client.post(url).content
    assert Invitation.objects.get().revoked_at is None
    response = client.post(url, {"confirmed": "1"}, follow=True)
    assert any("was revoked" in m for m in _messages(response))
    client.logout()
    page = client.get(link)
    assert page.status_code == 410
    assert b"revoked" in page.content
    # Resending a revoked invitation is refused with a message.
    client.force_login(owner)
    response = client.post(f"/t/acme/members/invitations/{invitation.pk}/resend/", follow=True)
    assert "This invitation was revoked." in _messages(response)


@pytest.mark.parametrize("action", ["resend", "revoke"])
def test_invitations_of_another_tenant_are_a_404(
    client, tenant, other_tenant, owner, member_factory, action
):
    from accounts.services import invitation_create

    globex_owner = member_factory(other_tenant, "owner", "boss@globex.example")
    invitation, _token = invitation_create(
        tenant=other_tenant, email="x@example.com", role="member", actor=globex_owner
    )
    client.force_login(owner)
    response = client.post(
        f"/t/acme/members/invitations/{invitation.pk}/{action}/", {"confirmed": "1"}
    )
    assert response.status_code == 404
    assert Invitation.objects.get().revoked_at is None


@pytest.mark.parametrize("action", ["resend", "revoke"])
def test_invitation_actions_need_permission_and_post(client, tenant, owner, member_factory, action):
    from accounts.services import invitation_create

    invitation, _token = invitation_create(
        tenant=tenant, email="x@example.com", role="member", actor=owner
    )
    url = f"/t/acme/members/invitations/{invitation.pk}/{action}/"
    client.force_login(member_factory(tenant, "collaborator"))
    assert client.post(url, {"confirmed": "1"}).status_code == 403
    client.force_login(owner)
    assert client.get(url).status_code == 405


def test_the_base_plan_seat_limit_comes_from_the_billing_catalog(tenant, owner, member_factory):
    """No monkeypatching: a BASE tenant has 3 seats, so a fourth person cannot be invited."""
    import pytest
    from django.core.exceptions import ValidationError

    from accounts.selectors import tenant_seat_limit
    from accounts.services import invitation_create

    assert tenant.plan == "base"
    assert tenant_seat_limit(tenant) == 3
    member_factory(tenant, "member", "two@acme.example")
    invitation_create(tenant=tenant, email="three@acme.example", role="member", actor=owner)
    with pytest.raises(ValidationError, match="All 3 seats"):
        invitation_create(tenant=tenant, email="four@acme.example", role="member", actor=owner)
    tenant.plan = "pro"
    assert tenant_seat_limit(tenant) == 10
