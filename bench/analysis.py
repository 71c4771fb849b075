"""`python -m bench.analysis`: the gap analysis and the regional dashboard over a large region.

Sets up (once; `--clean` removes it) closed campaigns of a self-assessment and a demand
survey on the current framework: Śląskie with BENCH_SELF (5,000) staff and BENCH_DEMAND (500)
employer responses, Utrecht and Liguria with a fifth of that each, written with SQL
generate_series (plausible values, about 8 % "not applicable"), plus a coordinator of
Śląskie and a consortium coordinator with signed-in sessions. Then prints, in process,
median and p95 of BENCH_RUNS (20) warm runs, each computed afresh (cache cleared), of:
`analyse` of Śląskie's two campaigns, the same for one background group,
`compare_regions` over the three regions and all the figures the dashboard page needs
(`regional_results`), then the last two from the cache; and under gunicorn, as bench.run
does, requests per second and p50/p95 of the dashboard pages and the public statistics
(after the first request, from the cache).
Not a test: nothing here asserts a time (the aim is analysis <= 300 ms).

    python -m bench.analysis            # add the data if missing, then measure
    python -m bench.analysis --clean    # remove the bench data
    python -m bench.analysis --explain  # EXPLAIN ANALYZE the analysis's answer query too
"""

import argparse
import datetime
import http.client
import os
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from bench.run import CONCURRENCY, gunicorn, manage, production_env

SELF = int(os.environ.get("BENCH_SELF", "5000"))
DEMAND = int(os.environ.get("BENCH_DEMAND", "500"))
RUNS = int(os.environ.get("BENCH_RUNS", "20"))
REQUESTS = int(os.environ.get("BENCH_DASHBOARD_REQUESTS", "200"))
TITLE = "bench-analysis"
COORDINATOR = "bench.analysis.coordinator@example.invalid"
CONSORTIUM = "bench.analysis.consortium@example.invalid"
REGIONS = {"PL22": 1, "NL35": 5, "ITC3": 5}  # NUTS code: divisor of the response counts

ORGANISATION_TYPES = ["university", "research_institute", "technology_transfer", "science_park"]
ROLES = ["researcher", "researcher", "technical", "transfer", "management", "other"]
EXPERIENCE = ["0-2", "2-5", "6-10", "11-20", "20+"]
AGE_BANDS = ["-29", "30-39", "40-49", "50-59", "60+", "", ""]

# Submitted, anonymous responses with background values drawn from the given lists.
RESPONSES_SQL = """
    INSERT INTO surveys_response (campaign_id, status, consent_version, consented_at,
        current_page, organisation_type, role, experience, age_band, started_at, updated_at,
        submitted_at, released)
    SELECT %(campaign)s, 'submitted', 'bench', now(), 0,
        (%(orgs)s::text[])[1 + floor(random() * cardinality(%(orgs)s::text[]))::int],
        (%(role)s::text[])[1 + floor(random() * cardinality(%(role)s::text[]))::int],
        (%(experience)s::text[])[1 + floor(random() * cardinality(%(experience)s::text[]))::int],
        (%(age)s::text[])[1 + floor(random() * cardinality(%(age)s::text[]))::int],
        now() - interval '30 days', now() - interval '2 days', now() - interval '2 days', true
    FROM generate_series(1, %(count)s)
"""
# One answer per response and competence: levels around 3 (current), 3.9 (importance) and
# 3.6 (required), shifted a little per competence, about 8 % "not applicable".
ANSWERS_SQL = """
    INSERT INTO surveys_answer (response_id, competence_id, current_level, importance,
        required_level, not_applicable)
    SELECT response_id, competence_id,
        CASE WHEN na OR %(demand)s THEN NULL
            ELSE LEAST(5, GREATEST(1, round(3.0 + shift + (u1 + u2 - 1) * 2.2))) END,
        CASE WHEN na OR %(demand)s THEN NULL
            ELSE LEAST(5, GREATEST(1, round(3.9 + shift + (u3 + u4 - 1) * 2.2))) END,
        CASE WHEN na OR NOT %(demand)s THEN NULL
            ELSE LEAST(5, GREATEST(1, round(3.6 + shift + (u1 + u3 - 1) * 2.2))) END,
        na
    FROM (
        SELECT r.id AS response_id, c.id AS competence_id,
            random() < 0.08 AS na, random() AS u1, random() AS u2, random() AS u3,
            random() AS u4, ((c.id %% 7) - 3) * 0.15 AS shift
        FROM surveys_response r CROSS JOIN surveys_competence c
        WHERE r.campaign_id = %(campaign)s AND c.id = ANY(%(competences)s)
    ) AS drawn
"""


