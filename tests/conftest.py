"""Fixtures for the roles of DESIGN.md section 1, and the rule that CI skips nothing.

The seeded consortium (migration partners.0002) is the stage: the University of
Silesia (lead) and the Province of Silesia in Śląskie, HU in Utrecht.
"""

import os
import shutil

import pytest
from django.conf import settings
from django.core.cache import cache

from partners.consortium import seed
from partners.models import Membership, Partner, Region
from tests.factories.accounts import MembershipFactory, UserFactory, activate_totp

REQUIRE_SERVICES = os.environ.get("SOCORE_REQUIRE_SERVICES") == "1"


def pytest_configure(config):
    # Tests talk plain HTTP to the test client and the live server, and read static files
    # through the finders instead of a collected manifest.
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # A fast hasher: password strength is not what these tests measure.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def unavailable(reason: str) -> None:
    """Skip on a laptop without the thing; fail in CI, where everything must run."""
    if REQUIRE_SERVICES:
        pytest.fail(f"required for this run but unavailable: {reason}")
    pytest.skip(reason)


@pytest.fixture
def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        unavailable("Debian's chromium is not installed")
    return path


@pytest.fixture(autouse=True)
def _fresh_cache():
    # allauth's rate limits count in the cache; each test starts with none used. (The database
    # cache of a machine without Redis is emptied with each test's database anyway.)
    if "redis" in settings.CACHES["default"]["BACKEND"].lower():
        cache.clear()
    yield


@pytest.fixture
def memory_cache(settings):
    """A cache outside the database, for query counts: without Redis the cache would be
    the database, and its lookups would be counted as the portal's own queries."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture(autouse=True)
def _consortium(request):
    """The seeded regions and partners, back again after a transactional test flushed them."""
    uses_database = request.node.get_closest_marker("django_db") or {
        "db",
        "transactional_db",
        "live_server",
    } & set(request.fixturenames)
    if uses_database:
        request.getfixturevalue(
            "db" if "live_server" not in request.fixturenames else "live_server"
        )
        if not Partner.objects.filter(is_lead=True).exists():
            seed(Region, Partner)


@pytest.fixture
def slaskie(db) -> Region:
    return Region.objects.get(nuts_code="PL22")


@pytest.fixture
def utrecht(db) -> Region:
    return Region.objects.get(nuts_code="NL35")


@pytest.fixture
def lead_partner(db) -> Partner:
    return Partner.objects.get(slug="us")


@pytest.fixture
def province(db) -> Partner:
    return Partner.objects.get(slug="province-of-silesia")


@pytest.fixture
def hu(db) -> Partner:
    return Partner.objects.get(slug="hu")


@pytest.fixture
def consortium_coordinator(lead_partner):
    user = UserFactory(email="consortium@example.org")
    MembershipFactory(
        user=user, partner=lead_partner, role="coordinator", is_consortium_coordinator=True
    )
    activate_totp(user)
    return user


@pytest.fixture
def coordinator(province):
    """Regional coordinator of Śląskie, at the Province of Silesia."""
    user = UserFactory(email="coordinator.slaskie@example.org")
    MembershipFactory(user=user, partner=province, role=Membership.Role.COORDINATOR)
    activate_totp(user)
    return user


@pytest.fixture
def staff(province):
    """Partner staff of the same partner as `coordinator`."""
    user = UserFactory(email="staff.slaskie@example.org")
    MembershipFactory(user=user, partner=province)
    return user


@pytest.fixture
def other_staff(hu):
    """Partner staff of another region's partner (HU, Utrecht)."""
    user = UserFactory(email="staff.utrecht@example.org")
    MembershipFactory(user=user, partner=hu)
    return user


@pytest.fixture
def other_coordinator(hu):
    user = UserFactory(email="coordinator.utrecht@example.org")
    MembershipFactory(user=user, partner=hu, role=Membership.Role.COORDINATOR)
    activate_totp(user)
    return user


@pytest.fixture
def respondent(db):
    return UserFactory(email="respondent.test@example.org")


@pytest.fixture
def admin_user(db):
    user = UserFactory(email="admin.test@example.org", is_staff=True, is_superuser=True)
    activate_totp(user)
    return user


ROLES = [
    "anonymous",
    "respondent",
    "staff",
    "other_staff",
    "coordinator",
    "other_coordinator",
    "consortium_coordinator",
    "admin_user",
]


@pytest.fixture
def client_as(client, request):
    """`client_as("coordinator")`: the test client signed in as that role's fixture."""

    def sign_in(role: str):
        if role != "anonymous":
            client.force_login(request.getfixturevalue(role))
        return client

    return sign_in
