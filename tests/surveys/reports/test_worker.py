"""Regional reports through a real Celery worker (prefork, one pool process) on the real
broker and the test database: a PDF made end to end, and a pool process killed with
SIGKILL in the middle of a render — retried, or failed once the attempts are used up; and
an export of the anonymised answers, which reads its snapshot outside any transaction."""

import datetime
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
import time_machine
from django.db import connection, transaction
from django.utils import timezone

from socore.celery import app as celery_app
from surveys.models import ReportRequest
from surveys.models.reports import ATTEMPTS_EXHAUSTED, TIMED_OUT
from surveys.reports import pipeline
from surveys.tasks import render_report
from tests.factories.reports import TOP_COMPETENCE, build_world, pdf_text
from tests.socore.test_processes import stop, wait_for

ROOT = Path(__file__).resolve().parents[3]
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def database_url() -> str:
    """The test database, for the worker process to use too."""
    settings = connection.settings_dict
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    host, query = settings["HOST"], ""
    if host.startswith("/"):
        # The embedded server listens on a socket directory: given as an option.
        host, query = "", f"?host={quote(settings['HOST'])}"
    return (
        f"postgres://{settings['USER']}{password}@{host}:{settings['PORT'] or 5432}"
        f"/{settings['NAME']}{query}"
    )


def worker_command(name: str) -> list[str]:
    """A worker of one prefork pool process, named `name`, quiet towards other workers."""
    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "socore",
        "worker",
        "--pool=prefork",
        "--concurrency=1",
        f"--hostname={name}",
        "--without-gossip",
        "--without-mingle",
        "--loglevel=INFO",
    ]


@contextmanager
def started_worker(**env: str):
    """A worker process on the test database (and `env` over this process's environment,
    e.g. another REDIS_URL); yields it once its pool process is up."""
    name = f"reports-{os.getpid()}-{time.monotonic_ns()}@%h"
    log = tempfile.NamedTemporaryFile("w+", prefix="report-worker-", suffix=".log")  # noqa: SIM115
    log_path = Path(log.name)
    process = subprocess.Popen(
        worker_command(name),
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url(), **env},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(lambda: process.poll() is not None or pool_process(process), 60, "the pool")
        if process.poll() is not None:
            pytest.fail(f"worker exited: {log_path.read_text()}")
        process.log_path = log_path  # for a failing test to show what the worker said
        yield process
    finally:
        stop(process)
        log.close()


@pytest.fixture
def report_worker(db):
    celery_app.control.purge()  # nothing left over from an earlier run
    with started_worker() as process:
        yield process


def pool_process(worker: subprocess.Popen) -> int | None:
    # Any of the master's threads may have started it: without an event loop (the
    # filesystem broker) a supervisor thread replaces a lost pool process.
    pids = []
    for children in Path(f"/proc/{worker.pid}/task").glob("*/children"):
        try:
            pids += children.read_text().split()
        except FileNotFoundError:
            continue
    return int(pids[0]) if pids else None


def ask(user, world) -> ReportRequest:
    report, _existing = pipeline.request_report(
        user=user, region=world.region, campaigns=world.campaigns, language="en"
    )
    return report


def row(report: ReportRequest) -> tuple[str, int]:
    return ReportRequest.objects.filter(pk=report.pk).values_list("status", "attempts").get()


