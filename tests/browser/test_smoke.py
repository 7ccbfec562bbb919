"""Smoke test of the browser test infrastructure: Chromium reaches the live server, signs in, renders the admin."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect

if TYPE_CHECKING:
    from pathlib import Path

    from pytest_django.live_server_helper import LiveServer

    from tests.browser.conftest import BrowserPage, SignIn

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
OUTSIDE_URL = "http://127.0.0.2:9/tracker.png"


def test_a_superuser_signs_in_and_sees_the_desk(
    page: BrowserPage, live_server: LiveServer, signed_in: SignIn, django_user_model, tmp_path: Path
) -> None:
    django_user_model.objects.create_superuser("smoke-admin", "smoke@example.org", "a long smoke password")

    signed_in(page, live_server, "smoke-admin", "a long smoke password")
    page.goto(f"{live_server.url}/admin/")

    expect(page).to_have_title(re.compile("Fact-check desk"))
    expect(page.locator("#site-name")).to_contain_text("Fact-check desk")
    expect(page.locator("#user-tools")).to_contain_text("smoke-admin")
    assert page.blocked_requests == []  # the admin needs no network but the site itself

    # The fixture saves var/screenshots/<test name>.png after the test; the same call works here.
    path = tmp_path / "admin-index.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.read_bytes().startswith(PNG_SIGNATURE)


def test_the_admin_login_page_works_without_javascript(page_without_js: BrowserPage, live_server: LiveServer) -> None:
    page = page_without_js
    page.goto(f"{live_server.url}/admin/login/")

    expect(page).to_have_title(re.compile("Log in"))
    expect(page.locator("#id_username")).to_be_visible()
    expect(page.locator("#id_password")).to_be_visible()
    expect(page.locator("#login-form [type=submit]")).to_be_visible()
    assert page.blocked_requests == []


def test_requests_to_other_hosts_are_blocked_and_recorded(page: BrowserPage, live_server: LiveServer) -> None:
    # 127.0.0.2 is not the live server's host, so it is refused like any outside host (and,
    # being loopback, would reach nothing outside this machine even if it were not).
    # about:blank has no Content Security Policy (the site's pages would stop the image
    # before it is requested), so the request reaches the test's network filter.
    page.goto("about:blank")
    page.evaluate("url => { const image = new Image(); image.src = url; document.body.append(image); }", OUTSIDE_URL)
    page.wait_for_function("() => document.images[document.images.length - 1].complete")

    assert page.blocked_requests == [OUTSIDE_URL]


def test_the_sites_content_security_policy_stops_an_injected_outside_request(
    page: BrowserPage, live_server: LiveServer
) -> None:
    violations: list[str] = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.goto(f"{live_server.url}/admin/login/")
    page.evaluate("url => { const image = new Image(); image.src = url; document.body.append(image); }", OUTSIDE_URL)
    page.wait_for_function("() => document.images[document.images.length - 1].complete")

    assert page.blocked_requests == []  # the browser never sent it
    assert any(OUTSIDE_URL in text for text in violations)
