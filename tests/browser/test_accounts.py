"""Accounts in a real browser: sign-up verified by emailed code; sign-in by password, code, TOTP."""

import re

from allauth.account.models import EmailAddress
from django.core import mail
from playwright.sync_api import expect

from partners.models import User
from tests.factories.accounts import PASSWORD

from .conftest import BROWSER_TEST, totp_code

pytestmark = BROWSER_TEST

# allauth's codes are dashed groups of letters, alone on their line in the mail.
CODE_LINE = re.compile(r"^\s*([A-Z0-9]{3,6}(?:-[A-Z0-9]{3,6})+)\s*$", re.MULTILINE)


def emailed_code(address: str) -> str:
    messages = [message for message in mail.outbox if address in message.to]
    assert messages, f"no mail to {address}; outbox: {[m.subject for m in mail.outbox]}"
    match = CODE_LINE.search(messages[-1].body)
    assert match, f"no code in the mail to {address}:\n{messages[-1].body}"
    return match.group(1)


def account_menu(page):
    return page.get_by_role("navigation", name="Account")


def sign_out(page):
    account_menu(page).get_by_role("button", name="Sign out").click()
    # allauth signs out on the POST; should it ever ask to confirm, confirm.
    signed_out = account_menu(page).get_by_role("link", name="Sign in")
    confirm = page.get_by_role("main").get_by_role("button", name="Sign out")
    expect(signed_out.or_(confirm)).to_be_visible()
    if confirm.is_visible():
        confirm.click()
    expect(account_menu(page).get_by_role("link", name="Sign in")).to_be_visible()
    expect(account_menu(page).get_by_role("button", name="Sign out")).to_have_count(0)


def test_sign_up_verify_email_by_code_sign_out_and_in_again(page):
    email = "ada.lovelace@example.org"
    password = "analytical-engine-1843"

    page.goto("/")
    account_menu(page).get_by_role("link", name="Sign up").click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password:", exact=True).fill(password)
    page.get_by_label("Password (again)").fill(password)
    page.get_by_role("main").get_by_role("button", name="Sign up").click()

    # Verification by code: the address is not verified, and nobody is signed in, until then.
    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Verification Code")
    expect(account_menu(page).get_by_role("button", name="Sign out")).to_have_count(0)
    page.get_by_label("Code").fill(emailed_code(email))
    page.get_by_role("main").get_by_role("button", name="Confirm").click()

    expect(account_menu(page).get_by_role("link", name="ada.lovelace")).to_be_visible()
    assert EmailAddress.objects.get(email=email).verified
    assert User.objects.get(email=email).check_password(password)

    sign_out(page)

    account_menu(page).get_by_role("link", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    expect(account_menu(page).get_by_role("link", name="ada.lovelace")).to_be_visible()

    # The name in the header leads to the profile, which names the address signed in with.
    account_menu(page).get_by_role("link", name="ada.lovelace").click()
    expect(page).to_have_url(re.compile(r"/accounts/profile/$"))
    expect(page.get_by_role("main")).to_contain_text(email)

    sign_out(page)


def test_sign_in_with_emailed_code(page, respondent):
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Send me a sign-in code").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/code/$"))
    page.get_by_label("Email").fill(respondent.email)
    page.get_by_role("main").get_by_role("button", name="Request code").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/code/confirm/"))
    page.get_by_label("Code").fill(emailed_code(respondent.email))
    page.get_by_role("main").get_by_role("button", name="Confirm").click()

    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    expect(account_menu(page).get_by_role("link", name=respondent.get_short_name())).to_be_visible()


def test_coordinator_is_asked_for_totp_code(page, coordinator):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(coordinator.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    expect(account_menu(page).get_by_role("button", name="Sign out")).to_have_count(0)

    wrong = f"{(int(totp_code()) + 500_000) % 1_000_000:06d}"
    page.get_by_label("Code").fill(wrong)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    expect(page.get_by_role("main")).to_contain_text("Incorrect code")

    page.get_by_label("Code").fill(totp_code())
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/(login|2fa)/"))
    expect(
        account_menu(page).get_by_role("link", name=coordinator.get_short_name())
    ).to_be_visible()
    # Signed in with TOTP, the coordinator is not sent to set it up again.
    page.goto("/partners/")
    expect(page).to_have_url(re.compile(r"/partners/$"))
