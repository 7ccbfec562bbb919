"""Real-browser end-to-end fixtures: Playwright driving Debian's Chromium against pytest-django's live server.

Every test in tests/browser should carry the ``browser`` marker and use the database the
way the live server needs it (the server thread has its own connection, so data must be
committed)::

    pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Fixtures:

- ``browser`` (package scope): one headless Chromium for all the tests in this folder.
- ``page`` / ``page_without_js`` (function scope): a fresh context (no cookies, no storage)
  and page, 1400x1000, 10 s default timeout, with JavaScript on / off. Requests to any host
  but the loopback are aborted and their URLs listed in ``page.blocked_requests``. After the
  test a full-page screenshot is saved to ``var/screenshots/<test name>.png``, pass or fail.
- ``signed_in``: ``signed_in(page, live_server, username, password)`` logs in through the
  real admin login form and asserts that it worked.

Chromium is Debian's package (``apt-get install chromium``; ``.ci/run`` installs it), never a
browser downloaded by ``playwright install``. ``CHROMIUM_PATH`` points at another executable.
Without Chromium the tests are skipped on a developer machine and fail in CI (``CI`` set).
"""

from __future__ import annotations

import os
import re
import shutil
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import cast
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Error,
    Page,
    Playwright,
    Route,
    ViewportSize,
    expect,
    sync_playwright,
)
from pytest_django.live_server_helper import LiveServer

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = REPO_ROOT / "var" / "screenshots"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
VIEWPORT: ViewportSize = {"width": 1400, "height": 1000}
DEFAULT_TIMEOUT_MS = 10_000
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # root in containers and CI; there is no user namespace to sandbox in
    "--disable-gpu",
    "--disable-dev-shm-usage",  # /dev/shm is small in containers; Chromium crashes when it fills up
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Assertions made with playwright's expect() wait as long as any other step.
expect.set_options(timeout=DEFAULT_TIMEOUT_MS)


class BrowserPage(Page):
    """The type of the ``page`` fixtures (for annotations only; never instantiated):
    a Playwright page plus the URLs of the requests its context refused to send."""

    blocked_requests: list[str]


SignIn = Callable[[BrowserPage, LiveServer, str, str], BrowserPage]


def chromium_path() -> str | None:
    """The Chromium executable: ``CHROMIUM_PATH``, else ``chromium`` on PATH, else Debian's; None if missing."""
    candidate = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or DEFAULT_CHROMIUM
    path = Path(candidate)
    return str(path) if path.is_file() and os.access(path, os.X_OK) else None


@pytest.fixture(scope="package")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """One headless Chromium, with a fresh profile, for the tests of this folder.

    Package scope, not session scope: Playwright's sync API runs an asyncio event loop in a
    greenlet of the test thread, and from ``start()`` to ``stop()`` that loop counts as the
    thread's *running* loop. Django's ORM refuses to run while a loop is running
    (``SynchronousOnlyOperation``), and ``asyncio.run()`` / ``async_to_sync`` fail too. The
    tests here do use the ORM between browser steps (creating users, checking what a form
    saved), which is safe: the loop is idle while the test code runs, in the same thread, and
    nothing else touches Django's connections from it. So ``DJANGO_ALLOW_ASYNC_UNSAFE`` is set
    for exactly as long as Playwright runs, and Playwright stops when the last test of this
    folder is done, so the rest of the suite keeps Django's check and a loop-free thread.
    """
    executable = chromium_path()
    if executable is None:
        where = os.environ.get("CHROMIUM_PATH") or f"`chromium` on PATH or {DEFAULT_CHROMIUM}"
        message = f"the browser tests need Chromium, not found at {where}: apt-get install chromium"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)

    # Playwright's launch() refuses a --user-data-dir argument (it makes a profile of its own);
    # a persistent context takes ours, and its browser still makes isolated contexts per test.
    profile = tmp_path_factory.mktemp("chromium-profile")
    with pytest.MonkeyPatch.context() as environment:
        environment.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        playwright: Playwright = sync_playwright().start()
        try:
            persistent = playwright.chromium.launch_persistent_context(
                user_data_dir=str(profile),
                executable_path=executable,
                headless=True,
                args=CHROMIUM_ARGS,
            )
            assert persistent.browser is not None, "a persistent Chromium context has a browser"
            try:
                yield persistent.browser
            finally:
                persistent.close()
        finally:
            playwright.stop()


def _new_page(
    browser: Browser, request: pytest.FixtureRequest, *, javascript: bool, bypass_csp: bool = False
) -> Iterator[BrowserPage]:
    context: BrowserContext = browser.new_context(
        java_script_enabled=javascript, viewport=VIEWPORT, bypass_csp=bypass_csp
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    blocked: list[str] = []

    def local_only(route: Route) -> None:
        if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort("blockedbyclient")

    context.route("**/*", local_only)
    page = cast(BrowserPage, context.new_page())
    page.blocked_requests = blocked
    try:
        yield page
    finally:
        _save_screenshot(page, request.node.name)
        context.close()


def _save_screenshot(page: Page, test_name: str) -> None:
    """Keep what the page showed at the end of the test, passed or failed, for a person to look at."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', test_name)}.png"
    try:
        page.screenshot(path=str(path), full_page=True)
    except Error as error:  # a crashed or closed page must not hide the test's own result
        warnings.warn(f"no screenshot for {test_name}: {error}", stacklevel=1)


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[BrowserPage]:
    """A fresh context and page with JavaScript on; screenshot saved after the test."""
    yield from _new_page(browser, request, javascript=True)


@pytest.fixture
def page_for_axe(browser: Browser, request: pytest.FixtureRequest) -> Iterator[BrowserPage]:
    """A page whose context lets a test inject its own script (axe-core): the site's CSP allows only
    the site's scripts, rightly, and the injected one is the test's."""
    yield from _new_page(browser, request, javascript=True, bypass_csp=True)


@pytest.fixture
def page_without_js(browser: Browser, request: pytest.FixtureRequest) -> Iterator[BrowserPage]:
    """A fresh context and page with JavaScript off, to check what works without it."""
    yield from _new_page(browser, request, javascript=False)


def signed_in(page: BrowserPage, live_server: LiveServer, username: str, password: str) -> BrowserPage:
    """Sign in through the real admin login form (in a context not signed in yet) and check
    that the admin index opened; works with JavaScript on or off."""
    base = live_server.url
    page.goto(f"{base}/admin/login/?next=/admin/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("#login-form [type=submit]").click()
    # Either the admin's logout form (signed in) or the login form's error (refused) appears.
    page.locator("#logout-form, .errornote, .errorlist").first.wait_for(state="attached")
    errors = page.locator(".errornote, .errorlist")
    assert errors.count() == 0, f"admin login as {username!r} failed: {errors.first.inner_text()}"
    expect(page).to_have_url(f"{base}/admin/")
    expect(page.locator("#logout-form")).to_be_attached()
    return page


@pytest.fixture(name="signed_in")
def signed_in_fixture() -> SignIn:
    """``signed_in(page, live_server, username, password)``, for tests that take it as a fixture."""
    return signed_in
