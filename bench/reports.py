"""`python -m bench.reports`: the first regional report of the largest region, from the
request to the stored PDF.

Over the benchmark data set (bench.dataset): Śląskie's coordinator asks for the report of its
follow-up self-assessment and its employer demand campaigns, as the report form would send
it, through a real Celery worker (prefork, one pool process) with production settings on the
configured broker (REDIS_URL, else the filesystem broker). A real first: the rows of earlier
runs for the same report (same subject, asked by the same coordinator) go first, with their
files, and the cached analyses are dropped (the statistics stored at each release of
responses stay, as in production), so the worker computes every figure afresh in a fresh
pool process. Then BENCH_REPORTS - 1 (default 1) more versions ("render again": warm).

Per report: request → stored seconds, the worker's own timing, the peak resident memory
(VmHWM) of the worker's processes, the WeasyPrint layout of the same final HTML alone (right
after, in this process, under the same machine load) and the ratio of the two. The figures
are the first report's. Not a test: nothing here asserts a time.

    python -m bench.reports              # build the data set if missing, then measure
    python -m bench.reports --profile    # and a profile of one render in this process
"""

import argparse
import cProfile
import io
import os
import pstats
import socket
import subprocess
import sys
import time
from pathlib import Path

import bench
from bench import dataset
from bench.run import ROOT, manage, production_env

REPORTS = int(os.environ.get("BENCH_REPORTS", "2"))
RATIO_TARGET = 1.2
SECONDS_TARGET = 20
MEMORY_TARGET_MB = 500
LANGUAGE = "en"


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
        # The "report ready" email is sent, to nowhere unless an EMAIL_URL is set.
        env={"EMAIL_URL": "dummymail://", **env},
    )
    # Ready means consuming: its pool is up and it answers a ping over the broker, as a
    # long-running production worker would.
    from celery import current_app

    name = f"bench-reports@{socket.gethostname()}"
    for _ in range(300):
        if pool_pids(worker.pid) and current_app.control.ping(timeout=0.5, destination=[name]):
            return worker
        if worker.poll() is not None:
            break
        time.sleep(0.1)
    worker.terminate()
    raise RuntimeError("the worker did not start")


def wait_done(report_pk: int, started: float, timeout: float = 600) -> dict[str, float]:
    """Wait for the stored file; returns the seconds spent in each stage of the render as
    the row showed it (polled every 20 ms), from `started` (a perf_counter reading)."""
    from surveys.models import ReportRequest

    stages, current, since = {}, "request", started
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, stage, error = ReportRequest.objects.values_list("status", "stage", "error").get(
            pk=report_pk
        )
        now = time.perf_counter()
        seen = stage if status == ReportRequest.Status.RUNNING else status
        if seen != current:
            stages[current] = round(stages.get(current, 0) + now - since, 3)
            current, since = seen, now
        if status == ReportRequest.Status.DONE:
            return stages
        if status == ReportRequest.Status.FAILED:
            raise RuntimeError(f"report {report_pk} failed: {error}")
        time.sleep(0.02)
    raise RuntimeError(f"report {report_pk} not done after {timeout} s")


def _asked():
    """The coordinator of the largest region, the region and the campaigns of its report."""
    from partners.models import Region, User

    user = User.objects.get(email=dataset.COORDINATOR % dataset.LARGEST)
    region = Region.objects.get(slug=dataset.LARGEST)
    chosen = dataset.campaigns(dataset.LARGEST)
    return user, region, [chosen["followup"], chosen["demand"]]


def forget_earlier(user, region, campaigns) -> int:
    """Remove the earlier runs' versions of this report (and their files), so that the
    request is a first; returns how many there were."""
    from surveys.models import ReportRequest
    from surveys.models.reports import private_storage
    from surveys.reports import pipeline

    subject = pipeline.subject_of(
        ReportRequest.Kind.REPORT_PDF, region, [c.pk for c in campaigns], {}, LANGUAGE
    )
    earlier = ReportRequest.objects.filter(subject=subject, requested_by=user)
    for name in earlier.exclude(file="").values_list("file", flat=True):
        private_storage().delete(name)
    return earlier.delete()[1].get(ReportRequest._meta.label, 0)


def profile(report, lines: int = 30) -> str:
    """One render of the report's PDF in this process, the cached analyses dropped first,
    under cProfile: the functions by cumulative time."""
    from django.utils import translation

    from surveys import analysis
    from surveys.reports import document

    analysis.forget_all()
    profiler = cProfile.Profile()
    with translation.override(report.language), io.BytesIO() as output:
        profiler.runcall(document.write_pdf, report, output, lambda percent, stage: None)
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(lines)
    return text.getvalue()


