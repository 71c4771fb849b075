"""`python -m bench.run`: the portal's pages under gunicorn, against the benchmark data set.

Serves the portal once with gunicorn as gunicorn.conf.py configures it and, at
BENCH_CONCURRENCY (8) clients, measures per page: requests per second, p50 and p95 latency,
and the SQL queries the page makes (counted in process, on a warm request). Each page's
throughput is read against the floor: the throughput of `/health/` for an anonymous
visitor (one `SELECT 1`) from the same server in the same run, which is what this machine,
gunicorn and Django give a page that does nothing. Targets: p95 <= 200 ms and at least 25 %
of the floor. A request waits at most 60 s; a page that times out or answers anything but
its expected status is marked as not met, and the run goes on.

BENCH_REQUESTS (400) requests a page, fewer for a slow page (about BENCH_PAGE_SECONDS, 45,
of load each); the dashboard is also measured cold, BENCH_COLD_REQUESTS (5) requests one
after the other with the cache cleared before each. Not a test: nothing here asserts a time.

    python -m bench.run     # build the data set if it is missing, measure, print the table
"""

import http.client
import math
import os
import runpy
import secrets
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "8"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "400"))
PAGE_SECONDS = float(os.environ.get("BENCH_PAGE_SECONDS", "45"))
COLD_REQUESTS = int(os.environ.get("BENCH_COLD_REQUESTS", "5"))
TIMEOUT = 60
# A page slower than this alone is not put under load: one request says enough.
TOO_SLOW = 5.0
P95_TARGET_MS = 200
FLOOR_SHARE_TARGET = 25


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def timed_get(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - local server
        response.read()
    return time.perf_counter() - started


def production_env() -> dict:
    """Production settings for a local run: DEBUG off, a throwaway key, plain HTTP."""
    return {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
    }


def manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def gunicorn_settings() -> str:
    """Workers and threads from gunicorn.conf.py, the configuration that is shipped."""
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    return f"gunicorn, {settings['workers']} workers x {settings['threads']} threads each"


@contextmanager
def gunicorn(env: dict):
    """Serve the portal with gunicorn as configured by gunicorn.conf.py, on a free port.

    The access log is written, as in production, but to nowhere.
    """
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "socore.wsgi",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                timed_get(base + "/")
                break
            except OSError:
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:  # a request still running past the graceful stop
            server.kill()
            server.wait()


def server_cpu_seconds(port: int) -> float | None:
    """CPU time used so far by the gunicorn processes bound to this port (Linux /proc).

    Unlike throughput, CPU time per request hardly depends on what else the machine runs.
    """
    ticks = os.sysconf("SC_CLK_TCK")
    total, found = 0, False
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            cmdline = (proc / "cmdline").read_bytes()
            stat = (proc / "stat").read_text()
        except OSError:
            continue
        if b"gunicorn" in cmdline and f"--bind=127.0.0.1:{port}".encode() in cmdline:
            fields = stat.rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
            found = True
    return total / ticks if found else None


# Requests and loads -------------------------------------------------------------------------


def port_of(base: str) -> int:
    return int(base.rsplit(":", 1)[1])


def fetch(port: int, path: str, cookie: str = "") -> tuple[float, int]:
    """One GET on a fresh connection: seconds taken and the HTTP status (0: no answer within
    TIMEOUT, or the connection failed). Redirects are not followed."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    headers = {"Cookie": f"sessionid={cookie}"} if cookie else {}
    started = time.perf_counter()
    try:
        connection.request("GET", path, headers=headers)
        reply = connection.getresponse()
        reply.read()
        status = reply.status
    except OSError:
        status = 0
    finally:
        connection.close()
    return time.perf_counter() - started, status


@dataclass
class Load:
    """What a run of requests gave: their latencies, wall time and failed requests."""

    latencies: list[float]
    seconds: float
    failed: int = 0
    statuses: dict[int, int] = field(default_factory=dict)  # the statuses of failed requests
    cpu_seconds: float | None = None

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) * 1000

    @property
    def p95(self) -> float:
        ordered = sorted(self.latencies)
        return ordered[math.ceil(len(ordered) * 0.95) - 1] * 1000

    def details(self) -> dict:
        shown = {
            "requests": self.requests,
            "requests_per_second": round(self.rate, 1),
            "p50_ms": round(self.p50, 1),
            "p95_ms": round(self.p95, 1),
            "max_ms": round(max(self.latencies) * 1000, 1),
            "failed": self.failed,
        }
        if self.statuses:
            shown["failed_statuses"] = {str(k): v for k, v in sorted(self.statuses.items())}
        if self.cpu_seconds is not None:
            shown["server_cpu_ms_per_request"] = round(self.cpu_seconds / self.requests * 1000, 1)
        return shown


def load(
    port: int, path: str, cookie: str = "", requests: int = REQUESTS, expected: int = 200
) -> Load:
    """`requests` GETs of `path` at CONCURRENCY, with the server's CPU time they took."""

    def one(_number: int) -> tuple[float, int]:
        return fetch(port, path, cookie)

    cpu_before = server_cpu_seconds(port)
    started = time.perf_counter()
    with ThreadPoolExecutor(CONCURRENCY) as pool:
        answers = list(pool.map(one, range(requests)))
    elapsed = time.perf_counter() - started
    cpu_after = server_cpu_seconds(port)
    failures = [status for _seconds, status in answers if status != expected]
    statuses: dict[int, int] = {}
    for status in failures:
        statuses[status] = statuses.get(status, 0) + 1
    return Load(
        latencies=[seconds for seconds, _status in answers],
        seconds=elapsed,
        failed=len(failures),
        statuses=statuses,
        cpu_seconds=None if cpu_before is None or cpu_after is None else cpu_after - cpu_before,
    )


def measure(url: str, requests: int = REQUESTS, cookie: str = "") -> tuple[float, float, float]:
    """Requests per second, p50 and p95 in ms, for `requests` GETs of `url` at CONCURRENCY,
    after 20 to warm up."""
    parts = urlsplit(url)
    port, path = parts.port or 80, (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    for _ in range(20):
        fetch(port, path, cookie)
    measured = load(port, path, cookie, requests)
    return measured.rate, measured.p50, measured.p95


def settle(port: int, limit: float = 120.0) -> float:
    """Wait, at most `limit` seconds, until the server has finished what earlier requests
    left running (a request the client gave up on goes on in its worker): no query active in
    the database from another connection and no CPU used by gunicorn for a second. Returns
    the seconds waited."""
    from django.db import connection

    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND backend_type = 'client backend' AND state = 'active' "
                "AND pid <> pg_backend_pid()"
            )
            active = cursor.fetchone()[0]
        before = server_cpu_seconds(port) or 0.0
        time.sleep(1)
        if not active and (server_cpu_seconds(port) or 0.0) - before < 0.05:
            break
    return time.perf_counter() - started


# Queries counted in process -----------------------------------------------------------------


def page_queries(path: str, session: str = "", cold: bool = False) -> int | None:
    """SQL queries of one GET of `path` by the test client, in this process: after a first
    request (warm: connection open, caches filled), or with the cache cleared (`cold`).
    None if the page does not answer 200."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(headers={"x-forwarded-proto": "https"}, SERVER_NAME="localhost")
    if session:
        client.cookies["sessionid"] = session
    with connection.cursor() as cursor:  # the server's limit, here too
        cursor.execute(f"SET statement_timeout = '{TIMEOUT}s'")
    try:
        client.get(path, secure=True)
        if cold:
            cache.clear()
        with CaptureQueriesContext(connection) as context:
            reply = client.get(path, secure=True)
    except Exception:  # noqa: BLE001 - a failing page is reported, not fatal to the run
        return None
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET statement_timeout")
    return len(context.captured_queries) if reply.status_code == 200 else None


# The pages --------------------------------------------------------------------------------


@dataclass
class Page:
    name: str
    path: str
    session: str = ""  # the session cookie of the user who opens it; "" for a visitor
    about: dict = field(default_factory=dict)


def pages() -> list[Page]:
    """The measured pages, as their users open them, on the data set's largest region."""
    from bench import catalogue, dataset
    from practices.models import GoodPractice

    coordinator = dataset.session(dataset.COORDINATOR % dataset.LARGEST)
    consortium = dataset.session(dataset.CONSORTIUM)
    search = catalogue.search_path()
    practice = (
        GoodPractice.objects.published()
        .filter(region__slug=dataset.LARGEST)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    campaigns = dataset.campaigns(dataset.LARGEST)
    report_query = f"region={dataset.LARGEST}&campaign={campaigns['followup'].pk}" + (
        f"&campaign={campaigns['demand'].pk}&language=en"
    )
    return [
        Page("catalogue search", search, about={"found": catalogue.found(search)}),
        Page("practice page", f"/practices/{practice}/"),
        Page("regional dashboard", f"/reports/region/{dataset.LARGEST}/", coordinator),
        Page("comparison of regions", "/reports/compare/", consortium),
        Page("public statistics", "/statistics/"),
        Page("report request page", f"/reports/requests/new/?{report_query}", coordinator),
        Page("activity list", "/activities/"),
        Page("impact page", "/impact/", consortium),
    ]


def figures_of(name: str, measured: Load | None, floor: float, failed: bool, alone_ms=0.0):
    """The two figures of a page: its p95 and its throughput as a share of the floor. A page
    that could not be put under load (`measured` None) shows the time of its one request
    (`alone_ms`) and no throughput, neither met."""
    import bench

    p95_target, share_target = f"<= {P95_TARGET_MS}", f">= {FLOOR_SHARE_TARGET} %"
    if measured is None:
        return [
            bench.figure(f"{name}: p95", alone_ms, "ms", p95_target, False),
            bench.figure(f"{name}: throughput", 0, "% of floor", share_target, False),
        ]
    share = measured.rate / floor * 100 if floor else 0.0
    return [
        bench.figure(
            f"{name}: p95",
            measured.p95,
            "ms",
            p95_target,
            measured.p95 <= P95_TARGET_MS and not failed,
        ),
        bench.figure(
            f"{name}: throughput",
            share,
            "% of floor",
            share_target,
            share >= FLOOR_SHARE_TARGET and not failed,
        ),
    ]


def measure_page(port: int, page: Page) -> tuple[Load | None, dict]:
    """One page: two requests alone (the first may fill the caches; the second tells how
    many requests the page can take in PAGE_SECONDS), a few more to warm up, then the load.
    None if the page is broken or too slow to put under load: its requests alone are in the
    details."""
    about = {"path": page.path, **page.about}
    for number in (1, 2):
        seconds, status = fetch(port, page.path, page.session)
        about[f"alone_ms_{number}"] = round(seconds * 1000, 1)
        if status != 200:
            about["failed"] = "timed out" if status == 0 else f"HTTP {status}"
            break
    else:
        if seconds > TOO_SLOW:
            about["failed"] = f"too slow to put under load ({seconds:.1f} s alone)"
    if "failed" in about:
        waited = settle(port)
        if waited > 2:
            about["settled_seconds"] = round(waited, 1)
        return None, about
    cores = len(os.sched_getaffinity(0))
    requests = max(2 * CONCURRENCY, min(REQUESTS, int(PAGE_SECONDS * cores / max(seconds, 1e-3))))
    for _ in range(min(20, max(2, requests // 10))):
        fetch(port, page.path, page.session)
    measured = load(port, page.path, page.session, requests)
    if measured.failed:
        about["settled_seconds"] = round(settle(port), 1)
    return measured, about


def measure_cold(port: int, page: Page) -> Load:
    """COLD_REQUESTS requests of the page one after the other, the cache cleared before
    each: what the first reader after a change waits."""
    from django.core.cache import cache

    latencies, failed, statuses = [], 0, {}
    started = time.perf_counter()
    for _ in range(COLD_REQUESTS):
        cache.clear()
        seconds, status = fetch(port, page.path, page.session)
        latencies.append(seconds)
        if status != 200:
            failed += 1
            statuses[status] = statuses.get(status, 0) + 1
    return Load(latencies, time.perf_counter() - started, failed, statuses)


def run(env: dict) -> dict:
    """The pages, against the data set; Django is set up and the data set built
    (bench.dataset.prepare)."""
    import bench
    from bench import answering

    manage(env, "collectstatic", "--noinput", "-v0")
    # The served portal gives up a query after TIMEOUT, as the client gives up its request.
    served = {**env, "PGOPTIONS": f"{env.get('PGOPTIONS', '')} -c statement_timeout={TIMEOUT}s"}
    measured_pages = pages()
    figures, details = (
        [],
        {
            "server": gunicorn_settings(),
            "concurrency": CONCURRENCY,
            "timeout_seconds": TIMEOUT,
            "pages": {},
        },
    )
    with gunicorn(served) as base:
        port = port_of(base)
        for _ in range(20):
            fetch(port, "/health/")
        floor = load(port, "/health/", requests=2 * REQUESTS)
        details["floor"] = {"path": "/health/", "queries": page_queries("/health/")}
        details["floor"] |= floor.details()
        figures.append(bench.figure("floor (/health/): throughput", floor.rate, "req/s"))

        for page in measured_pages:
            measured, about = measure_page(port, page)
            if page.name == "regional dashboard":
                cold = measure_cold(port, page)
                cold_name = f"{page.name}, cold"
                figures.append(
                    bench.figure(
                        f"{cold_name}: p95",
                        cold.p95,
                        "ms",
                        f"<= {P95_TARGET_MS}",
                        cold.p95 <= P95_TARGET_MS and not cold.failed,
                    )
                )
                details["pages"][cold_name] = {
                    "path": page.path,
                    "queries": page_queries(page.path, page.session, cold=True),
                    **cold.details(),
                    "note": "one request at a time, the cache cleared before each",
                }
                page.name = f"{page.name}, warm"
            failed = measured is None or measured.failed > 0
            alone = max(value for key, value in about.items() if key.startswith("alone_ms"))
            figures += figures_of(page.name, measured, floor.rate, failed, alone)
            if measured is not None:
                about |= measured.details()
                about["queries"] = page_queries(page.path, page.session)
                about["share_of_floor_percent"] = round(measured.rate / floor.rate * 100, 1)
            details["pages"][page.name] = about

        saves = answering.measure_saves(port, clients=CONCURRENCY, saves=REQUESTS)
        saved = saves.pop("load")
        failed = saved is None or saved.failed or saves["answers_lost_duplicated_or_wrong"]
        figures += figures_of("survey page save", saved, floor.rate, bool(failed))
        if saved is not None:
            saves |= saved.details()
            saves["share_of_floor_percent"] = round(saved.rate / floor.rate * 100, 1)
        details["pages"]["survey page save"] = {"path": "/surveys/responses/<pk>/pages/<n>/"}
        details["pages"]["survey page save"] |= saves
    return {"figures": figures, "details": details}


def main() -> int:
    from bench import dataset

    env = production_env()
    os.environ.update({key: env[key] for key in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS")})
    dataset.prepare(env)
    started = time.perf_counter()
    result = run(env)
    details = result["details"]
    print(f"{details['server']}, {details['concurrency']} concurrent clients")
    print(
        f"{'page':<34}{'requests':>9}{'req/s':>8}{'% floor':>8}{'p50 ms':>9}{'p95 ms':>9}"
        f"{'queries':>8}"
    )
    for name, page in {"floor (/health/)": details["floor"], **details["pages"]}.items():
        if "requests" not in page:
            print(f"{name:<34}  failed: {page.get('failed')} ({page['path']})")
            continue
        share = page.get("share_of_floor_percent", 100.0 if name.startswith("floor") else None)
        queries = page.get("queries")
        print(
            f"{name:<34}{page['requests']:>9}{page['requests_per_second']:>8.0f}"
            f"{'-' if share is None else f'{share:.0f}':>8}{page['p50_ms']:>9.1f}"
            f"{page['p95_ms']:>9.1f}{'-' if queries is None else queries:>8}"
        )
    missed = [figure["measure"] for figure in result["figures"] if figure["met"] is False]
    print(f"targets not met: {', '.join(missed) if missed else 'none'}")
    print(f"({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
