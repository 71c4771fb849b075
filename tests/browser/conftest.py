"""Playwright driving Debian's Chromium against pytest-django's live server.

One browser for the whole session; a fresh context (cookies, storage) for every test.
Tests here use the live server, so they need a transactional database (flushed after
each test; tests/conftest.py seeds the consortium again before the next one).
"""

import re
import shutil
import time

import pytest
from django.conf import settings
from playwright.sync_api import expect, sync_playwright

from partners.models import Membership
from tests.conftest import unavailable
from tests.factories.accounts import PASSWORD, MembershipFactory, UserFactory

CHROMIUM_ARGS = [
    "--no-sandbox",  # we run as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# A test that waits longer than this for one element has failed, not the machine.
TIMEOUT_MS = 10_000
# A TOTP code is typed and sent well within this many seconds.
TOTP_MARGIN_SECONDS = 5

# Marks for every browser test module: `pytestmark = BROWSER_TEST`. They run in
# `make test-slow` (and CI), which keeps `make test` short.
BROWSER_TEST = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module.

    While Playwright runs, its sync API keeps an event loop running in this thread, and Django
    refuses ORM calls (the fixtures', the tests') as "async-unsafe" unless
    DJANGO_ALLOW_ASYNC_UNSAFE is set. Both last only as long as the module: after it, the loop
    is gone and the variable with it, so no later test runs with the guard off, and no
    `manage.py check --deploy` started by a later test trips over the variable (async.E001).
    """
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        unavailable("Debian's chromium is not installed")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=path, headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()


@pytest.fixture
def page(browser, live_server):
    # live_server.url is http://localhost:<port>: Chromium keeps the Secure session and CSRF
    # cookies for localhost even over plain HTTP.
    context = browser.new_context(locale="en-GB", base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def new_coordinator(db):
    """A regional coordinator who has not set up TOTP yet."""
    user = UserFactory(email="new.coordinator@example.org")
    MembershipFactory(user=user, role=Membership.Role.COORDINATOR)
    return user


def totp_code(secret: str | None = None) -> str:
    """The code an authenticator app shows now for `secret` (the demo secret by default)."""
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    # allauth accepts only the current period's code (MFA_TOTP_TOLERANCE 0): near the end of
    # a period, wait for the next one so the code is still good when the form is sent.
    into_period = time.time() % app_settings.TOTP_PERIOD
    if into_period > app_settings.TOTP_PERIOD - TOTP_MARGIN_SECONDS:
        time.sleep(app_settings.TOTP_PERIOD - into_period + 0.1)
    counter = int(time.time()) // app_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret or settings.DEMO_TOTP_SECRET, counter))


@pytest.fixture
def sign_in(page):
    """`sign_in(user)`: through the sign-in form, and the TOTP step when one is asked for."""

    def sign_in_as(user, password: str = PASSWORD, *, totp: bool = False):
        page.goto("/accounts/login/")
        page.get_by_label("Email").fill(user.email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("main").get_by_role("button", name="Sign in").click()
        if totp:
            expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
            page.get_by_label("Code").fill(totp_code())
            page.get_by_role("main").get_by_role("button", name="Sign in").click()
        expect(page).not_to_have_url(re.compile(r"/accounts/(login|2fa/authenticate)/"))
        # Signed in: the account menu names the user (folded behind "Menu" on a phone).
        expect(page.locator("nav.account-menu")).to_contain_text(user.get_short_name())
        return page

    return sign_in_as