@contextmanager
def renders_held():
    """While this holds a lock on the answers table, a render that has claimed its row waits
    at its first read of the answers: the attempt stays running until it is killed, however
    fast the machine renders. Released after each kill, so the next delivery can claim."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("LOCK TABLE surveys_answer IN ACCESS EXCLUSIVE MODE")
        yield


def worker_is_idle() -> bool:
    """No message waits in the queue, and no worker holds one (running or reserved)."""
    with celery_app.connection_for_read() as broker:
        try:
            waiting = broker.default_channel.queue_declare(
                queue=celery_app.conf.task_default_queue, passive=True
            ).message_count
        except broker.channel_errors:
            waiting = 0  # Redis keeps no empty queue: "no queue" is an empty one
    inspect = celery_app.control.inspect(timeout=1.0)
    held = [*((inspect.active() or {}).values()), *((inspect.reserved() or {}).values())]
    return waiting == 0 and bool(held) and all(tasks == [] for tasks in held)


def kill_during_attempt(worker, report, attempt: int) -> None:
    """SIGKILL the pool process while it renders the given attempt."""
    # The pool process is looked up in the same poll: the master may still be replacing
    # the one killed before when the row already shows the new attempt.
    with renders_held():
        pid = wait_for(
            lambda: row(report) == (ReportRequest.Status.RUNNING, attempt) and pool_process(worker),
            60,
            f"attempt {attempt} to start",
        )
        os.kill(pid, signal.SIGKILL)


def test_a_worker_renders_the_report_and_the_requester_downloads_it(
    report_worker, coordinator, client, tmp_path
):
    world = build_world()
    report = ask(coordinator, world)

    wait_for(lambda: row(report)[0] == ReportRequest.Status.DONE, 90, "the report")

    client.force_login(coordinator)
    response = client.get(f"/reports/requests/{report.pk}/download/")
    text = " ".join(pdf_text(b"".join(response.streaming_content), tmp_path).split())
    assert "Śląskie" in text
    assert TOP_COMPETENCE in text


def test_a_worker_exports_the_anonymised_answers_outside_any_transaction(
    report_worker, coordinator, client
):
    import csv
    import io
    import zipfile

    world = build_world()
    report, _existing = pipeline.request_report(
        user=coordinator,
        region=world.region,
        campaigns=[world.self_campaign],
        kind=ReportRequest.Kind.ANSWERS_CSV,
        columns=["organisation_type"],
        language="en",
    )

    wait_for(lambda: row(report)[0] == ReportRequest.Status.DONE, 90, "the export")

    client.force_login(coordinator)
    response = client.get(f"/reports/requests/{report.pk}/download/")
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        text = archive.read("answers.csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0][-1] == "organisation_type" and len(rows) == 13  # 12 from universities
    report.refresh_from_db()
    assert (report.summary["rows"], report.summary["submitted"]) == (12, 12)


def test_a_render_killed_midway_is_retried_and_finishes(report_worker, coordinator, tmp_path):
    world = build_world(respondents=60)
    report = ask(coordinator, world)

    kill_during_attempt(report_worker, report, 1)
    wait_for(lambda: row(report)[0] == ReportRequest.Status.DONE, 120, "the retry to finish")

    report.refresh_from_db()
    assert report.attempts == 2
    assert report.error == ""


def test_a_render_killed_every_time_fails_with_a_message_after_the_last_attempt(
    report_worker, coordinator, settings
):
    world = build_world(respondents=60)
    report = ask(coordinator, world)

    for attempt in range(1, settings.REPORT_MAX_ATTEMPTS + 1):
        kill_during_attempt(report_worker, report, attempt)
    wait_for(lambda: row(report)[0] == ReportRequest.Status.FAILED, 60, "the row to fail")

    report.refresh_from_db()
    assert report.attempts == settings.REPORT_MAX_ATTEMPTS
    assert report.error == str(ATTEMPTS_EXHAUSTED)
    assert report.finished_at is not None
    # Every delivery of the message has been taken (the queue is empty, the worker idle):
    # none brought the row back.
    wait_for(lambda: worker_is_idle(), 60, "the worker to have taken every delivery")
    assert row(report)[0] == ReportRequest.Status.FAILED


def test_a_render_lost_with_its_whole_worker_is_retried_by_the_sweep(db, coordinator, settings):
    """The worker and its pool process die together (the host is gone): the broker would
    hand the message out again only after its visibility timeout; the sweep does not wait."""
    celery_app.control.purge()
    world = build_world(respondents=60)
    with started_worker() as first:
        report = ask(coordinator, world)
        # Held at its first read of the answers: still rendering when both are killed.
        with renders_held():
            pool = wait_for(
                lambda: row(report) == (ReportRequest.Status.RUNNING, 1) and pool_process(first),
                60,
                "the render to start",
            )
            os.kill(first.pid, signal.SIGKILL)
            os.kill(pool, signal.SIGKILL)
            first.wait(timeout=20)
    assert row(report) == (ReportRequest.Status.RUNNING, 1)

    with started_worker():
        later = timezone.now() + datetime.timedelta(seconds=settings.REPORT_TIME_LIMIT + 300)
        with time_machine.travel(later):
            assert pipeline.sweep()["requeued"] == 1
        wait_for(lambda: row(report)[0] == ReportRequest.Status.DONE, 90, "the retry to finish")

    assert row(report) == (ReportRequest.Status.DONE, 2)


# A stale attempt, in this process ---------------------------------------------------------


def stored_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())


def test_a_stale_attempt_that_finishes_late_leaves_no_file_and_changes_nothing(
    db, coordinator, private_root
):
    world = build_world()
    report = ask(coordinator, world)
    outcome = {}

    def first_attempt():
        try:
            outcome["first"] = pipeline.run(report.pk, "message-a")
        finally:
            connection.close()

    first = threading.Thread(target=first_attempt)
    with renders_held():
        first.start()
        wait_for(lambda: row(report) == (ReportRequest.Status.RUNNING, 1), 30, "attempt 1")
        # Its worker is taken for dead: the broker delivers the same message again, and
        # this attempt (on the connection holding the lock) renders at once.
        assert pipeline.run(report.pk, "message-a") == ReportRequest.Status.DONE
    first.join(timeout=60)

    assert outcome["first"] == "skipped"  # attempt 1 came back late and wrote nothing
    report.refresh_from_db()
    assert (report.status, report.attempts, report.error) == (ReportRequest.Status.DONE, 2, "")
    assert stored_files(private_root) == [private_root / report.file]


def test_a_render_past_its_soft_time_limit_stops_with_a_message(db, coordinator):
    """A real soft time limit: the worker's pool process is signalled while the render waits
    (held at its first read of the answers), and the attempt ends with the time-out message."""
    world = build_world()
    report = ask(coordinator, world)
    celery_app.control.purge()  # the delivery with the configured limits: replaced below
    with started_worker(), renders_held():
        render_report.apply_async((report.pk,), soft_time_limit=2, time_limit=120)
        wait_for(lambda: row(report)[0] == ReportRequest.Status.FAILED, 60, "the time-out")

    report.refresh_from_db()
    assert (report.attempts, report.error) == (1, str(TIMED_OUT))
    assert not report.file
