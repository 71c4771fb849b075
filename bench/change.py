"""`python -m bench.change`: competence change over BENCH_PAIRS (20,000) pairs.

Sets up (once; `--clean` removes it) BENCH_PAIRS people, each with a self-assessment on the
current framework (24 competences) in a closed Śląskie baseline campaign and another in a
closed follow-up campaign, written with SQL generate_series (levels around 3, the follow-up
a little higher for some competences, about 8 % "not applicable"). Then prints median and
p95 of BENCH_RUNS (20) warm runs of the whole computation (`change.compute` of the two
campaigns: the SQL and the Python after it), afresh (cache cleared) and from the cache.
Not a test: nothing here asserts a time (the aim is compute <= 300 ms).

    python -m bench.change            # add the data if missing, then measure
    python -m bench.change --clean    # remove the bench data
    python -m bench.change --explain  # EXPLAIN ANALYZE the competence query too
"""

import argparse
import datetime
import os
import sys
import time

from bench.analysis import _setup_django, remove_surveys, timings
from bench.run import manage, production_env

PAIRS = int(os.environ.get("BENCH_PAIRS", "20000"))
TITLE = "bench-change"
EMAIL = "bench.change.%s@example.invalid"

USERS_SQL = """
    INSERT INTO partners_user (password, is_superuser, email, name, language, time_zone,
        is_staff, is_active, date_joined)
    SELECT '!', false, format(%(email)s, n), 'Bench person', '', '', false, true, now()
    FROM generate_series(1, %(count)s) AS n
    ON CONFLICT (email) DO NOTHING
"""
RESPONSES_SQL = """
    INSERT INTO surveys_response (campaign_id, respondent_id, status, consent_version,
        consented_at, current_page, organisation_type, role, experience, age_band, language,
        started_at, updated_at, submitted_at, released)
    SELECT %(campaign)s, u.id, 'submitted', 'bench', %(at)s, 0, 'university', 'researcher',
        '6-10', '', '', %(at)s, %(at)s, %(at)s + (u.id %% 1000) * interval '1 minute', true
    FROM partners_user u WHERE u.email LIKE %(pattern)s
"""
# Levels around 3 at the baseline; the follow-up adds a shift of 0 to 0.6 by competence.
ANSWERS_SQL = """
    INSERT INTO surveys_answer (response_id, competence_id, current_level, importance,
        required_level, not_applicable)
    SELECT response_id, competence_id,
        CASE WHEN na THEN NULL
            ELSE LEAST(5, GREATEST(1, round(3.0 + shift + (u1 + u2 - 1) * 2.2))) END,
        CASE WHEN na THEN NULL ELSE LEAST(5, GREATEST(1, round(3.9 + (u2 - 0.5) * 2))) END,
        NULL, na
    FROM (
        SELECT r.id AS response_id, c.id AS competence_id, random() < 0.08 AS na,
            random() AS u1, random() AS u2,
            CASE WHEN %(followup)s THEN (c.id %% 4) * 0.2 ELSE 0 END AS shift
        FROM surveys_response r CROSS JOIN surveys_competence c
        WHERE r.campaign_id = %(campaign)s AND c.id = ANY(%(competences)s)
    ) AS drawn
"""


def clean() -> dict[str, int]:
    from django.db import transaction

    from partners.models import User

    with transaction.atomic():
        removed = remove_surveys(TITLE)
        people = User.objects.filter(email__startswith="bench.change.")
        removed["users"] = people._raw_delete(User.objects.db)
    return removed


def populate() -> dict:
    """The two campaigns and their people (created once)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from partners.models import Region
    from surveys.models import Answer, Campaign, Competence, Framework, Response, Survey

    framework = Framework.objects.current()
    if framework is None:
        raise SystemExit("No published framework: migrate first.")
    competence_ids = list(
        Competence.objects.filter(area__framework=framework).values_list("pk", flat=True)
    )
    now = timezone.now()
    region = Region.objects.get(nuts_code="PL22")
    campaigns = {}
    added = False
    with transaction.atomic():
        survey, _created = Survey.objects.get_or_create(
            framework=framework, kind=Survey.Kind.SELF_ASSESSMENT, title=TITLE
        )
        with connection.cursor() as cursor:
            cursor.execute(USERS_SQL, {"email": EMAIL % "%s", "count": PAIRS})
        for name, days_ago in (("baseline", 400), ("followup", 40)):
            campaign, created = Campaign.objects.get_or_create(
                survey=survey,
                title=f"{TITLE} {name}",
                defaults={
                    "region": region,
                    "opens_at": now - datetime.timedelta(days=days_ago),
                    "closes_at": now - datetime.timedelta(days=days_ago - 30),
                    "access": Campaign.Access.OPEN,
                    "privacy_notice": "Benchmark data (bench.change --clean removes it).",
                    "privacy_notice_version": "bench",
                },
            )
            campaigns[name] = campaign
            if created:
                added = True
                with connection.cursor() as cursor:
                    cursor.execute(
                        RESPONSES_SQL,
                        {
                            "campaign": campaign.pk,
                            "at": campaign.opens_at + datetime.timedelta(days=1),
                            "pattern": EMAIL % "%",
                        },
                    )
                    cursor.execute(
                        ANSWERS_SQL,
                        {
                            "campaign": campaign.pk,
                            "competences": competence_ids,
                            "followup": name == "followup",
                        },
                    )
    if added:
        with connection.cursor() as cursor:
            for model in (Response, Answer):
                cursor.execute(f"VACUUM (ANALYZE) {model._meta.db_table}")
    return {"campaigns": campaigns, "competences": len(competence_ids)}


def explain(pairing) -> None:
    from django.db import connection

    from surveys.analysis import change

    sql, params = change._query(pairing, change.counted_campaign_ids(pairing.campaigns()))
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        print("\n".join(row[0] for row in cursor.fetchall()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clean", action="store_true", help="Remove the bench data.")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the query.")
    args = parser.parse_args()

    env = production_env()
    manage(env, "migrate", "--noinput", "-v0")
    _setup_django(env)
    if args.clean:
        removed = clean()
        print("Removed rows: " + ", ".join(f"{what} {count}" for what, count in removed.items()))
        return 0
    started = time.perf_counter()
    data = populate()
    print(f"Data ready in {time.perf_counter() - started:.1f} s.")

    from surveys.analysis import change

    pairing = change.CampaignPairs(
        (data["campaigns"]["baseline"].pk,), (data["campaigns"]["followup"].pk,)
    )
    if args.explain:
        explain(pairing)
    result = change.compute(pairing)
    print(
        f"competence change: {result.people} pairs x {data['competences']} competences, "
        f"{len(result.areas)} areas"
    )
    print(f"{'work':<44}{'median ms':>10}{'p95 ms':>9}")
    for label, work, cached in (
        ("change.compute, afresh (SQL and Python)", lambda: change.compute(pairing), False),
        ("change.compute, cached", lambda: change.compute(pairing), True),
    ):
        median, p95 = timings(work, cached=cached)
        print(f"{label:<44}{median:>10.1f}{p95:>9.1f}")
    print("The bench data stays for the next run: python -m bench.change --clean")
    return 0


if __name__ == "__main__":
    sys.exit(main())
