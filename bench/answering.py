"""Respondents saving survey pages, for bench.run's "survey page save".

An open campaign of its own ("bench-answering") on the data set's framework, with
BENCH_RESPONDENTS (200) respondents, a consented response and a signed-in session each,
made before the load and removed after it, so the data set's figures never see it. Clients
save full area pages of their own respondents' responses (never two at once for one
response) with random valid values; a save is the POST alone, the redirect not followed.
Last, the database is checked against the last values posted for every response and page:
lost, duplicated and wrong answers.
"""

import datetime
import http.client
import os
import random
import re
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

from bench.run import TIMEOUT, Load, server_cpu_seconds

RESPONDENTS = int(os.environ.get("BENCH_RESPONDENTS", "200"))
TITLE = "bench-answering"
EMAIL = "bench.answering.{}@example.invalid"
EMAIL_PATTERN = r"^bench\.answering\.\d+@example\.invalid$"
SEED = 2026
TOKEN_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def clean(session_keys: tuple[str, ...] = ()) -> dict[str, int]:
    """Remove everything the bench made: sessions (`session_keys` and those allauth knows
    of), answers, responses, campaign, users."""
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
        keys = [*keys, *session_keys]
        removed["sessions"] = Session.objects.filter(session_key__in=keys).delete()[0]
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

    from bench import dataset
    from partners.models import User
    from surveys.models import Area, Campaign, Competence, Response, Survey

    framework = dataset.campaigns(dataset.LARGEST)["baseline"].survey.framework
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
            privacy_notice="Benchmark campaign, removed after the run.",
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

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, bytes]:
        """The status (0: no answer) and the body."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        headers = {"Cookie": self.cookies(), "Host": "127.0.0.1"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            reply = connection.getresponse()
            content = reply.read()
        except OSError:  # no answer within the timeout, or the connection failed
            return 0, b""
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
            raise RuntimeError(f"response {self.response}: its first area page gave {status}")
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
            raise RuntimeError(f"response {response}: a save gave {reply.status_code}")
    return len(context.captured_queries), {(response, 1): values}


def run_load(port: int, sessions, pages: dict[int, list[int]], clients: int, saves: int):
    """`clients` threads, each saving pages of its own respondents in turn, `saves` in all.

    Returns the last values saved per response and page, and the Load."""
    respondents = [Respondent(port, response, key) for response, key in sessions]
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(Respondent.sign_on, respondents))
    groups = [respondents[n::clients] for n in range(clients)]
    quotas = [saves // clients + (n < saves % clients) for n in range(clients)]
    last: dict[tuple[int, int], dict[int, tuple]] = {}
    latencies: list[float] = []
    statuses: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(clients)

    def client(number: int) -> None:
        rng = random.Random(SEED + number)
        own_last, own_latencies, own_statuses = {}, [], []
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
                own_statuses.append(status)
        with lock:
            last.update(own_last)
            latencies.extend(own_latencies)
            statuses.extend(own_statuses)

    cpu_before = server_cpu_seconds(port)
    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(client, range(clients)))
    elapsed = time.perf_counter() - started
    cpu_after = server_cpu_seconds(port)
    failed: dict[int, int] = {}
    for status in statuses:
        failed[status] = failed.get(status, 0) + 1
    measured = Load(
        latencies=latencies,
        seconds=elapsed,
        failed=len(statuses),
        statuses=failed,
        cpu_seconds=None if cpu_before is None or cpu_after is None else cpu_after - cpu_before,
    )
    return last, measured


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


def measure_saves(port: int, clients: int, saves: int) -> dict:
    """The campaign and its respondents made, `saves` page saves by `clients` clients, the
    answers checked, and everything made removed again. "load" is the Load, None if the
    saves could not be measured ("failed" says why)."""
    from django.db import connection

    removed = clean()  # what an interrupted earlier run left
    sessions, pages = setup(RESPONDENTS)
    try:
        queries, counted = save_queries(sessions[0], pages)
        last, measured = run_load(port, sessions, pages, clients, saves)
        lost, duplicated, wrong, unexpected = check({**counted, **last})
    except RuntimeError as error:
        return {"load": None, "failed": str(error), "respondents": len(sessions)}
    finally:
        clean(tuple(key for _response, key in sessions))
        with connection.cursor() as cursor:  # the answers table as autovacuum would leave it
            cursor.execute("VACUUM (ANALYZE) surveys_answer, surveys_response")
    return {
        "load": measured,
        "respondents": len(sessions),
        "competences_a_page": [len(competences) for competences in pages.values()],
        "queries": queries,
        "answers_lost": lost,
        "answers_duplicated": duplicated,
        "answers_wrong": wrong,
        "answers_unexpected": unexpected,
        "answers_lost_duplicated_or_wrong": lost + duplicated + wrong + unexpected,
        "left_by_an_earlier_run": sum(removed.values()),
    }
