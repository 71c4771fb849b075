"""The production processes, outside Docker: a Celery worker and gunicorn, on the configured
broker and database (Redis and PostgreSQL in CI; the embedded stand-ins on a laptop)."""

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from socore.celery import app as celery_app
from socore.tasks import ping

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.worker


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.3)
    pytest.fail(f"timed out after {timeout}s waiting for {what}")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def worker(tmp_path_factory):
    log_path = tmp_path_factory.mktemp("worker") / "worker.log"
    log = open(log_path, "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "socore",
            "worker",
            "--pool=solo",
            f"--hostname={_worker_name()}",
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(
            lambda: (
                process.poll() is not None
                or celery_app.control.ping(timeout=1.0, destination=[_worker_name()])
            ),
            60,
            "the worker to answer a ping",
        )
        if process.poll() is not None:
            pytest.fail(f"worker exited: {log_path.read_text()}")
        yield process
    finally:
        stop(process)
        log.close()


def _worker_name() -> str:
    # Unique per test process: an xdist worker's broker is its own, and so is this name.
    return f"pytest-{os.getpid()}@{socket.gethostname()}"


def test_a_task_runs_end_to_end_on_a_real_worker(worker):
    result = ping.delay()
    assert result.get(timeout=30) == "pong"


def test_health_reports_database_broker_and_worker(worker, client, db, settings):
    settings.HEALTH_TOKEN = "operators-token"
    response = client.get("/health/", headers={"Authorization": "Bearer operators-token"})
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "broker": "ok", "worker": "ok"},
    }


def test_gunicorn_serves_the_portal_with_production_settings(worker, tmp_path):
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "HEALTH_TOKEN": "operators-token",
    }
    log_path = tmp_path / "gunicorn.log"
    log = open(log_path, "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "socore.wsgi",
            "--bind=127.0.0.1:0",  # the system picks a free port; gunicorn logs which
            "--workers=2",
            "--access-logfile=-",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )

    def listening_at() -> str | None:
        found = re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", log_path.read_text())
        return found and found.group(1)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)

    def get(path: str, **headers):
        request = urllib.request.Request(base + path, headers=headers)
        try:
            with opener.open(request, timeout=10) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()
        except OSError:
            return None

    try:
        base = wait_for(
            lambda: process.poll() is not None or listening_at(), 60, "gunicorn to bind"
        )
        assert process.poll() is None, log_path.read_text()
        status, _, body = wait_for(lambda: get("/health/"), 60, "gunicorn to answer")
        assert status == 200, body
        assert json.loads(body) == {"status": "ok"}
        token = {"Authorization": "Bearer operators-token"}
        status, _, body = get("/health/", **token)
        assert status == 200, body
        assert json.loads(body)["checks"]["worker"] == "ok"

        # Behind the proxy (TLS terminated there), pages are served with the security headers.
        status, headers, body = get("/", **{"X-Forwarded-Proto": "https"})
        assert status == 200, log_path.read_text()[-3000:]
        assert "Strict-Transport-Security" in headers
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert "unsafe-inline" not in headers["Content-Security-Policy"]

        # Plain HTTP is redirected to HTTPS.
        status, headers, _ = get("/partners/")
        assert status == 301
        assert headers["Location"].startswith("https://")

        # Static files come from the site itself, hashed and cacheable, through whitenoise.
        stylesheet = body.decode().split('<link rel="stylesheet" href="')[1].split('"')[0]
        assert stylesheet.startswith("/static/css/site.") and stylesheet.endswith(".css")
        status, headers, css = get(stylesheet, **{"X-Forwarded-Proto": "https"})
        assert status == 200
        assert b".site-header" in css
        assert "max-age" in headers["Cache-Control"]
    finally:
        stop(process)
        log.close()


def test_a_local_portal_shows_its_own_error_pages_and_serves_static_files_from_source():
    """`make run` (LOCAL, no DEBUG): a mistyped address gets the portal's 404 page, not
    Django's technical page listing every URL pattern; CSS comes straight from static/."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "STATIC_ROOT")
    }
    env["LOCAL"] = "1"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def get(path):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as reply:
                return reply.status, reply.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()
        except OSError:
            return None

    try:
        status, page = wait_for(lambda: get("/no-such-page/"), 60, "runserver to answer")
        assert status == 404
        assert '<a class="skip-link"' in page  # the portal's own page, in its layout
        assert "URLconf" not in page and "Page not found" in page
        status, css = get("/static/css/site.css")
        assert status == 200 and ".site-header" in css
    finally:
        stop(process)
