"""The benchmarks (`make bench`). They never touch the portal's own database.

Importing this package points the process, and every server and worker it starts, at the
benchmark database: the database of DATABASE_URL with `_bench` added to its name (created
when missing), or, without DATABASE_URL, the embedded server under `.data/bench`.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SUFFIX = "_bench"


def _bench_database() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        os.environ["DATA_DIR"] = str(ROOT / ".data" / "bench")
        return
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "socore"
    if name.endswith(SUFFIX):
        return
    bench_url = urlunsplit(parts._replace(path="/" + name + SUFFIX))
    import psycopg
    from psycopg import sql

    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name + SUFFIX]
        ).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name + SUFFIX)))
    os.environ["DATABASE_URL"] = bench_url


_bench_database()


def figure(measure: str, value: float, unit: str, target: str = "", met: bool | None = None):
    """One line of the results (bench/results.json and the README's Performance table):
    what was measured, its value and unit, the target it is held against and whether it is
    met (None: no target)."""
    return {
        "measure": measure,
        "value": round(value, 3),
        "unit": unit,
        "target": target,
        "met": met,
    }
