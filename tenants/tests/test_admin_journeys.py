"""The tenant admin's key journeys in a real browser (Debian's Chromium through Playwright)."""

from __future__ import annotations

import pytest

from core.testing.browser import mail_links, screenshot

pytestmark = pytest.mark.browser


def _log_in(page, base: str, email: str, password: str, next_path: str) -> None:
    page.goto(f"{base}/accounts/login/?next={next_path}")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{base}{next_path}")


def _sidebar(page) -> list[str]:
    return [text.strip() for text in page.locator(".sidebar a.nav").all_inner_texts()]


def test_owner_invites_a_member_who_accepts_then_gets_a_new_role(
    live_app, live_tenant_factory, browser, page, django_db_blocker
):
    base = live_app.url
    live = live_tenant_factory("journey", roles=("owner",))
    other = live_tenant_factory("journey-two", roles=("owner",))
    owner = live.users["owner"]
    with django_db_blocker.unblock():
        from accounts.services import membership_add

        membership_add(user=owner, tenant=other.tenant, role="collaborator")

    # 1. Log in and see the dashboard with real figures.
    _log_in(page, base, owner.email, live.password, "/t/journey/")
    assert page.locator("h1").inner_text() == "Journey"
    assert page.locator("[data-testid=members-active]").inner_text() == "1"
    screenshot(page, "dashboard")

    # 2. Invite a member by e-mail.
    page.click(".sidebar a.nav:has-text('Members')")
    page.wait_for_url(f"{base}/t/journey/members/")
    page.fill("[data-testid=invite-form] input[name=email]", "newcomer@journey.example")
    page.select_option("[data-testid=invite-form] select[name=role]", "member")
    page.click("[data-testid=invite-form] button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "newcomer@journey.example" in page.content()
    screenshot(page, "members")
    links = mail_links("newcomer@journey.example", "/invites/")
    assert links, "the invitation e-mail carries an accept link"
    invite_path = links[-1].split("://", 1)[1].split("/", 1)[1]

    # 3. Accept the invite in a second browser context (another person, no session).
    newcomer_context = browser.new_context()
    newcomer = newcomer_context.new_page()
    try:
        newcomer.goto(f"{base}/{invite_path}")
        newcomer.fill("input[name=full_name]", "Nina Newcomer")
        for field in newcomer.locator("input[type=password]").all():
            field.fill("Newcomer-pass-2026")
        newcomer.click("form button[type=submit]")
        newcomer.wait_for_url(f"{base}/t/journey/")
        before = _sidebar(newcomer)
        assert "Dashboard" in before
        assert "Members" not in before  # the member role may not see the member list

        # 4. The owner makes the newcomer a moderator; their sidebar changes on the next page.
        page.goto(f"{base}/t/journey/members/")
        page.click("tr:has-text('newcomer@journey.example') a:has-text('Open')")
        page.check("[data-testid=roles-form] input[value=moderator]")
        page.uncheck("[data-testid=roles-form] input[value=member]")
        page.click("[data-testid=roles-form] button[type=submit]")
        page.wait_for_load_state("networkidle")
        newcomer.reload()
        after = _sidebar(newcomer)
        assert "Members" in after
        assert "Audit log" in after
        # The invitation link cannot be used twice.
        newcomer.goto(f"{base}/{invite_path}")
        assert newcomer.locator("form button:has-text('Create account')").count() == 0
        assert newcomer.locator("form button:has-text('Join')").count() == 0
    finally:
        newcomer_context.close()

    # 5. Switch tenant with the workspace switcher.
    page.goto(f"{base}/t/journey/")
    page.select_option("[data-testid=tenant-switcher]", "/t/journey-two/")
    page.wait_for_url(f"{base}/t/journey-two/")
    assert page.locator("h1").inner_text() == "Journey Two"

    # 6. Switch the language to Italian in the profile: the admin follows it.
    page.goto(f"{base}/accounts/profile/")
    page.select_option("select[name=language]", "it")
    page.click("[data-testid=profile-form] button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.goto(f"{base}/t/journey-two/")
    assert page.locator("html").get_attribute("lang") == "it"
    assert "Membri" in _sidebar(page)  # "Members", from the compiled Italian catalog
    screenshot(page, "dashboard-it")
