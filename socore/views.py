import logging
import secrets

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from surveys.answering import todo

from .celery import app as celery_app

logger = logging.getLogger(__name__)


def home(request):
    """The home page; a respondent sees first what they have left to answer."""
    return render(
        request,
        "home.html",
        {
            "unfinished": todo.unfinished(request.user),
            "invitations": todo.waiting_invitations(request.user),
        },
    )


def privacy(request):
    return render(request, "privacy.html")


def rate_limited(request, exception=None):
    """429 for a client over a rate limit (django-ratelimit), with when to try again."""
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "60"
    return response


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


def _sees_details(request) -> bool:
    """The token of HEALTH_TOKEN as a bearer token, or a staff session."""
    if request.user.is_authenticated and request.user.is_staff:
        return True
    token = settings.HEALTH_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    return bool(token) and secrets.compare_digest(given.encode(), token.encode())


@never_cache
def health(request):
    """For anyone, the database alone, cheaply: 200 or 503. With the operators' token (or a
    staff session) also the broker and a worker answering, each named; JSON either way."""
    detailed = _sees_details(request)
    checks = {}
    for name, check in (
        ("database", _check_database),
        ("broker", _check_broker),
        ("worker", _check_worker),
    ):
        if name != "database" and not detailed:
            continue
        try:
            checks[name] = "ok" if check() else "unavailable"
        except Exception as error:  # noqa: BLE001 - any failure is a failed check
            logger.warning("health check %s failed: %s", name, error)
            checks[name] = "unavailable"
    healthy = all(value == "ok" for value in checks.values())
    answer = {"status": "ok" if healthy else "unavailable"}
    if detailed:
        answer["checks"] = checks
    return JsonResponse(answer, status=200 if healthy else 503)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)