def run(env: dict) -> dict:
    """Django is set up and the data set built (bench.dataset.prepare): time the report."""
    from celery import current_app
    from django.core.cache import cache
    from django.utils import translation

    from socore.lib.pdf import html_to_pdf
    from surveys import analysis
    from surveys.models import Answer, Campaign
    from surveys.reports import document, pipeline

    manage(env, "collectstatic", "--noinput", "-v0")
    user, region, campaigns = _asked()
    removed = forget_earlier(user, region, campaigns)
    answers = Answer.objects.filter(response__campaign__in=campaigns).count()
    # The stored statistics are data, written once per release of responses (bench.analysis
    # times that): every campaign's are in place, as in production; the cached analyses go.
    state = analysis.response_state(list(Campaign.objects.values_list("pk", flat=True)))
    analysis.statistics.refresh(state, analysis.counted_campaigns(state))
    cache.clear()
    current_app.control.purge()
    worker = start_worker(env)
    reports = []
    try:
        report = None
        for number in range(1, REPORTS + 1):
            started = time.perf_counter()
            if report is None:
                report, existing = pipeline.request_report(
                    user=user, region=region, campaigns=campaigns, language=LANGUAGE
                )
                if existing:
                    raise RuntimeError("the report was not a first: an earlier one was reused")
            else:
                report = pipeline.render_again(report, user)
            stages = wait_done(report.pk, started)
            total = time.perf_counter() - started
            report.refresh_from_db()
            memory = peak_memory_mb([worker.pid, *pool_pids(worker.pid)])
            # The same final HTML, laid out by WeasyPrint alone, right after (same machine load).
            with translation.override(report.language):
                html = document.render_html(report)
            layout_started = time.perf_counter()
            html_to_pdf(html)
            alone = time.perf_counter() - layout_started
            reports.append(
                {
                    "report": "first" if number == 1 else "render again",
                    "version": report.version,
                    "request_to_stored_s": round(total, 3),
                    "in_the_worker_s": round(
                        (report.finished_at - report.started_at).total_seconds(), 3
                    ),
                    "weasyprint_alone_s": round(alone, 3),
                    "ratio": round(total / alone, 3),
                    "worker_peak_mb": round(memory, 1),
                    "file_kib": round(report.file_size / 1024),
                    "stages_s": stages,
                }
            )
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    first = reports[0]
    name = f"First report of {region.name} ({answers:,} answers)"
    figures = [
        bench.figure(
            f"{name}, request to stored PDF",
            first["request_to_stored_s"],
            "s",
            f"<= {SECONDS_TARGET} s",
            first["request_to_stored_s"] <= SECONDS_TARGET,
        ),
        bench.figure(
            f"{name} / WeasyPrint alone on its HTML ({first['weasyprint_alone_s']:.2f} s)",
            first["ratio"],
            "x",
            f"<= {RATIO_TARGET}",
            first["ratio"] <= RATIO_TARGET,
        ),
        bench.figure(
            f"{name}, worker peak memory",
            first["worker_peak_mb"],
            "MB",
            f"<= {MEMORY_TARGET_MB} MB",
            first["worker_peak_mb"] <= MEMORY_TARGET_MB,
        ),
    ]
    details = {
        "campaigns": [campaign.title for campaign in campaigns],
        "answers": answers,
        "earlier_versions_removed": removed,
        "reports": reports,
        "report_pk": report.pk,
    }
    return {"figures": figures, "details": details}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--profile", action="store_true", help="profile one render in this process as well"
    )
    args = parser.parse_args()
    env = production_env()
    dataset.prepare(env)
    result = run(env)
    for line in result["details"]["reports"]:
        print(
            f"{line['report']} (version {line['version']}): request → stored "
            f"{line['request_to_stored_s']:.2f} s (in the worker {line['in_the_worker_s']:.2f} s),"
            f" {line['file_kib']} KiB, worker peak RSS {line['worker_peak_mb']:.0f} MB; "
            f"WeasyPrint alone {line['weasyprint_alone_s']:.2f} s; ratio {line['ratio']:.2f}"
        )
        print("  stages (s): " + ", ".join(f"{k} {v:.2f}" for k, v in line["stages_s"].items()))
    for line in result["figures"]:
        verdict = {True: "met", False: "NOT met", None: ""}[line["met"]]
        print(f"{line['measure']:<90}{line['value']:>9.2f} {line['unit']}  ", end="")
        print(f"{line['target']} {verdict}".rstrip())
    if args.profile:
        from surveys.models import ReportRequest

        print(profile(ReportRequest.objects.get(pk=result["details"]["report_pk"])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
