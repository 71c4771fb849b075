import logging

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .celery import app as celery_app

logger = logging.getLogger(__name__)


def home(request):
    return render(request, "home.html")


def privacy(request):
    return render(request, "privacy.html")


def _check_database() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def _check_broker() -> bool:
    with celery_app.connection_for_write() as broker:
        broker.ensure_connection(max_retries=1, timeout=2)
    return True


def _check_worker() -> bool:
    return bool(celery_app.control.ping(timeout=2.0, limit=1))


@never_cache
def health(request):
    """Database, broker and at least one worker answering: 200, else 503; JSON either way."""
    checks = {}
    for name, check in (
        ("database", _check_database),
        ("broker", _check_broker),
        ("worker", _check_worker),
    ):
        try:
            checks[name] = "ok" if check() else "unavailable"
        except Exception as error:  # noqa: BLE001 - any failure is a failed check
            logger.warning("health check %s failed: %s", name, error)
            checks[name] = "unavailable"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)
