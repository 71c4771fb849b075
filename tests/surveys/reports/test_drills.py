"""Failure drill: Redis, the broker, restarted while report requests are queued.

The test starts a `redis-server` of its own on a free port, persisted as docker-compose.yml
runs it (append-only file), and a real worker on it; this process sends its tasks there
too. Redis is killed (SIGKILL: a crash, the worst restart) while one render runs and others
wait in the queue, a request is made while it is down, and it is started again on the same
port and data. Every request must end done, or failed with a message; none stays queued or
running (beat's sweep runs as it would, minutes later); none is rendered twice.

(A worker killed mid-render is drilled in test_worker.py. The drill brings its own Redis,
so it runs the same where the suite itself uses the filesystem broker.)
"""

import datetime
import shutil
import signal
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
import time_machine
from django.utils import timezone

from socore.celery import app as celery_app
from surveys.models import ReportRequest
from surveys.reports import pipeline
from tests.conftest import unavailable
from tests.factories.reports import build_world
from tests.socore.test_processes import wait_for
from tests.surveys.reports.test_worker import pool_process, renders_held, row, started_worker

pytestmark = [pytest.mark.worker, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

FINISHED = {ReportRequest.Status.DONE, ReportRequest.Status.FAILED}


class RedisServer:
    """A redis-server on its own port and data folder, with the project's persistence."""

    def __init__(self, data: Path):
        if not shutil.which("redis-server"):
            unavailable("redis-server is not installed (apt install redis-server)")
        self.data = data
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process: subprocess.Popen | None = None

    def url(self, database: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        # As in docker-compose.yml: `redis-server --appendonly yes`, its data in one folder.
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.data),
                "--appendonly",
                "yes",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self.answers, 30, "redis-server to answer")

    def answers(self) -> bool:
        client = redis.Redis.from_url(self.url(), socket_timeout=1)
        try:
            return client.ping()
        except redis.RedisError:
            return False
        finally:
            client.close()

    def crash(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=20)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


@pytest.fixture
def broker(tmp_path, settings):
    """The test's Redis: broker and results of this process's tasks, and its cache, as
    REDIS_URL alone sets them in production (the cache on the next database number)."""
    server = RedisServer(tmp_path / "redis")
    server.data.mkdir()
    server.start()
    settings.CACHES = {
        "default": {"BACKEND": "socore.lib.cache.ResilientRedisCache", "LOCATION": server.url(1)}
    }
    try:
        with tasks_sent_to(server.url()):
            yield server
    finally:
        server.stop()


@contextmanager
def tasks_sent_to(url: str):
    """This process's Celery app sends to (and reads results from) `url`, then goes back."""
    saved = celery_app.conf.broker_url, celery_app.conf.result_backend

    def point_at(broker_url, result_backend):
        celery_app.conf.update(broker_url=broker_url, result_backend=result_backend)
        # The app keeps its connection pools and result backend once made: made anew.
        celery_app._pool = None
        celery_app.amqp._producer_pool = None
        celery_app._local.__dict__.pop("backend", None)

    point_at(url, url)
    try:
        yield
    finally:
        point_at(*saved)


def statuses(reports) -> list[str]:
    return [row(report)[0] for report in reports]


def worker_is_idle(process) -> bool:
    inspect = celery_app.control.inspect(timeout=1.0)
    held = [*((inspect.active() or {}).values()), *((inspect.reserved() or {}).values())]
    return bool(held) and all(tasks == [] for tasks in held)


def test_redis_crashing_under_queued_reports_loses_none_and_renders_none_twice(
    broker, coordinator, client, tmp_path
):
    world = build_world()
    client.force_login(coordinator)
    private = tmp_path / "private"

    def ask():
        report, _existing = pipeline.request_report(
            user=coordinator,
            region=world.region,
            campaigns=world.campaigns,
            language="en",
            force=True,  # a new version each time: several renders of one report
        )
        return report

    # Four requests wait in the queue before any worker runs.
    reports = [ask() for _ in range(4)]
    assert statuses(reports) == [ReportRequest.Status.QUEUED] * 4
    time.sleep(1.5)  # the append-only file is written to disk every second

    environment = {
        "REDIS_URL": broker.url(),
        "CACHE_URL": broker.url(1),
        "PRIVATE_ROOT": str(private),
    }
    with started_worker(**environment) as worker:
        with renders_held():
            # The first is being rendered (held at its first read of the answers), the others
            # are still queued in Redis, when Redis dies.
            wait_for(
                lambda: (
                    row(reports[0]) == (ReportRequest.Status.RUNNING, 1) and pool_process(worker)
                ),
                60,
                "the first render to start",
            )
            broker.crash()
        # The render goes on while Redis is down. The coordinator asks for another report
        # meanwhile: the page answers, and the request is kept to be sent once Redis is back.
        answer = client.post(
            "/reports/requests/new/",
            {
                "region": world.region.slug,
                "campaigns": [c.pk for c in world.campaigns],
                "language": "en",
                "kind": ReportRequest.Kind.REPORT_PDF,
                "role": "researcher",
            },
        )
        assert answer.status_code == 302
        during = ReportRequest.objects.exclude(pk__in=[r.pk for r in reports]).get()
        assert answer["Location"] == during.get_absolute_url()
        assert row(during)[0] == ReportRequest.Status.QUEUED
        broker.start()
        reports.append(during)

        # The worker reconnects by itself and renders what Redis kept.
        def settled():
            return worker_is_idle(worker) and statuses(reports)

        try:
            wait_for(
                lambda: settled() and not set(statuses(reports[:4])) - FINISHED,
                60,
                "the queued reports",
            )
        except pytest.fail.Exception:
            pytest.fail(f"{statuses(reports)}\n{worker.log_path.read_text()[-5000:]}")
        # Beat's sweep, minutes later, sends what Redis never had.
        later = timezone.now() + pipeline.RESEND_AFTER + datetime.timedelta(minutes=1)
        with time_machine.travel(later):
            swept = pipeline.sweep()
        assert swept["resent"] == 1
        wait_for(lambda: not set(statuses(reports)) - FINISHED, 60, "the request made meanwhile")

    rows = [ReportRequest.objects.get(pk=report.pk) for report in reports]
    assert [r.status for r in rows] == [ReportRequest.Status.DONE] * 5, [
        (r.status, r.error) for r in rows
    ]
    # Four versions of one report, and the first of another.
    assert [r.version for r in rows] == [1, 2, 3, 4, 1]
    # Each rendered once: one attempt, one file, and no other file left behind.
    assert [r.attempts for r in rows] == [1] * 5
    files = sorted(path for path in private.rglob("*") if path.is_file())
    assert files == sorted(private / r.file for r in rows)
