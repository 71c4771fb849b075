import os

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socore.settings")

app = Celery("socore")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def load_urls(**_kwargs) -> None:
    """Import the URLconf (every app's views) in the worker's main process, before its pool
    forks: otherwise each new pool process pays for it (about 1.5 s) at its first link."""
    from django.urls import get_resolver

    get_resolver().reverse_dict  # noqa: B018 - the property builds the resolver's tables
