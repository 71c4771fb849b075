"""Demo content for `manage.py seed_demo`, and the code that loads it.

The content is data (`content/*.toml`): accounts, good practices, policy briefs and the
survey texts. The loaders walk the real code paths (transitions, emails, analysis), so the
demo has the trails and figures real use would leave. Not an installed app: nothing in the
portal imports it but the seed_demo command.
"""

import logging
import tomllib
from contextlib import contextmanager
from pathlib import Path

from django.test import override_settings

CONTENT = Path(__file__).resolve().parent / "content"


def content(name: str) -> dict:
    """The records of demo/content/<name>.toml."""
    with (CONTENT / f"{name}.toml").open("rb") as file:
        return tomllib.load(file)


def paragraphs(text: str) -> str:
    """Paragraphs separated by blank lines, each folded onto one line."""
    blocks = [" ".join(block.split()) for block in text.strip().split("\n\n")]
    return "\n\n".join(block for block in blocks if block)


@contextmanager
def tasks_run_here():
    """Run the e-mail tasks the transitions queue in this process, writing to no one.

    The demo addresses are not real: the tasks still run (templates and all), but through
    the dummy e-mail backend, and no broker is needed.
    """
    from socore.celery import app

    eager = app.conf.task_always_eager
    # One INFO line per task, and kombu's notice about the unused broker, are noise here.
    loggers = [logging.getLogger(name) for name in ("celery.app.trace", "kombu.connection")]
    levels = [logger.level for logger in loggers]
    app.conf.task_always_eager = True
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            yield
    finally:
        app.conf.task_always_eager = eager
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
