from __future__ import annotations

import pytest

from accounts.models import User


def test_profile_saves_name_and_language_and_the_interface_follows(client, tenant, owner):
    client.force_login(owner)
    response = client.post("/accounts/profile/", {"full_name": "Ada Owner", "language": "it"})
    assert response.status_code == 302
    owner.refresh_from_db()
    assert (owner.full_name, owner.language) == ("Ada Owner", "it")
    page = client.get("/t/acme/", headers={"Accept-Language": "en"})
    assert page["Content-Language"] == "it"
    assert page.wsgi_request.LANGUAGE_CODE == "it"


def test_an_empty_language_follows_the_browser(client, tenant, owner):
    client.force_login(owner)
    client.post("/accounts/profile/", {"full_name": "", "language": ""})
    page = client.get("/t/acme/", headers={"Accept-Language": "it"})
    assert page.wsgi_request.LANGUAGE_CODE == "it"
    page = client.get("/t/acme/", headers={"Accept-Language": "en"})
    assert page.wsgi_request.LANGUAGE_CODE == "en"


@pytest.mark.parametrize("language", ["xx", "fr", "<script>"])
def test_an_unknown_language_is_a_form_error(client, owner, language):
    client.force_login(owner)
    response = client.post("/accounts/profile/", {"full_name": "x", "language": language})
    assert response.status_code == 200
    assert response.context["form"].errors["language"]
    assert User.objects.get(pk=owner.pk).language == ""


def test_profile_needs_login(client, db):
    response = client.get("/accounts/profile/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_account_pages_render(client, owner):
    client.force_login(owner)
    for url in (
        "/accounts/profile/",
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/2fa/",
        "/accounts/sessions/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url


def test_two_factor_asks_for_the_password_again_then_offers_totp(client, owner, password):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=owner, email=owner.email, verified=True, primary=True)
    client.post("/accounts/login/", {"login": owner.email, "password": password})
    first = client.get("/accounts/2fa/totp/activate/")
    assert first.status_code == 302
    assert first["Location"].startswith("/accounts/reauthenticate/")
    wrong = client.post("/accounts/reauthenticate/", {"password": "not-it"})
    assert wrong.status_code == 200  # a form error, not a pass
    client.post("/accounts/reauthenticate/", {"password": password})
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    assert page.context["form"].secret  # the TOTP secret to enter in an authenticator app
    assert b"Activate" in page.content
