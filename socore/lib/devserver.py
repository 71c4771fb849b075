"""`make run`: Django's development server and a Celery worker (with beat), stopped together."""

import os
import signal
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def main(port: str) -> int:
    # Ctrl-C or a plain `kill` stops both processes, even when started in the background.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    python = sys.executable
    # Beat keeps its schedule under DATA_DIR, which a fresh checkout may not have yet.
    Path(settings.CELERY_BEAT_SCHEDULE_FILENAME).parent.mkdir(parents=True, exist_ok=True)
    # Each in its own process group, so stopping one also stops its children (the reloader's).
    # -B embeds the beat scheduler (periodic tasks); fine for one development worker.
    worker = subprocess.Popen(
        [
            python,
            "-m",
            "celery",
            "-A",
            "socore",
            "worker",
            "-B",
            "--loglevel=INFO",
            "--concurrency=2",
        ],
        start_new_session=True,
    )
    web = subprocess.Popen(
        [python, "manage.py", "runserver", f"127.0.0.1:{port}"], start_new_session=True
    )
    try:
        return web.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        for process in (web, worker):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in (web, worker):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "8000"))
