"""Failure drill: PostgreSQL drops the connection under a survey page save.

The portal runs as deployed (gunicorn, one worker process, one thread, so every request
uses the same persistent connection) on the test database: the machine's PostgreSQL in CI,
the embedded server on a laptop. The test terminates the server's backend from its own
connection (pg_terminate_backend), either while the save waits on a lock the test holds,
or between two requests. The respondent is asked to save again and loses nothing typed.
"""

import html.parser
import os
import re
import subprocess
import sys
import tempfile
import threading
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from surveys.answering.views import page_url
from surveys.models import Answer, Campaign, Competence, Response, Survey
from tests.factories.surveys import small_framework
from tests.socore.test_processes import stop, wait_for
from tests.surveys.reports.test_worker import database_url

ROOT = Path(__file__).resolve().parents[3]
pytestmark = [pytest.mark.worker, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ASKED_TO_SAVE_AGAIN = "press the button again"


@pytest.fixture
def portal():
    """gunicorn on the test database; its address."""
    log = tempfile.NamedTemporaryFile("w+", prefix="drill-gunicorn-", suffix=".log")  # noqa: SIM115 - closed below
    log_path = Path(log.name)
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        # This machine over plain HTTP (no HTTPS redirect, static files from the source);
        # the test's key, so the session it signs in with is valid there.
        "LOCAL": "1",
        "DEBUG": "false",
        "SECRET_KEY": settings.SECRET_KEY,
        "WEB_CONCURRENCY": "1",
        "WEB_THREADS": "1",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "socore.wsgi", "--bind=127.0.0.1:0"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )

    def listening_at() -> str | None:
        found = re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", log_path.read_text())
        return found and found.group(1)

    try:
        base = wait_for(lambda: process.poll() is not None or listening_at(), 60, "gunicorn")
        assert process.poll() is None, log_path.read_text()
        yield base
    finally:
        stop(process)
        log.close()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Visitor:
    """A browser without JavaScript: keeps its cookies, posts forms with their CSRF token."""

    def __init__(self, base: str, cookies: dict[str, str]):
        self.base, self.cookies = base, dict(cookies)
        self.opener = urllib.request.build_opener(NoRedirect)

    def request(self, path: str, data: dict | None = None) -> tuple[int, dict, str]:
        cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers={"Cookie": cookie})
        try:
            with self.opener.open(request, timeout=60) as reply:
                status, headers, content = reply.status, reply.headers, reply.read()
        except urllib.error.HTTPError as error:
            status, headers, content = error.code, error.headers, error.read()
        for value in headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";")[0]
        return status, dict(headers), content.decode()

    def post_form(self, path: str, page: str, data: dict) -> tuple[int, dict, str]:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        return self.request(path, {**data, "csrfmiddlewaretoken": token})


class CheckedInputs(html.parser.HTMLParser):
    """The (name, value) of every ticked radio button or checkbox of a page."""

    def __init__(self, page: str):
        super().__init__()
        self.checked: set[tuple[str, str]] = set()
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "input" and "checked" in attributes:
            self.checked.add((attributes["name"], attributes.get("value") or ""))


@pytest.fixture
def answering(respondent):
    """A respondent half-way through: About you and the first area saved, on the second."""
    now = timezone.now()
    framework = small_framework()
    survey = Survey.objects.create(framework=framework, kind="self", title="Survey")
    campaign = Campaign.objects.create(
        survey=survey,
        title="Śląskie competences",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=14),
        access="open",
        privacy_notice="We keep your answers for the SOCORE project only.",
        privacy_notice_version="2026-1",
    )
    response = Response.objects.create(
        campaign=campaign,
        respondent=respondent,
        consent_version="2026-1",
        consented_at=now,
        organisation_type="university",
        role="researcher",
        experience="2-5",
        current_page=2,
    )
    first, second = (
        list(Competence.objects.filter(area__framework=framework, area__position=p)) for p in (0, 1)
    )
    for competence in first:
        Answer.objects.create(
            response=response, competence=competence, current_level=3, importance=4
        )
    client = Client()
    client.force_login(respondent)
    return response, first, second, {"sessionid": client.cookies["sessionid"].value}


def typed(competences) -> dict:
    return {
        **{f"c{c.pk}-current_level": "2" for c in competences},
        **{f"c{c.pk}-importance": "5" for c in competences},
        "action": "next",
    }


def stored(response) -> dict[int, tuple]:
    return {
        competence_id: (current, importance)
        for competence_id, current, importance in Answer.objects.filter(
            response=response
        ).values_list("competence_id", "current_level", "importance")
    }


@contextmanager
def answers_locked():
    """While held, a save that writes answers waits at its first write, on a backend the test
    can see in pg_stat_activity."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("LOCK TABLE surveys_answer IN EXCLUSIVE MODE")
        yield cursor


def waiting_backend(cursor) -> int | None:
    # Inside a transaction the activity view is read once: read it anew each time.
    cursor.execute("SELECT pg_stat_clear_snapshot()")
    cursor.execute(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
        "AND pid <> pg_backend_pid() AND wait_event_type = 'Lock' "
        "AND query LIKE 'INSERT INTO \"surveys_answer\"%%'"
    )
    row = cursor.fetchone()
    return row and row[0]


def terminate_other_backends() -> int:
    """Every connection to the test database but the test's own: the server's."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_a_connection_lost_during_the_save_asks_to_save_again_and_keeps_every_answer(
    portal, answering
):
    response, first, second, cookies = answering
    before = stored(response)
    visitor = Visitor(portal, cookies)
    path = page_url(response, 2)
    status, _, page = visitor.request(path)
    assert status == 200

    outcome = {}
    save = threading.Thread(
        target=lambda: outcome.update(reply=visitor.post_form(path, page, typed(second)))
    )
    with answers_locked() as cursor:
        save.start()
        pid = wait_for(lambda: waiting_backend(cursor), 30, "the save to wait at its write")
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    save.join(timeout=60)

    status, _, page = outcome["reply"]
    assert status == 503, page[-2000:]
    assert ASKED_TO_SAVE_AGAIN in page
    # What was typed is on the page again, ticked as it was sent.
    ticked = CheckedInputs(page).checked
    assert {(name, value) for name, value in typed(second).items() if name != "action"} <= ticked
    # Nothing of the page is half-stored, nothing saved before is lost.
    assert stored(response) == before

    # Saved again, it is stored (the last page: "Next" stays on it).
    status, headers, _ = visitor.post_form(path, page, typed(second))
    assert status == 302
    assert headers["Location"] == path
    assert stored(response) == {**before, **{c.pk: (2, 5) for c in second}}


def test_a_connection_dropped_between_two_requests_is_replaced_before_the_save(portal, answering):
    """The server keeps its connection between requests (CONN_MAX_AGE); PostgreSQL ended it
    meanwhile (a restart, a failover, an idle timeout): the next save opens a new one."""
    response, first, second, cookies = answering
    visitor = Visitor(portal, cookies)
    path = page_url(response, 2)
    status, _, page = visitor.request(path)
    assert status == 200

    assert terminate_other_backends() >= 1
    status, headers, body = visitor.post_form(path, page, typed(second))

    assert status == 302, body[-2000:]
    assert stored(response)[second[0].pk] == (2, 5)
