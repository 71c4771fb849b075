"""`python -m bench.answering`: respondents saving survey pages, under gunicorn.

Sets up (afresh on each run) a dedicated open campaign ("bench-answering") on the current
framework's self-assessment survey, BENCH_RESPONDENTS (200) respondents with a consented
response each, and one signed-in session per respondent. Then BENCH_SAVE_CLIENTS (16)
threads save full area pages of their own respondents' responses without pause, with random
valid values, BENCH_SAVES (3000) saves in all, and print saves per second, p50 and p95 of a
save (the POST alone; the redirect is not followed). Last, the database is checked against
the last values posted for every response and page: lost, duplicated and wrong answers.
Not a test: nothing here asserts a time (the aim is >= 150 saves/s with p95 <= 200 ms).

    python -m bench.answering            # set up, measure, check; the data stays
    python -m bench.answering --clean    # remove the bench users, responses and campaign
"""

import argparse
import datetime
import http.client
import os
import random
import re
import statistics
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

from bench.run import gunicorn, gunicorn_settings, manage, production_env, server_cpu_seconds

RESPONDENTS = int(os.environ.get("BENCH_RESPONDENTS", "200"))
CLIENTS = int(os.environ.get("BENCH_SAVE_CLIENTS", "16"))
SAVES = int(os.environ.get("BENCH_SAVES", "3000"))
TITLE = "bench-answering"
EMAIL = "bench.answering.{}@example.invalid"
EMAIL_PATTERN = r"^bench\.answering\.\d+@example\.invalid$"
SEED = 2026
TOKEN_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _setup_django(env: dict) -> None:
    import django

    os.environ.update({key: env[key] for key in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socore.settings")
    django.setup()


def clean() -> dict[str, int]:
    """Remove everything the bench made: sessions, answers, responses, campaign, users."""
    from allauth.usersessions.models import UserSession
    from django.contrib.sessions.models import Session
    from django.db import transaction

    from partners.models import User
    from surveys.models import Campaign, Response, Survey

    users = User.objects.filter(email__regex=EMAIL_PATTERN)
    surveys = Survey.objects.filter(title=TITLE)
    campaigns = Campaign.objects.filter(survey__in=surveys)
    removed = {}
    with transaction.atomic():
        keys = UserSession.objects.filter(user__in=users).values_list("session_key", flat=True)
        removed["sessions"] = Session.objects.filter(session_key__in=list(keys)).delete()[0]
        removed["responses"] = Response.objects.filter(campaign__in=campaigns).delete()[0]
        removed["campaigns"] = campaigns.delete()[0]
        removed["surveys"] = surveys.delete()[0]
        removed["users"] = users.delete()[0]
    return removed


def setup(count: int) -> tuple[list[tuple[int, str]], dict[int, list[int]]]:
    """The campaign, respondents and sessions: [(response pk, session key)], area pages."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction
    from django.utils import timezone

    from partners.models import User
    from surveys.models import Area, Campaign, Competence, Framework, Response, Survey

    framework = Framework.objects.current()
    if framework is None:
        raise SystemExit("No published framework: load one first (see the README).")
    now = timezone.now()
    with transaction.atomic():
        survey = Survey.objects.create(
            framework=framework, kind=Survey.Kind.SELF_ASSESSMENT, title=TITLE
        )
        campaign = Campaign.objects.create(
            survey=survey,
            title=TITLE,
            opens_at=now - datetime.timedelta(days=1),
            closes_at=now + datetime.timedelta(days=30),
            access=Campaign.Access.OPEN,
            privacy_notice="Benchmark campaign (python -m bench.answering --clean removes it).",
            privacy_notice_version="bench",
        )
        users = []
        for number in range(count):
            user = User(email=EMAIL.format(number), name=f"Bench respondent {number}")
            user.set_unusable_password()
            users.append(user)
        users = User.objects.bulk_create(users)
        responses = Response.objects.bulk_create(
            Response(
                campaign=campaign,
                respondent=user,
                consent_version=campaign.privacy_notice_version,
                consented_at=now,
            )
            for user in users
        )
    sessions = []
    for user, response in zip(users, responses, strict=True):
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions.append((response.pk, store.session_key))
    pages = {}
    areas = Area.objects.filter(framework=framework).order_by("position", "pk")
    for number, area in enumerate(areas, start=1):
        pages[number] = list(
            Competence.objects.filter(area=area)
            .order_by("position", "pk")
            .values_list("pk", flat=True)
        )
    return sessions, pages


class Respondent:
    """One signed-in respondent: session and CSRF cookies, and the form's CSRF token."""

    def __init__(self, port: int, response: int, session_key: str):
        self.port, self.response, self.session_key = port, response, session_key
        self.csrf_cookie = self.csrf_token = ""

    def cookies(self) -> str:
        cookie = f"sessionid={self.session_key}"
        return f"{cookie}; csrftoken={self.csrf_cookie}" if self.csrf_cookie else cookie

    def request(self, method: str, path: str, body: str | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": self.cookies(), "Host": "127.0.0.1"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            reply = connection.getresponse()
            content = reply.read()
        finally:
            connection.close()
        for header, value in reply.getheaders():
            if header.lower() == "set-cookie" and value.startswith("csrftoken="):
                self.csrf_cookie = value.split(";", 1)[0].split("=", 1)[1]
        return reply.status, content

    def sign_on(self) -> None:
        """GET the first area page: the CSRF cookie and the form's token."""
        status, content = self.request("GET", f"/surveys/responses/{self.response}/pages/2/")
        match = TOKEN_FIELD.search(content.decode())
        if status != 200 or not match or not self.csrf_cookie:
            raise SystemExit(f"Response {self.response}: page 1 gave {status}, no CSRF token.")
        self.csrf_token = match.group(1)


def payload(rng: random.Random, competences: list[int]) -> dict[int, tuple]:
    """Random valid answers: (current level, importance, not applicable) per competence."""
    values = {}
    for pk in competences:
        if rng.random() < 0.1:
            values[pk] = (None, None, True)
        else:
            values[pk] = (rng.randint(1, 5), rng.randint(1, 5), False)
    return values


def form_body(token: str, values: dict[int, tuple]) -> str:
    data = [("csrfmiddlewaretoken", token), ("action", "next")]
    for pk, (current, importance, not_applicable) in values.items():
        if not_applicable:
            data.append((f"c{pk}-not_applicable", "on"))
        else:
            data += [(f"c{pk}-current_level", current), (f"c{pk}-importance", importance)]
    return urllib.parse.urlencode(data)


def save_queries(session: tuple[int, str], pages: dict[int, list[int]]):
    """SQL queries of a save once the process is warm (the second save), by the test client.

    Returns the count and what was saved, for the check at the end.
    """
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    response, session_key = session
    client = Client(headers={"x-forwarded-proto": "https"}, SERVER_NAME="localhost")
    client.cookies["sessionid"] = session_key
    rng = random.Random(SEED - 1)
    for _save in range(2):
        values = payload(rng, pages[1])
        with CaptureQueriesContext(connection) as context:
            reply = client.post(
                f"/surveys/responses/{response}/pages/2/",
                form_body("", values),
                content_type="application/x-www-form-urlencoded",
                secure=True,
            )
        if reply.status_code != 302:
            raise SystemExit(f"Response {response}: a save gave {reply.status_code}.")
    return len(context.captured_queries), {(response, 1): values}


def run_load(port: int, sessions, pages: dict[int, list[int]]):
    """CLIENTS threads, each saving pages of its own respondents in turn, SAVES in all."""
    respondents = [Respondent(port, response, key) for response, key in sessions]
    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(Respondent.sign_on, respondents))
    groups = [respondents[n::CLIENTS] for n in range(CLIENTS)]
    quotas = [SAVES // CLIENTS + (n < SAVES % CLIENTS) for n in range(CLIENTS)]
    last: dict[tuple[int, int], dict[int, tuple]] = {}
    latencies: list[float] = []
    failures: list[tuple[int, int, int]] = []
    lock = threading.Lock()
    start = threading.Barrier(CLIENTS)

    def client(number: int) -> None:
        rng = random.Random(SEED + number)
        own_last, own_latencies, own_failures = {}, [], []
        group = groups[number]
        start.wait()
        for save in range(quotas[number]):
            respondent = group[save % len(group)]
            page = rng.choice(list(pages))
            values = payload(rng, pages[page])
            body = form_body(respondent.csrf_token, values)
            path = f"/surveys/responses/{respondent.response}/pages/{page + 1}/"
            started = time.perf_counter()
            status, _content = respondent.request("POST", path, body)
            own_latencies.append(time.perf_counter() - started)
            if status == 302:
                own_last[respondent.response, page] = values
            else:
                own_failures.append((respondent.response, page, status))
        with lock:
            last.update(own_last)
            latencies.extend(own_latencies)
            failures.extend(own_failures)

    cpu_before = server_cpu_seconds(port)
    started = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(client, range(CLIENTS)))
    elapsed = time.perf_counter() - started
    cpu_after = server_cpu_seconds(port)
    cpu = cpu_after - cpu_before if cpu_before is not None and cpu_after is not None else None
    return last, sorted(latencies), failures, elapsed, cpu


def check(last: dict[tuple[int, int], dict[int, tuple]]) -> tuple[int, int, int, int]:
    """Lost, duplicated, wrong and unexpected answers, against the last values posted."""
    from surveys.models import Answer

    expected: dict[tuple[int, int], tuple] = {}
    for (response, _page), values in last.items():
        for competence, value in values.items():
            expected[response, competence] = value
    stored: dict[tuple[int, int], list[tuple]] = {}
    rows = Answer.objects.filter(response__campaign__title=TITLE).values_list(
        "response_id", "competence_id", "current_level", "importance", "not_applicable"
    )
    for response, competence, current, importance, not_applicable in rows.iterator():
        stored.setdefault((response, competence), []).append((current, importance, not_applicable))
    lost = sum(1 for key in expected if key not in stored)
    duplicated = sum(len(values) - 1 for values in stored.values())
    wrong = sum(
        1
        for key, values in stored.items()
        if key in expected and any(value != expected[key] for value in values)
    )
    unexpected = sum(1 for key in stored if key not in expected)
    return lost, duplicated, wrong, unexpected


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clean", action="store_true", help="Remove the bench data.")
    args = parser.parse_args()

    env = production_env()
    manage(env, "migrate", "--noinput", "-v0")
    _setup_django(env)
    from django.conf import settings

    removed = clean()
    if args.clean:
        print(
            "Removed rows (with what they cascade to): "
            + ", ".join(f"{what} {count}" for what, count in removed.items())
        )
        return 0
    sessions, pages = setup(RESPONDENTS)
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "createcachetable")  # the database cache, where no Redis is configured
    queries, counted = save_queries(sessions[0], pages)
    sizes = ", ".join(str(len(competences)) for competences in pages.values())
    cache = "Redis" if "redis" in settings.CACHES["default"]["BACKEND"].lower() else "database"
    with gunicorn(env) as base:
        port = int(base.rsplit(":", 1)[1])
        last, latencies, failures, elapsed, cpu = run_load(port, sessions, pages)
    last = {**counted, **last}
    saves = len(latencies)
    p50 = statistics.median(latencies) * 1000
    p95 = latencies[int(saves * 0.95) - 1] * 1000
    print(
        f"page saves; {gunicorn_settings()}, {CLIENTS} concurrent clients, {len(sessions)} "
        f"respondents, {saves} saves of full area pages ({sizes} competences a page); "
        f"{cache} cache"
    )
    cpu_per_save = f"{cpu / saves * 1000:.1f}" if cpu is not None else "-"
    print(
        f"{'saves/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'failed':>8}{'queries':>9}"
        f"{'CPU ms':>8}"
    )
    print(
        f"{saves / elapsed:>8.0f}{p50:>9.1f}{p95:>9.1f}{latencies[-1] * 1000:>9.1f}"
        f"{len(failures):>8}{queries:>9}{cpu_per_save:>8}"
    )
    print("(queries: of one save, once warm; CPU ms: gunicorn's CPU time per save)")
    for response, page, status in failures[:5]:
        print(f"  failed: response {response}, page {page}: HTTP {status}")
    lost, duplicated, wrong, unexpected = check(last)
    print(f"lost answers: {lost}, duplicated: {duplicated}, wrong values: {wrong}", end="")
    print(f", unexpected: {unexpected}" if unexpected else "")
    print("The bench data stays for inspection: python -m bench.answering --clean")
    return 0 if not (failures or lost or duplicated or wrong or unexpected) else 1


if __name__ == "__main__":
    sys.exit(main())
