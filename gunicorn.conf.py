"""gunicorn's settings, one set for the image, docker compose and `make bench`.

gunicorn reads this file from the working directory (`gunicorn socore.wsgi`); command-line
options override it. WEB_CONCURRENCY sets the worker processes (default: two per core, plus
one, gunicorn's advice) and WEB_THREADS the threads of each (default 1).
"""

import os


def _count(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    if raw == "":
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"{name} must be a whole number of at least 1, not {raw!r}")
    return int(raw)


bind = "0.0.0.0:8000"
# The cores this process may run on (a container's cpuset, not the whole host).
workers = _count("WEB_CONCURRENCY", 2 * len(os.sched_getaffinity(0)) + 1)
threads = _count("WEB_THREADS", 1)
accesslog = "-"
