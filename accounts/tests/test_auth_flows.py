"""Login, logout, signup, reset and their rate limits (django-allauth, configured for this site)."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.test import Client

from accounts.models import Membership, User
from accounts.services import membership_add, user_create
from tenants.models import Tenant


def _login(client: Client, email: str, password: str, **extra: str):
    return client.post("/accounts/login/", {"login": email, "password": password, **extra})


def test_email_login_is_case_insensitive_and_unique(client, tenant, password):
    user = user_create(email="Ann@Example.com", password=password)
    membership_add(user=user, tenant=tenant, role="member")
    assert user.email == "ann@example.com"
    with pytest.raises(ValidationError):
        user_create(email="ANN@example.com", password=password)
    response = _login(client, "ANN@EXAMPLE.COM", password)
    assert response.status_code == 302
    assert response["Location"] == "/t/acme/"


def test_a_200_byte_password_works_with_argon2(client, db, settings):
    settings.PASSWORD_HASHERS = ["accounts.hashers.Argon2Hasher"]
    long_password = "é" * 60 + "x" * 80  # 120 + 80 bytes in UTF-8
    assert len(long_password.encode()) == 200
    user = user_create(email="long@example.com", password=long_password)
    assert user.password.startswith("argon2")
    assert not user.check_password(long_password[:-1])
    assert _login(client, "long@example.com", long_password).status_code == 302
    assert client.get("/workspaces/").wsgi_request.user.pk == user.pk


def test_production_hashes_with_argon2id_at_owasp_parameters_and_upgrades_old_hashes(
    client, db, settings
):
    """The first hasher of the base settings is Argon2id (m=19 MiB, t=2, p=1); a hash made with
    Django's heavier defaults still verifies and is rewritten at the next login."""
    from django.contrib.auth.hashers import Argon2PasswordHasher

    from config.settings import base

    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS
    user = user_create(email="hash@example.com", password="a-long-enough-passw0rd")
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    user.password = Argon2PasswordHasher().encode("a-long-enough-passw0rd", "saltsaltsaltsalt")
    user.save(update_fields=["password"])
    assert "m=102400" in user.password
    assert _login(client, "hash@example.com", "a-long-enough-passw0rd").status_code == 302
    user.refresh_from_db()
    assert "m=19456,t=2,p=1" in user.password


def test_login_without_csrf_token_is_refused(owner, password):
    client = Client(enforce_csrf_checks=True)
    response = _login(client, owner.email, password)
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_logout_by_get_does_not_log_out(client, owner, password):
    client.force_login(owner)
    response = client.get("/accounts/logout/")
    assert response.status_code == 200  # a confirmation page with a POST form
    assert client.get("/t/acme/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/t/acme/").status_code == 302


@pytest.mark.parametrize("target", ["//evil.example", "https://evil.example/x", "/\\evil.example"])
def test_next_to_another_site_is_ignored(client, owner, password, target):
    response = _login(client, owner.email, password, next=target)
    assert response.status_code == 302
    assert response["Location"] == "/t/acme/"
    response = client.post(f"/accounts/login/?next={target}", {})  # already logged in
    assert "evil.example" not in response.get("Location", "")


def test_next_on_this_site_is_followed(client, owner, password):
    response = _login(client, owner.email, password, next="/t/acme/?tab=members")
    assert response["Location"] == "/t/acme/?tab=members"


def test_anonymous_tenant_request_then_login_comes_back(client, owner, password):
    location = client.get("/t/acme/").headers["Location"]
    response = client.post(location, {"login": owner.email, "password": password})
    assert response["Location"] == "/t/acme/"


def test_the_session_key_changes_at_login(client, owner, password):
    session = client.session
    session["before"] = "login"
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    before = session.session_key
    assert _login(client, owner.email, password).status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after
    assert after != before
    assert not caches["sessions"].has_key(f"django.contrib.sessions.cache{before}")


def test_login_redirects_by_number_of_workspaces(
    client, tenant, other_tenant, user_factory, password
):
    nobody = user_factory("nobody@example.com")
    response = _login(client, nobody.email, password)
    assert response["Location"] == "/workspaces/"
    page = client.get("/workspaces/")
    assert b"not in any workspace" in page.content
    assert b'href="/workspaces/new/"' in page.content

    both = user_factory("consultant@example.com")
    membership_add(user=both, tenant=tenant, role="collaborator")
    membership_add(user=both, tenant=other_tenant, role="member")
    client = Client()
    assert _login(client, both.email, password)["Location"] == "/workspaces/"
    page = client.get("/workspaces/")
    assert b'href="/t/acme/"' in page.content
    assert b'href="/t/globex/"' in page.content


