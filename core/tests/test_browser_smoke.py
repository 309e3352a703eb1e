from __future__ import annotations

import pytest

from core.testing.browser import screenshot


@pytest.mark.browser
def test_a_member_logs_in_with_a_real_browser_and_reaches_the_tenant(
    live_app, live_tenant_factory, page
):
    live = live_tenant_factory("browser-smoke", roles=("owner",))
    page.goto(f"{live_app.url}/t/browser-smoke/")
    assert "/accounts/login/" in page.url  # anonymous: sent to log in, with next= kept
    page.fill("input[name=login]", "owner@browser-smoke.example")
    page.fill("input[name=password]", live.password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_app.url}/t/browser-smoke/")
    assert page.locator("h1").inner_text() == "Browser Smoke"
    assert screenshot(page, "smoke-tenant-home").stat().st_size > 0
