"""`python -m bench.reports`: one regional report, from the request to the stored PDF.

Sets up (afresh on each run) Śląskie campaigns "bench-reports" on the current framework:
BENCH_SELF_RESPONSES (5000) self-assessments and BENCH_DEMAND_RESPONSES (500) employer
answers over all its competences, written with SQL generate_series. Starts a real Celery
worker (prefork, one pool process) with production settings, asks for the report and
waits for the stored PDF, BENCH_REPORTS (3) times ("render again": the first in a fresh
pool process, then warm ones). Prints, per report: request → stored seconds, the worker's
own timing, the peak resident memory (VmHWM) of the worker's processes, the WeasyPrint
render of the same final HTML alone (right after, under the same machine load) and the
ratio of the two; then the medians.
Not a test: nothing here asserts a time (the aims: ≤ 15 s, ≤ 400 MB, ratio ≤ 1.5).
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from bench.run import ROOT, manage, production_env

SELF_RESPONSES = int(os.environ.get("BENCH_SELF_RESPONSES", "5000"))
DEMAND_RESPONSES = int(os.environ.get("BENCH_DEMAND_RESPONSES", "500"))
REPORTS = int(os.environ.get("BENCH_REPORTS", "3"))
TITLE = "bench-reports"
EMAIL = "bench.reports@example.invalid"


def _setup_django(env: dict) -> None:
    import django

    os.environ.update({key: env[key] for key in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socore.settings")
    django.setup()


SEED_RESPONSES = """
INSERT INTO surveys_response (campaign_id, status, consent_version, consented_at, current_page,
    organisation_type, role, experience, age_band, started_at, updated_at, submitted_at,
    released)
SELECT %(campaign)s, 'submitted', '1', now(), 0,
    (ARRAY['university','research_institute','technology_transfer','science_park','company'])
        [1 + g %% 5],
    (ARRAY['researcher','technical','transfer','management','business'])[1 + (g / 5) %% 5],
    (ARRAY['0-2','2-5','6-10','11-20','20+'])[1 + (g / 25) %% 5],
    (ARRAY['-29','30-39','40-49','50-59','60+'])[1 + (g / 7) %% 5],
    now(), now(), now(), true
FROM generate_series(1, %(count)s) AS g
"""
# Current level and importance drift with the competence, so the ranking has a shape.
SEED_ANSWERS = """
INSERT INTO surveys_answer (response_id, competence_id, current_level, importance,
    required_level, not_applicable)
SELECT r.id, c.id,
    CASE WHEN %(self)s THEN least(5, 1 + floor(random() * 4 + (c.position %% 3) * 0.4))::int END,
    CASE WHEN %(self)s THEN least(5, 2 + floor(random() * 3 + (c.position %% 4) * 0.3))::int END,
    CASE WHEN %(self)s THEN NULL ELSE least(5, 2 + floor(random() * 4))::int END,
    false
