"""Every page of the foundation as every role: allowed, 403, 404 or sent to sign in."""

from html.parser import HTMLParser

import pytest

from tests.conftest import ROLES

OK, FORBIDDEN, MISSING, LOGIN = 200, 403, 404, "login"

# page: expected outcome for each role in ROLES order
# (anonymous, respondent, staff, other_staff, coordinator, other_coordinator, consortium, admin)
EVERYONE = dict.fromkeys(ROLES, OK)
SIGNED_IN = {**EVERYONE, "anonymous": LOGIN}
PAGES = {
    "/": EVERYONE,
    "/privacy/": EVERYONE,
    "/partners/": EVERYONE,
    "/partners/us/": EVERYONE,
    "/partners/no-such-partner/": dict.fromkeys(ROLES, MISSING),
    "/partners/add/": {
        **dict.fromkeys(ROLES, FORBIDDEN),
        "anonymous": LOGIN,
        "consortium_coordinator": OK,
    },
    "/partners/province-of-silesia/edit/": {
        **dict.fromkeys(ROLES, FORBIDDEN),
        "anonymous": LOGIN,
        "coordinator": OK,
        "consortium_coordinator": OK,
    },
    "/partners/no-such-partner/edit/": {
        **dict.fromkeys(ROLES, MISSING),
        "anonymous": LOGIN,
    },
    "/accounts/profile/": SIGNED_IN,
    "/accounts/email/": SIGNED_IN,
    "/accounts/password/change/": SIGNED_IN,
    "/accounts/2fa/": SIGNED_IN,
    "/accounts/sessions/": SIGNED_IN,
    "/admin/": {**dict.fromkeys(ROLES, LOGIN), "admin_user": OK},
}

CASES = [
    (path, role, outcome) for path, outcomes in PAGES.items() for role, outcome in outcomes.items()
]


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "role", "expected"), CASES)
def test_page_as_role(client_as, path, role, expected):
    response = client_as(role).get(path)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(("/accounts/login/", "/admin/login/"))
    else:
        assert response.status_code == expected
    if expected == FORBIDDEN:
        assert "You cannot do this" in response.content.decode()
    if expected == MISSING:
        assert "We cannot find this page" in response.content.decode()


@pytest.mark.django_db
def test_admin_sign_in_goes_through_allauth_and_its_two_factor_step(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_pages_carry_the_security_headers(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


class AssetCollector(HTMLParser):
    """Collects every loaded asset (scripts, stylesheets, images) and inline script or style."""

    def __init__(self):
        super().__init__()
        self.assets: list[str] = []
        self.inline: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in ("script", "img") and "src" in attributes:
            self.assets.append(attributes["src"])
        elif tag == "script":
            self.inline.append("inline script")
        if tag == "link" and attributes.get("rel") in ("stylesheet", "icon"):
            self.assets.append(attributes["href"])
        if tag == "style" or "style" in attributes:
            self.inline.append(f"inline style on <{tag}>")
        self.inline.extend(f"{name} on <{tag}>" for name in attributes if name.startswith("on"))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "staff"])
@pytest.mark.parametrize("path", ["/", "/partners/", "/partners/us/", "/accounts/login/"])
def test_pages_load_assets_only_from_the_site_itself(client_as, role, path):
    response = client_as(role).get(path, follow=True)
    collector = AssetCollector()
    collector.feed(response.content.decode())
    assert collector.assets, "the page should at least load its stylesheet"
    for asset in collector.assets:
        assert asset.startswith("/static/"), asset
    assert collector.inline == []


def test_health_tells_a_visitor_only_ok_and_an_operator_the_details(
    client, db, settings, admin_user, staff
):
    settings.HEALTH_TOKEN = "operators-token"
    public = client.get("/health/")
    assert public.status_code == 200 and public.json() == {"status": "ok"}
    wrong = client.get("/health/", headers={"Authorization": "Bearer guessed"})
    assert wrong.json() == {"status": "ok"}
    detailed = client.get("/health/", headers={"Authorization": "Bearer operators-token"})
    assert set(detailed.json()["checks"]) == {"database", "broker", "worker"}
    client.force_login(staff)  # partner staff: no staff status, no details
    assert client.get("/health/").json() == {"status": "ok"}
    client.force_login(admin_user)
    assert "checks" in client.get("/health/").json()
