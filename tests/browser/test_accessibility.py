"""axe-core on every page of the portal, as the role that sees it, and the 320 px layout.

Each page fails on any axe violation of impact "serious" or "critical", and on horizontal
scrolling in a 320 px wide window (WCAG 1.4.10 Reflow).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from partners.models import Membership
from tests.factories.accounts import PASSWORD, MembershipFactory, UserFactory, activate_totp

from .conftest import BROWSER_TEST

pytestmark = BROWSER_TEST

FAILING_IMPACTS = {"serious", "critical"}
NARROWEST = 320

axe = Axe()


@dataclass(frozen=True)
class Case:
    id: str
    role: str  # "visitor", a fixture of tests/conftest.py, or "new_coordinator"
    path: str | None = None  # opened after signing in; None: `reach` gets there
    status: int = 200
    lands_on: str | None = None  # regex of the URL the page must end up at; default: path
    reach: Callable[[Page], None] | None = None


def sign_up_until_code(page: Page) -> None:
    page.goto("/accounts/signup/")
    page.get_by_label("Email").fill("new.person@example.org")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign up").click()
    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/"))


def request_login_code(page: Page) -> None:
    user = UserFactory(email="code.person@example.org")
    page.goto("/accounts/login/code/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_role("main").get_by_role("button", name="Request code").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/code/confirm/"))


def password_step_of_totp_sign_in(page: Page) -> None:
    user = UserFactory(email="totp.person@example.org")
    MembershipFactory(user=user, role=Membership.Role.COORDINATOR)
    activate_totp(user)
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))


def reauthenticate_to_activate_totp(page: Page) -> None:
    page.goto("/partners/")
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/\?next=/partners/$"))
    expect(page.get_by_role("img", name=re.compile(r"^[A-Z2-7]{16,}$"))).to_be_visible()


CASES = [
    # A visitor
    Case("home", "visitor", "/"),
    Case("privacy", "visitor", "/privacy/"),
    Case("partner-list", "visitor", "/partners/"),
    Case("partner-detail", "visitor", "/partners/us/"),
    # With results it is checked in test_dashboard_accessibility.py; here before any.
    Case("statistics-before-any-result", "visitor", "/statistics/"),
    Case("login", "visitor", "/accounts/login/"),
    Case("signup", "visitor", "/accounts/signup/"),
    Case("password-reset", "visitor", "/accounts/password/reset/"),
    Case("request-login-code", "visitor", "/accounts/login/code/"),
    Case("not-found", "visitor", "/no-such-page/", status=404),
    # ... and the pages the sign-up and sign-in flows lead a visitor through
    Case("confirm-email-code", "visitor", reach=sign_up_until_code),
    Case("confirm-login-code", "visitor", reach=request_login_code),
    Case("totp-authenticate", "visitor", reach=password_step_of_totp_sign_in),
    # Partner staff
    Case("profile", "staff", "/accounts/profile/"),
    Case("email", "staff", "/accounts/email/"),
    Case("password-change", "staff", "/accounts/password/change/"),
    Case("mfa-index", "staff", "/accounts/2fa/"),
    Case("sessions", "staff", "/accounts/sessions/"),
    Case("logout-confirm", "staff", "/accounts/logout/"),
    Case("forbidden", "staff", "/partners/add/", status=403),
    # The consortium coordinator, signed in with TOTP
    Case("partner-add", "consortium_coordinator", "/partners/add/"),
    Case("partner-edit", "consortium_coordinator", "/partners/us/edit/"),
    # A coordinator without TOTP is sent to set it up, from wherever they go; allauth first
    # asks for the password again, then shows the QR code.
    Case(
        "reauthenticate",
        "new_coordinator",
        "/partners/",
        lands_on=r"/accounts/reauthenticate/\?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F",
    ),
    Case("totp-activate", "new_coordinator", reach=reauthenticate_to_activate_totp),
]


def axe_report(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"\n[{violation['impact']}] {violation['id']}: {violation['help']}\n"
            f"  {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            lines.append(f"  - {' '.join(str(target) for target in node['target'])}")
            lines.append(f"    {node['html'][:300]}")
            for summary_line in (node.get("failureSummary") or "").splitlines():
                lines.append(f"      {summary_line.strip()}")
    return "\n".join(lines)


def serious_violations(page: Page) -> list[dict]:
    violations = axe.run(page).response["violations"]
    return [violation for violation in violations if violation["impact"] in FAILING_IMPACTS]


OVERFLOWING_ELEMENTS = """
(limit) => [...document.querySelectorAll("body *")]
  .filter((element) => element.getBoundingClientRect().right > limit + 0.5)
  .slice(0, 10)
  .map((element) => element.outerHTML.slice(0, 160))
"""


def assert_no_serious_violations(page: Page) -> None:
    failing = serious_violations(page)
    assert not failing, f"axe on {page.url}:{axe_report(failing)}"


def assert_reflows_at_narrowest(page: Page) -> None:
    """WCAG 1.4.10: the page works at 320 CSS px without scrolling sideways."""
    page.set_viewport_size({"width": NARROWEST, "height": 800})
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > NARROWEST:
        culprits = page.evaluate(OVERFLOWING_ELEMENTS, NARROWEST)
        pytest.fail(
            f"{page.url} scrolls sideways at {NARROWEST} px (scrollWidth {scroll_width}); "
            "wider elements:\n  " + "\n  ".join(culprits)
        )


def open_case(case: Case, page: Page, request: pytest.FixtureRequest, sign_in) -> None:
    if case.role != "visitor":
        user = request.getfixturevalue(case.role)
        sign_in(user, totp=user.authenticator_set.filter(type="totp").exists())
    if case.reach:
        case.reach(page)
    if case.path:
        response = page.goto(case.path)
        assert response is not None
        assert response.status == case.status, f"{case.path}: HTTP {response.status}"
        expect(page).to_have_url(re.compile(case.lands_on or (re.escape(case.path) + "$")))


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_page_has_no_serious_axe_violations_and_reflows_at_320px(case, page, request, sign_in):
    open_case(case, page, request, sign_in)
    assert_no_serious_violations(page)
    assert_reflows_at_narrowest(page)


def test_the_axe_check_sees_a_planted_violation(page):
    """The check above would pass on any page if axe could not run there (a CSP change...)."""
    page.goto("/")
    page.evaluate(
        """() => {
            const image = document.createElement("img");
            image.src = "/static/img/logo.svg";
            document.querySelector("main").append(image);
        }"""
    )
    assert "image-alt" in {violation["id"] for violation in serious_violations(page)}


def test_password_rules_are_the_description_of_the_password_field(page):
    page.goto("/accounts/signup/")
    expect(page.get_by_label("Password:", exact=True)).to_have_accessible_description(
        re.compile("at least 8 characters")
    )