def _setup_django(env: dict) -> None:
    import django

    os.environ.update({key: env[key] for key in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socore.settings")
    django.setup()


def remove_surveys(title: str) -> dict[str, int]:
    """Delete a benchmark's surveys (titles starting with `title`), their campaigns,
    responses and answers, the large tables without the ORM's row-by-row cascade. Call it
    inside a transaction; returns the rows removed per kind."""
    from surveys.models import Answer, Campaign, Response, Survey

    surveys = Survey.objects.filter(title__startswith=title)
    campaigns = Campaign.objects.filter(survey__in=surveys)
    return {
        "answers": Answer.objects.filter(response__campaign__in=campaigns)._raw_delete(
            Answer.objects.db
        ),
        "responses": Response.objects.filter(campaign__in=campaigns)._raw_delete(
            Response.objects.db
        ),
        "campaigns": campaigns.delete()[0],
        "surveys": surveys.delete()[0],
    }


def clean() -> dict[str, int]:
    from django.db import transaction

    from partners.models import User

    with transaction.atomic():
        removed = remove_surveys(TITLE)
        removed["users"] = User.objects.filter(email__in=[COORDINATOR, CONSORTIUM]).delete()[0]
    return removed


def populate() -> dict:
    """The campaigns (created once) and the bench users' sessions."""
    from allauth.mfa.totp.internal.auth import TOTP
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection, transaction
    from django.utils import timezone

    from partners.models import Membership, Partner, Region, User
    from surveys.models import Answer, Campaign, Competence, Framework, Response, Survey

    framework = Framework.objects.current()
    if framework is None:
        raise SystemExit("No published framework: migrate first.")
    competence_ids = list(
        Competence.objects.filter(area__framework=framework).values_list("pk", flat=True)
    )
    now = timezone.now()
    campaigns: dict[str, dict[str, Campaign]] = {}
    added = False
    with transaction.atomic():
        surveys = {}
        for kind in (Survey.Kind.SELF_ASSESSMENT, Survey.Kind.DEMAND):
            surveys[kind], _created = Survey.objects.get_or_create(
                framework=framework, kind=kind, title=f"{TITLE} {kind}"
            )
        for code, divisor in REGIONS.items():
            region = Region.objects.get(nuts_code=code)
            campaigns[code] = {}
            for kind, count in ((Survey.Kind.SELF_ASSESSMENT, SELF), (Survey.Kind.DEMAND, DEMAND)):
                campaign, created = Campaign.objects.get_or_create(
                    survey=surveys[kind],
                    region=region,
                    defaults={
                        "title": f"{TITLE} {region.name} {kind}",
                        "opens_at": now - datetime.timedelta(days=40),
                        "closes_at": now - datetime.timedelta(days=1),
                        "access": Campaign.Access.OPEN,
                        "target_responses": count // divisor + 100,
                        "privacy_notice": "Benchmark data (bench.analysis --clean removes it).",
                        "privacy_notice_version": "bench",
                    },
                )
                campaigns[code][kind] = campaign
                if created:
                    added = True
                    demand = kind == Survey.Kind.DEMAND
                    background = {
                        "orgs": ["company"] if demand else ORGANISATION_TYPES,
                        "role": ["business"] if demand else ROLES,
                        "experience": EXPERIENCE,
                        "age": AGE_BANDS,
                    }
                    with connection.cursor() as cursor:
                        cursor.execute(
                            RESPONSES_SQL,
                            {"campaign": campaign.pk, "count": count // divisor, **background},
                        )
                        cursor.execute(
                            ANSWERS_SQL,
                            {
                                "campaign": campaign.pk,
                                "competences": competence_ids,
                                "demand": demand,
                            },
                        )
    if added:
        with connection.cursor() as cursor:
            for model in (Response, Answer):
                cursor.execute(f"VACUUM (ANALYZE) {model._meta.db_table}")

    sessions = {}
    for email, partner_slug, consortium in (
        (COORDINATOR, "province-of-silesia", False),
        (CONSORTIUM, "us", True),
    ):
        user, created = User.objects.get_or_create(email=email, defaults={"name": email})
        if created:
            user.set_unusable_password()
            user.save()
            Membership.objects.create(
                user=user,
                partner=Partner.objects.get(slug=partner_slug),
                role=Membership.Role.COORDINATOR,
                is_consortium_coordinator=consortium,
            )
            TOTP.activate(user, settings.DEMO_TOTP_SECRET)
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions[email] = store.session_key
    return {"campaigns": campaigns, "sessions": sessions, "competences": len(competence_ids)}


def timings(work, runs: int = RUNS, cached: bool = False) -> tuple[float, float]:
    """Median and p95 in ms of `runs` warm runs; computed afresh unless `cached`."""
    from django.core.cache import cache

    for _ in range(3):
        work()
    spent = []
    for _ in range(runs):
        if not cached:
            cache.clear()
        started = time.perf_counter()
        work()
        spent.append((time.perf_counter() - started) * 1000)
    spent.sort()
    return statistics.median(spent), spent[max(0, int(len(spent) * 0.95) - 1)]


def explain(campaign_ids: list[int]) -> None:
    from django.db import connection

    from surveys import analysis

    group = analysis.Group(tuple(campaign_ids))
    queryset = (
        analysis._submitted_answers(group.campaign_ids)
        .values("competence__code")
        .annotate(n=analysis.Count("current_level"), mean=analysis.Avg("current_level"))
        .order_by()
    )
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        print("\n".join(row[0] for row in cursor.fetchall()))


def in_process(data: dict) -> list[tuple[str, float, float]]:
    from surveys import analysis
    from surveys.dashboard.tables import regional_results

    silesia = list(data["campaigns"]["PL22"].values())
    everywhere = [c for per_region in data["campaigns"].values() for c in per_region.values()]
    silesia_group = analysis.Group.of(silesia)
    researchers = analysis.Group.of(silesia, {"role": "researcher"})
    return [
        ("analyse: Śląskie, both campaigns", *timings(lambda: analysis.analyse(silesia_group))),
        ("analyse: Śląskie, role = researcher", *timings(lambda: analysis.analyse(researchers))),
        (
            "compare_regions: 3 regions, 6 campaigns",
            *timings(lambda: analysis.compare_regions(everywhere)),
        ),
        (
            "breakdown: Śląskie staff by role",
            *timings(lambda: analysis.breakdown(silesia_group, "role")),
        ),
        (
            "dashboard figures (regional_results)",
            *timings(lambda: regional_results("Śląskie", silesia, {})),
        ),
        (
            "analyse, cached: Śląskie, both campaigns",
            *timings(lambda: analysis.analyse(silesia_group), cached=True),
        ),
        (
            "dashboard figures, cached",
            *timings(lambda: regional_results("Śląskie", silesia, {}), cached=True),
        ),
    ]


def timed_get(port: int, path: str, session: str | None) -> float:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Host": "127.0.0.1"}
    if session:
        headers["Cookie"] = f"sessionid={session}"
    started = time.perf_counter()
    try:
        connection.request("GET", path, headers=headers)
        reply = connection.getresponse()
        reply.read()
    finally:
        connection.close()
    if reply.status != 200:
        raise SystemExit(f"{path}: HTTP {reply.status}")
    return time.perf_counter() - started


def measure(port: int, path: str, session: str | None) -> tuple[float, float, float]:
    for _ in range(5):
        timed_get(port, path, session)
    started = time.perf_counter()
    with ThreadPoolExecutor(CONCURRENCY) as pool:
        latencies = sorted(pool.map(lambda _n: timed_get(port, path, session), range(REQUESTS)))
    elapsed = time.perf_counter() - started
    p95 = latencies[int(len(latencies) * 0.95) - 1] * 1000
    return REQUESTS / elapsed, statistics.median(latencies) * 1000, p95


def page_queries(path: str, email: str | None) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from partners.models import User

    client = Client(headers={"x-forwarded-proto": "https"}, SERVER_NAME="localhost")
    if email:
        client.force_login(User.objects.get(email=email))
    client.get(path, secure=True)
    with CaptureQueriesContext(connection) as context:
        response = client.get(path, secure=True)
    assert response.status_code == 200, (path, response.status_code)
    return len(context.captured_queries)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clean", action="store_true", help="Remove the bench data.")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the answers query.")
    args = parser.parse_args()

    env = production_env()
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "createcachetable")
    _setup_django(env)
    if args.clean:
        removed = clean()
        print("Removed rows: " + ", ".join(f"{what} {count}" for what, count in removed.items()))
        return 0
    started = time.perf_counter()
    data = populate()
    print(f"Data ready in {time.perf_counter() - started:.1f} s.")
    if args.explain:
        explain([c.pk for c in data["campaigns"]["PL22"].values()])

    print(
        f"analysis over {data['competences']} competences: Śląskie {SELF} staff and {DEMAND} "
        f"employer responses, Utrecht and Liguria a fifth of that each; {RUNS} warm runs"
    )
    print(f"{'work':<44}{'median ms':>10}{'p95 ms':>9}")
    for label, median, p95 in in_process(data):
        print(f"{label:<44}{median:>10.1f}{p95:>9.1f}")

    pages = [
        ("/reports/region/slaskie/", COORDINATOR),
        ("/reports/region/slaskie/?group=role%3Aresearcher&sort=mwds&dir=desc", COORDINATOR),
        ("/reports/compare/", CONSORTIUM),
        ("/statistics/", None),
    ]
    queries = {path: page_queries(path, email) for path, email in pages}
    manage(env, "collectstatic", "--noinput", "-v0")
    with gunicorn(env) as base:
        port = int(base.rsplit(":", 1)[1])
        print(f"gunicorn.conf.py, {CONCURRENCY} concurrent clients, {REQUESTS} requests a page")
        print(f"{'page':<70}{'req/s':>7}{'p50 ms':>8}{'p95 ms':>8}{'queries':>8}")
        for path, email in pages:
            session = data["sessions"][email] if email else None
            rate, p50, p95 = measure(port, path, session)
            print(f"{path:<70}{rate:>7.1f}{p50:>8.1f}{p95:>8.1f}{queries[path]:>8}")
    print("The bench data stays for the next run: python -m bench.analysis --clean")
    return 0


if __name__ == "__main__":
    sys.exit(main())
