"""Sessions in Redis: sliding expiry, the per-user list, and revocation."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.test import Client

from accounts import sessions
from core.signals import tenant_deleted

SESSIONS_CACHE: Any = caches["sessions"]  # django-redis: ttl() and expire()


def _login(client: Client, email: str, password: str, agent: str = "") -> str:
    response = client.post(
        "/accounts/login/", {"login": email, "password": password}, HTTP_USER_AGENT=agent
    )
    assert response.status_code == 302
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _alive(session_key: str) -> bool:
    return caches["sessions"].has_key(f"django.contrib.sessions.cache{session_key}")


FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Version/17.0 Mobile Safari/604.1"


def test_sessions_are_listed_with_device_and_ip_and_can_be_ended(owner, password):
    laptop, phone = Client(), Client()
    _login(laptop, owner.email, password, FIREFOX)
    phone_key = _login(phone, owner.email, password, IPHONE)

    listed = sessions.sessions_list_for_user(user=owner)
    assert {s.device for s in listed} == {"Firefox on Linux", "Safari on iPhone"}
    assert all(s.ip == "127.0.0.1" for s in listed)
    page = laptop.get("/accounts/sessions/")
    assert b"Firefox on Linux" in page.content
    assert b"this session" in page.content
    assert phone_key.encode() not in page.content, "session keys never leave the server"

    phone_id = next(s.session_id for s in listed if s.device == "Safari on iPhone")
    assert laptop.get(f"/accounts/sessions/{phone_id}/end/").status_code == 405
    assert laptop.post(f"/accounts/sessions/{phone_id}/end/").status_code == 302
    assert not _alive(phone_key)
    assert phone.get("/t/acme/").status_code == 302  # back to login
    assert laptop.get("/t/acme/").status_code == 200
    assert len(sessions.sessions_list_for_user(user=owner)) == 1


def test_a_user_cannot_end_someone_elses_session(tenant, member_factory, password):
    alice, bob = member_factory(tenant, "owner"), member_factory(tenant, "member")
    alice_client, bob_client = Client(), Client()
    _login(alice_client, alice.email, password)
    _login(bob_client, bob.email, password)
    bob_id = sessions.sessions_list_for_user(user=bob)[0].session_id
    assert alice_client.post(f"/accounts/sessions/{bob_id}/end/").status_code == 404
    assert bob_client.get("/t/acme/").status_code == 200


def test_sign_out_everywhere_else(owner, password):
    here, there, elsewhere = Client(), Client(), Client()
    here_key = _login(here, owner.email, password)
    _login(there, owner.email, password)
    _login(elsewhere, owner.email, password)
    assert here.post("/accounts/sessions/end-others/").status_code == 302
    assert there.get("/t/acme/").status_code == 302
    assert elsewhere.get("/t/acme/").status_code == 302
    assert here.get("/t/acme/").status_code == 200
    assert _alive(here_key)


def test_a_password_change_ends_the_other_sessions(owner, password):
    mine, other = Client(), Client()
    _login(mine, owner.email, password)
    other_key = _login(other, owner.email, password)
    new = "a-brand-new-passphrase-2026"
    response = mine.post(
        "/accounts/password/change/",
        {"oldpassword": password, "password1": new, "password2": new},
    )
    assert response.status_code == 302
    assert not _alive(other_key)
    assert other.get("/t/acme/").status_code == 302
    assert mine.get("/t/acme/").status_code == 200, "the session that changed it stays"
    assert len(sessions.sessions_list_for_user(user=owner)) == 1


def test_a_password_reset_ends_every_session(client, owner, password):
    from django.core import mail

    logged_in = Client()
    key = _login(logged_in, owner.email, password)
    client.post("/accounts/password/reset/", {"email": owner.email})
    import re

    body = str(mail.outbox[-1].body)
    path = re.search(r"https?://[^/]+(/accounts/password/reset/key/\S+/)", body)
    assert path is not None
    follow = client.get(path.group(1))
    new = "another-long-passphrase-2026"
    client.post(follow["Location"], {"password1": new, "password2": new})
    assert not _alive(key)


def test_expiry_slides_but_the_session_is_saved_at_most_once_a_minute(owner, password):
    client = Client()
    key = _login(client, owner.email, password)
    ttl = SESSIONS_CACHE.ttl(f"django.contrib.sessions.cache{key}")
    assert settings.SESSION_COOKIE_AGE - 5 <= ttl <= settings.SESSION_COOKIE_AGE

    quiet = client.get("/t/acme/")
    assert settings.SESSION_COOKIE_NAME not in quiet.cookies, "not rewritten on every request"

    store = sessions._store_class()(session_key=key)
    store[sessions.SEEN_FIELD] = 0  # as if the last refresh was long ago
    store.save()
    SESSIONS_CACHE.expire(f"django.contrib.sessions.cache{key}", 30)
    refreshed = client.get("/t/acme/")
    assert refreshed.cookies[settings.SESSION_COOKIE_NAME].value == key
    assert refreshed.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == settings.SESSION_COOKIE_AGE
    assert SESSIONS_CACHE.ttl(f"django.contrib.sessions.cache{key}") > 30


def test_deleting_a_user_ends_their_sessions(
    tenant, member_factory, password, django_capture_on_commit_callbacks
):
    from accounts.models import User
    from accounts.services import user_delete

    user = member_factory(tenant, "member")
    client = Client()
    key = _login(client, user.email, password)
    with django_capture_on_commit_callbacks(execute=True):
        user_delete(user=user)
    assert not _alive(key)
    assert not User.objects.filter(pk=user.pk).exists()


def test_tenant_deleted_ends_sessions_of_deleted_users_and_revokes_keys(
    tenant, member_factory, password, django_capture_on_commit_callbacks
):
    from accounts.models import ApiKey
    from accounts.services import api_key_create

    gone, stays = member_factory(tenant, "member"), member_factory(tenant, "owner")
    gone_client, stays_client = Client(), Client()
    gone_key = _login(gone_client, gone.email, password)
    stays_key = _login(stays_client, stays.email, password)
    api_key, _ = api_key_create(tenant=tenant, name="n8n", role="moderator")
    with django_capture_on_commit_callbacks(execute=True):
        tenant_deleted.send(
            sender=None, tenant=tenant, user_ids=[gone.pk, stays.pk], deleted_user_ids=[gone.pk]
        )
    assert not _alive(gone_key)
    assert _alive(stays_key)
    assert ApiKey.objects.get(pk=api_key.pk).revoked_at is not None


def test_logout_drops_the_session_from_the_list(owner, password):
    client = Client()
    _login(client, owner.email, password)
    assert len(sessions.sessions_list_for_user(user=owner)) == 1
    client.post("/accounts/logout/")
    assert sessions.sessions_list_for_user(user=owner) == []


def test_device_describe():
    assert sessions.device_describe(FIREFOX) == "Firefox on Linux"
    assert sessions.device_describe("curl/8.5.0") == "curl"
    assert sessions.device_describe("") == "Unknown device"