FROM surveys_response r CROSS JOIN surveys_competence c
JOIN surveys_area a ON a.id = c.area_id
WHERE r.campaign_id = %(campaign)s AND a.framework_id = %(framework)s
"""


def seed():
    """The bench's campaigns and responses, replacing an earlier run's; returns them."""
    from django.db import connection, transaction
    from django.utils import timezone

    from partners.models import Membership, Partner, Region, User
    from surveys.models import Answer, Campaign, Framework, ReportRequest, Response, Survey

    framework = Framework.objects.current()
    region = Region.objects.get(slug="slaskie")
    with transaction.atomic():
        old = Campaign.objects.filter(title__startswith=TITLE)
        ReportRequest.objects.filter(campaigns__in=old).delete()
        Answer.objects.filter(response__campaign__in=old).delete()
        Response.objects.filter(campaign__in=old).delete()
        surveys = Survey.objects.filter(campaigns__in=old).distinct()
        survey_ids = list(surveys.values_list("pk", flat=True))
        old.delete()
        Survey.objects.filter(pk__in=survey_ids).delete()
        user, _ = User.objects.get_or_create(email=EMAIL, defaults={"name": "Bench coordinator"})
        Membership.objects.get_or_create(
            user=user,
            partner=Partner.objects.get(slug="province-of-silesia"),
            defaults={"role": Membership.Role.COORDINATOR},
        )
        now = timezone.now()
        campaigns = []
        for kind, count in (
            (Survey.Kind.SELF_ASSESSMENT, SELF_RESPONSES),
            (Survey.Kind.DEMAND, DEMAND_RESPONSES),
        ):
            survey = Survey.objects.create(framework=framework, kind=kind, title=f"{TITLE} {kind}")
            campaign = Campaign.objects.create(
                survey=survey,
                region=region,
                title=f"{TITLE} {kind}",
                opens_at=now - timezone.timedelta(days=60),
                closes_at=now - timezone.timedelta(days=1),
                access=Campaign.Access.OPEN,
                target_responses=count,
                privacy_notice="Bench data.",
                privacy_notice_version="bench",
            )
            with connection.cursor() as cursor:
                cursor.execute(SEED_RESPONSES, {"campaign": campaign.pk, "count": count})
                cursor.execute(
                    SEED_ANSWERS,
                    {
                        "campaign": campaign.pk,
                        "framework": framework.pk,
                        "self": kind == Survey.Kind.SELF_ASSESSMENT,
                    },
                )
            campaigns.append(campaign)
    competences = framework.areas.values_list("competences", flat=True).count()
    answers = Answer.objects.filter(response__campaign__in=campaigns).count()
    print(
        f"seeded {region.name}: {SELF_RESPONSES} self-assessments and {DEMAND_RESPONSES} "
        f"employer answers over {competences} competences ({answers} answers)"
    )
    return user, region, campaigns


def pool_pids(worker_pid: int) -> list[int]:
    path = Path(f"/proc/{worker_pid}/task/{worker_pid}/children")
    try:
        return [int(pid) for pid in path.read_text().split()]
    except FileNotFoundError:
        return []


def peak_memory_mb(pids: list[int]) -> float:
    """The largest VmHWM (peak resident set) among the processes, in MB."""
    peaks = []
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
        except FileNotFoundError:
            continue
    return max(peaks, default=0.0)


def start_worker(env: dict) -> subprocess.Popen:
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "socore",
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            "--hostname=bench-reports@%h",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
    )
    # Ready means consuming: its pool is up and it answers a ping over the broker, as a
    # long-running production worker would.
    from celery import current_app

    name = f"bench-reports@{socket.gethostname()}"
    for _ in range(300):
        if pool_pids(worker.pid) and current_app.control.ping(timeout=0.5, destination=[name]):
            return worker
        time.sleep(0.1)
    raise RuntimeError("the worker did not start")


def wait_done(report_pk: int, timeout: float = 300) -> None:
    from surveys.models import ReportRequest

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, error = ReportRequest.objects.values_list("status", "error").get(pk=report_pk)
        if status == ReportRequest.Status.DONE:
            return
        if status == ReportRequest.Status.FAILED:
            raise RuntimeError(f"report {report_pk} failed: {error}")
        time.sleep(0.02)
    raise RuntimeError(f"report {report_pk} not done after {timeout} s")


def main() -> int:
    env = production_env()
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    _setup_django(env)
    from celery import current_app
    from django.utils import translation

    from socore.lib.pdf import html_to_pdf
    from surveys.reports import document, pipeline

    user, region, campaigns = seed()
    current_app.control.purge()
    worker = start_worker(env)
    rows = []
    try:
        report = None
        for number in range(1, REPORTS + 1):
            started = time.perf_counter()
            if report is None:
                report, _existing = pipeline.request_report(
                    user=user, region=region, campaigns=campaigns, language="en"
                )
            else:
                report = pipeline.render_again(report, user)
            wait_done(report.pk)
            total = time.perf_counter() - started
            report.refresh_from_db()
            worker_time = (report.finished_at - report.started_at).total_seconds()
            memory = peak_memory_mb([worker.pid, *pool_pids(worker.pid)])
            # The same final HTML, laid out by WeasyPrint alone, right after (same machine load).
            with translation.override(report.language):
                html = document.render_html(report)
            layout_started = time.perf_counter()
            html_to_pdf(html)
            alone = time.perf_counter() - layout_started
            rows.append((total, alone))
            print(
                f"report {number}: request → stored {total:.2f} s "
                f"(in the worker {worker_time:.2f} s), {report.file_size / 1024:.0f} KiB, "
                f"worker peak RSS {memory:.0f} MB; "
                f"WeasyPrint alone {alone:.2f} s; ratio {total / alone:.2f}"
            )
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    totals = sorted(total for total, _alone in rows)
    ratios = sorted(total / alone for total, alone in rows)
    print(
        f"median over {len(rows)}: request → stored {totals[len(totals) // 2]:.2f} s, "
        f"ratio {ratios[len(ratios) // 2]:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
