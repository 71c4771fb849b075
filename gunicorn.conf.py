"""gunicorn's settings, one set for the image, docker compose and `make bench`.

gunicorn reads this file from the working directory (`gunicorn socore.wsgi`); command-line
options override it. WEB_CONCURRENCY sets the worker processes (default: one per core, plus
one) and WEB_THREADS the threads of each (default 4): a request mostly waits for PostgreSQL,
and threads wait more cheaply than processes (`make bench`: more saves a second, and less
CPU time each, than 3 or 5 single-threaded workers on two cores).
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
workers = _count("WEB_CONCURRENCY", len(os.sched_getaffinity(0)) + 1)
threads = _count("WEB_THREADS", 4)
accesslog = "-"
# No control socket (gunicornc): it would be written to $HOME, which the image's user cannot
# write to; the portal writes only under DATA_DIR.
control_socket_disable = True
