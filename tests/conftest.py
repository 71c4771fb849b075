"""Fixtures for the roles of DESIGN.md section 1, the rule that CI skips nothing, and the
isolation of parallel runs.

The seeded consortium (migration partners.0002) is the stage: the University of
Silesia (lead) and the Province of Silesia in Śląskie, HU in Utrecht.

Under pytest-xdist each worker process ("gw0", "gw1", …) has its own test database
(pytest-django names it), and here its own broker, result store and cache (two Redis
databases of its own, or a filesystem broker folder of its own), so that one worker's
Celery processes, pings, purges and cache clears never reach another's.
"""

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from partners.consortium import seed
from partners.models import Membership, Partner, Region
from practices import tags
from practices.models import Theme
from socore.celery import app as celery_app
from socore.lib import embedded
from surveys.framework import default as default_framework
from surveys.models import Framework
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
    isolate_xdist_worker()


def isolate_xdist_worker() -> None:
    """Give this xdist worker its own broker, results and cache, here and in the worker and
    gunicorn processes its tests start (they read the same variables from the environment)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker:
        return
    number = int(worker.removeprefix("gw"))
    if settings.REDIS_URL:
        # The run's own pair is databases N and N + 1; worker k takes N + 2(k + 1), N + 2k + 3.
        parts = urlsplit(settings.REDIS_URL)
        base = int(parts.path.strip("/") or 0) + 2 * (number + 1)
        broker = urlunsplit(parts._replace(path=f"/{base}"))
        cache_url = urlunsplit(parts._replace(path=f"/{base + 1}"))
        os.environ["REDIS_URL"] = broker
        os.environ["CACHE_URL"] = cache_url
        settings.CELERY_BROKER_URL = settings.CELERY_RESULT_BACKEND = broker
        settings.CACHES = {**settings.CACHES, "default": {**settings.CACHES["default"]}}
        settings.CACHES["default"]["LOCATION"] = cache_url
        options = {}
        backend = broker
    else:
        folder = Path(settings.DATA_DIR) / "celery" / worker
        os.environ["BROKER_DIR"] = str(folder)
        broker, options, backend = embedded.filesystem_broker(folder)
        settings.CELERY_BROKER_URL, settings.CELERY_RESULT_BACKEND = broker, backend
        settings.CELERY_BROKER_TRANSPORT_OPTIONS = options
    celery_app.conf.update(
        broker_url=broker,
        result_backend=backend,
        **({"broker_transport_options": options} if options else {}),
    )


SKIPPED: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped and not hasattr(report, "wasxfail"):
        SKIPPED.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    """A run that must use every service fails when any test was skipped, whatever the reason
    it gave (under xdist the controller sees every worker's reports)."""
    if REQUIRE_SERVICES and SKIPPED and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter:
            reporter.write_line(
                f"SOCORE_REQUIRE_SERVICES is set and {len(SKIPPED)} test(s) were skipped: "
                + ", ".join(sorted(SKIPPED)),
                red=True,
            )


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


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts, and leaves the next one, in the default language: a language a test
    (or a request) activated never decides what a later test's strings compare with."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def row_counts() -> dict[str, int]:
    """The number of rows of every model: a refused POST changes none of them."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.fixture
def private_root(settings, tmp_path):
    """Reports and exports are stored under a folder of this test's own (to count the files,
    or to make storing fail)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }
    return tmp_path / "private"


@pytest.fixture
def memory_cache(settings):
    """A cache outside the database, for query counts: without Redis the cache would be
    the database, and its lookups would be counted as the portal's own queries."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture(autouse=True)
def _consortium(request):
    """The seeded regions, partners, default framework and tags (the migrations' data), back again
    after a transactional test flushed them."""
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
        if not Framework.objects.exists():
            default_framework.install(apps.get_model)
        if not Theme.objects.exists():
            tags.add_tags(apps.get_model)
            # As after a migrate: the catalogues' names of the tags, which search reads.
            tags.sync_translations(apps.get_model)


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
