"""`make bench`: pages under gunicorn on this machine, at a fixed concurrency.

Prints, per page: requests, throughput, p50 and p95 latency, and the number of SQL
queries the page makes. Uses the configured database (DATABASE_URL or the embedded
server), migrated first. Not a test: nothing here asserts a time.
"""

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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["/", "/partners/", "/partners/us/"]
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "8"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "800"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def query_counts() -> dict[str, int]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socore.settings")
    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(headers={"x-forwarded-proto": "https"}, SERVER_NAME="localhost")
    counts = {}
    for page in PAGES:
        with CaptureQueriesContext(connection) as context:
            client.get(page, secure=True)
        counts[page] = len(context.captured_queries)
    return counts


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
        server.wait(timeout=20)


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


def measure(url: str) -> tuple[float, float, float]:
    """Requests per second, p50 and p95 in ms, for REQUESTS requests at CONCURRENCY."""
    for _ in range(20):
        timed_get(url)
    started = time.perf_counter()
    with ThreadPoolExecutor(CONCURRENCY) as pool:
        latencies = sorted(pool.map(timed_get, [url] * REQUESTS))
    elapsed = time.perf_counter() - started
    p50 = statistics.median(latencies) * 1000
    p95 = latencies[int(len(latencies) * 0.95) - 1] * 1000
    return REQUESTS / elapsed, p50, p95


def main() -> int:
    env = production_env()
    os.environ.update({key: env[key] for key in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS")})
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    with gunicorn(env) as base:
        counts = query_counts()
        print(
            f"{gunicorn_settings()}, {CONCURRENCY} concurrent clients, {REQUESTS} requests a page"
        )
        print(f"{'page':<18}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}")
        for page in PAGES:
            rate, p50, p95 = measure(base + page)
            print(f"{page:<18}{rate:>8.0f}{p50:>9.1f}{p95:>9.1f}{counts[page]:>9}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