def test_a_logged_in_user_can_create_another_workspace(client, owner):
    client.force_login(owner)
    response = client.post("/workspaces/new/", {"company_name": "Initech", "workspace": "initech"})
    assert response["Location"] == "/t/initech/"
    assert client.get("/t/initech/").status_code == 200


# --- signup ----------------------------------------------------------------------------------


def _signup(client: Client, **overrides: str):
    data = {
        "company_name": "Umbrella",
        "workspace": "umbrella",
        "email": "alice@umbrella.example",
        "password1": "a-long-and-unusual-passphrase",
        "password2": "a-long-and-unusual-passphrase",
        **overrides,
    }
    return client.post("/accounts/signup/", data)


def test_signup_creates_a_tenant_on_trial_with_the_user_as_owner(client, db):
    response = _signup(client)
    assert response.status_code == 302, response.content
    assert response["Location"] == "/t/umbrella/"
    tenant = Tenant.objects.get(slug="umbrella")
    user = User.objects.get(email="alice@umbrella.example")
    assert tenant.name == "Umbrella"
    assert tenant.state == Tenant.State.TRIAL
    assert 13 <= (tenant.trial_ends_at - tenant.created_at).days <= 14
    assert Membership.objects.get(user=user, tenant=tenant).is_active
    assert client.get("/t/umbrella/").status_code == 200
    from django_tenants.utils import schema_context

    with schema_context(tenant.schema_name):
        assert User.objects.get(pk=user.pk).has_perm("roles.manage_billing")
    # e-mail verification is sent
    assert any("alice@umbrella.example" in m.to for m in mail.outbox)


@pytest.mark.parametrize(
    ("slug", "message"),
    [("Bad Slug!", b"lowercase letters"), ("admin", b"reserved"), ("acme", b"already taken")],
)
def test_signup_with_a_bad_workspace_address_is_a_form_error(client, tenant, slug, message):
    response = _signup(client, workspace=slug)
    assert response.status_code == 200
    assert message in response.content
    assert not User.objects.filter(email="alice@umbrella.example").exists()


def test_email_verification_link_verifies(client, db):
    _signup(client)
    body = next(str(m.body) for m in mail.outbox if "alice@umbrella.example" in m.to)
    link = re.search(r"https?://[^/]+(/accounts/confirm-email/\S+/)", body)
    assert link, body
    client.post(link.group(1))
    from allauth.account.models import EmailAddress

    assert EmailAddress.objects.get(email="alice@umbrella.example").verified


# --- password reset --------------------------------------------------------------------------


def test_password_reset_tokens_are_single_use(client, owner):
    client.post("/accounts/password/reset/", {"email": owner.email})
    body = str(mail.outbox[-1].body)
    match = re.search(r"https?://[^/]+(/accounts/password/reset/key/\S+/)", body)
    assert match is not None
    path = match.group(1)
    follow = client.get(path)
    assert follow.status_code == 302  # allauth moves the token into the session
    new = "another-long-passphrase-2026"
    done = client.post(follow["Location"], {"password1": new, "password2": new})
    assert done.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password(new)
    again = Client().get(path, follow=True)
    assert b"invalid" in again.content.lower() or b"bad token" in again.content.lower()


# --- rate limits -----------------------------------------------------------------------------


def test_failed_logins_are_limited_with_a_clear_message(client, owner, password, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/5m/key"}
    for _ in range(3):
        response = _login(client, owner.email, "wrong-password")
        assert b"Too many failed login attempts" not in response.content
    response = _login(client, owner.email, password)  # even the right password, for now
    assert response.status_code == 200
    assert b"Too many failed login attempts" in response.content


def test_signups_are_limited_with_a_clear_message(client, db, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/h/ip"}
    for index in range(2):
        _signup(Client(), email=f"u{index}@example.com", workspace=f"work-{index}")
    response = _signup(client, email="u9@example.com", workspace="work-9")
    # allauth refuses a signup flood before the form: 429 with the site's page (429.html).
    assert response.status_code == 429
    assert b"Too many attempts" in response.content
    assert not Tenant.objects.filter(slug="work-9").exists()


def test_password_resets_are_limited_with_a_clear_message(client, owner, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "reset_password": "2/h/key"}
    for _ in range(2):
        response = client.post("/accounts/password/reset/", {"email": owner.email})
        assert response.status_code == 302
    response = client.post("/accounts/password/reset/", {"email": owner.email})
    assert response.status_code == 429
    assert b"Too many attempts" in response.content
    assert len(mail.outbox) == 2
