"""`python -m bench.dataset`: the one data set every benchmark measures, a hundred times the
consortium of the demo.

Seven regions (Śląskie the largest, 30 %), 50 partners, 2,000 partner staff (one regional
coordinator per region and one consortium coordinator among them), 10,000 published good
practices, and on the current framework (24 competences) per region a baseline and a
follow-up self-assessment campaign and an employer demand campaign, all closed: 100,000
self-assessment and 10,000 employer responses with an answer per competence. 20,000 of the
self-assessments' respondents have an account and answered both the baseline and the
follow-up (their follow-up a little higher for some competences); the rest answered
anonymously. 300 confirmed activities (most held) with 6,000 participants, a capacity
follow-up for each attendee of a held activity, 60 % of them answered.

Built once, in the benchmark database (see `bench/__init__.py`), in one transaction, from a
fixed seed (SQL `setseed` and Python's `random.Random`), so two builds hold the same data.
BENCH_SCALE (default 1) multiplies every size, for a quick trial run.

    python -m bench.dataset            # build it if it is missing or of an older version
    python -m bench.dataset --clean    # drop the benchmark database's tables
"""

import argparse
import datetime
import json
import os
import random
import sys
import time

import bench  # noqa: F401 - the benchmark database
from bench.run import manage, production_env

VERSION = 1
SEED = 2025_2029
SCALE = float(os.environ.get("BENCH_SCALE", "1"))


def _scaled(count: int) -> int:
    return max(1, round(count * SCALE))


SIZES = {
    "partners": 50,
    "staff": _scaled(2000),
    "practices": _scaled(10000),
    "self_responses": _scaled(100000),
    "demand_responses": _scaled(10000),
    "paired_people": _scaled(20000),
    "activities": _scaled(300),
    "participants": _scaled(6000),
}
# The regions and their share of staff, responses, people and activities.
REGIONS = {
    "slaskie": 30,
    "utrecht": 12,
    "liguria": 12,
    "norte": 12,
    "centro-pt": 10,
    "sostines-regionas": 12,
    "chisinau": 12,
}
LARGEST = "slaskie"
STAFF = "bench.staff.%s@example.invalid"
PERSON = "bench.person.%s@example.invalid"
GUEST = "bench.guest.%s@example.invalid"
COORDINATOR = "bench.coordinator.%s@example.invalid"
CONSORTIUM = "bench.consortium@example.invalid"
# Campaign windows: the baseline a year before the follow-up; both closed.
WINDOWS = {
    "baseline": (datetime.date(2025, 10, 1), datetime.date(2025, 12, 15)),
    "followup": (datetime.date(2026, 9, 1), datetime.date(2026, 11, 15)),
    "demand": (datetime.date(2026, 3, 1), datetime.date(2026, 5, 31)),
}
ORGANISATION_TYPES = ["university", "research_institute", "technology_transfer", "science_park"]
ROLES = ["researcher", "researcher", "technical", "transfer", "management", "other"]
EXPERIENCE = ["0-2", "2-5", "6-10", "11-20", "20+"]
AGE_BANDS = ["-29", "30-39", "40-49", "50-59", "60+", "", ""]

MARKER = """
    CREATE TABLE IF NOT EXISTS bench_dataset (
        version integer NOT NULL, scale double precision NOT NULL,
        built_at timestamptz NOT NULL DEFAULT now(), seconds double precision NOT NULL,
        sizes jsonb NOT NULL)
"""
USERS_SQL = """
    INSERT INTO partners_user (password, is_superuser, email, name, language, time_zone,
        is_staff, is_active, date_joined)
    SELECT '!', false, format(%(email)s, n), format(%(name)s, n), '', '', false, true,
        %(joined)s
    FROM generate_series(1, %(count)s) AS n
"""
# Staff n works for bench partner n mod the partners (the coordinators are added apart).
MEMBERSHIPS_SQL = """
    INSERT INTO partners_membership (user_id, partner_id, role, is_consortium_coordinator,
        created_at)
    SELECT u.id, (%(partners)s::bigint[])[1 + (u.id %% cardinality(%(partners)s::bigint[]))],
        'staff', false, u.date_joined
    FROM partners_user u WHERE u.email LIKE 'bench.staff.%%'
"""
# Submitted responses of one campaign: `people` of them by the given accounts, the rest
# anonymous, background values drawn from the lists, submitted within the window.
RESPONSES_SQL = """
    INSERT INTO surveys_response (campaign_id, respondent_id, status, consent_version,
        consented_at, current_page, language, organisation_type, role, experience, age_band,
        started_at, updated_at, submitted_at, released)
    SELECT %(campaign)s, people.id, 'submitted', 'bench', moment, 0, '',
        (%(orgs)s::text[])[1 + floor(random() * cardinality(%(orgs)s::text[]))::int],
        (%(role)s::text[])[1 + floor(random() * cardinality(%(role)s::text[]))::int],
        (%(experience)s::text[])[1 + floor(random() * cardinality(%(experience)s::text[]))::int],
        (%(age)s::text[])[1 + floor(random() * cardinality(%(age)s::text[]))::int],
        moment - interval '20 minutes', moment, moment, true
    FROM (
        SELECT n, %(opens)s::timestamptz + random() * (%(closes)s::timestamptz - %(opens)s)
            AS moment
        FROM generate_series(1, %(count)s) AS n
    ) AS drawn
    LEFT JOIN (
        SELECT id, row_number() OVER (ORDER BY id) AS n FROM partners_user
        WHERE id = ANY(%(people)s::bigint[])
    ) AS people USING (n)
    ORDER BY n
"""
# One answer per response and competence: levels around 3 (current), 3.9 (importance) and
# 3.6 (required), shifted a little per competence, about 8 % "not applicable"; a follow-up
# adds 0 to 0.6 to the current level by competence.
ANSWERS_SQL = """
    INSERT INTO surveys_answer (response_id, competence_id, current_level, importance,
        required_level, not_applicable)
    SELECT response_id, competence_id,
        CASE WHEN na OR %(demand)s THEN NULL
            ELSE LEAST(5, GREATEST(1, round(3.0 + shift + rise + (u1 + u2 - 1) * 2.2))) END,
        CASE WHEN na OR %(demand)s THEN NULL
            ELSE LEAST(5, GREATEST(1, round(3.9 + shift + (u3 + u4 - 1) * 2.2))) END,
        CASE WHEN na OR NOT %(demand)s THEN NULL
            ELSE LEAST(5, GREATEST(1, round(3.6 + shift + (u1 + u3 - 1) * 2.2))) END,
        na
    FROM (
        SELECT r.id AS response_id, c.id AS competence_id,
            random() < 0.08 AS na, random() AS u1, random() AS u2, random() AS u3,
            random() AS u4, ((c.id %% 7) - 3) * 0.15 AS shift,
            CASE WHEN %(followup)s THEN (c.id %% 4) * 0.2 ELSE 0 END AS rise
        FROM surveys_response r CROSS JOIN surveys_competence c
        WHERE r.campaign_id = %(campaign)s AND c.id = ANY(%(competences)s)
        ORDER BY r.id, c.id
    ) AS drawn
"""
ACTIVITY_KINDS = [
    "study_visit",
    "workshop",
    "peer_review",
    "stakeholder_meeting",
    "stakeholder_meeting",
    "training",
    "training",
]
PARTICIPANT_TYPES = ["partner_staff", "stakeholder", "rii_staff", "rii_staff", "policy_maker"]
# The accounts among the participants are paired people, so an activity's change has pairs.
PARTICIPANTS_SQL = """
    INSERT INTO activities_participant (activity_id, user_id, name, email, organisation, type,
        attended, attendance_confirmed_at, added_by_id, added_at)
    SELECT a.id, u.id, coalesce(u.name, format('Guest %%s', slot.n)),
        coalesce(u.email, format(%(guest)s, slot.n)), 'Bench organisation',
        (%(types)s::text[])[1 + floor(random() * cardinality(%(types)s::text[]))::int],
        a.status = 'held' AND random() < 0.85,
        CASE WHEN a.status = 'held' THEN a.held_at END, a.created_by_id, a.created_at
    FROM (SELECT *, row_number() OVER (ORDER BY id) AS row FROM activities_activity) AS a
    JOIN LATERAL (
        SELECT n FROM generate_series((a.row - 1) * %(each)s + 1, a.row * %(each)s) AS n
    ) AS slot ON true
    LEFT JOIN partners_user u ON slot.n %% 5 < 3 AND u.email = format(%(person)s, slot.n)
    ORDER BY a.id, slot.n
"""
# Each attendee of a held activity was asked; 60 % answered.
FOLLOW_UPS_SQL = """
    INSERT INTO activities_capacityfollowup (participant_id, token, created_at, sent_at,
        reminded_at, answered_at, language, met_practices, capacity_increased, most_useful,
        use_in_work)
    SELECT p.id, md5(p.id::text || random()::text), a.held_at, a.held_at, NULL,
        CASE WHEN answered THEN a.held_at + interval '3 days' END, 'en',
        CASE WHEN answered THEN 1 + floor(random() * 5)::int END,
        CASE WHEN NOT answered THEN ''
            WHEN pick < 0.35 THEN 'large' WHEN pick < 0.8 THEN 'some' ELSE 'no' END,
        CASE WHEN answered THEN 'The partner visits and the practice sessions.' ELSE '' END,
        ''
    FROM (
        SELECT p.*, random() < 0.6 AS answered, random() AS pick
        FROM activities_participant p ORDER BY p.id
    ) AS p
    JOIN activities_activity a ON a.id = p.activity_id
    WHERE p.attended AND a.status = 'held'
"""


def _setup_django(env: dict) -> None:
    import django

    os.environ.update({key: env[key] for key in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socore.settings")
    django.setup()


def built() -> dict | None:
    """The sizes of the data set that is there; None if there is none. A data set of another
    version or scale is an error: `--clean` first."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(MARKER)
        cursor.execute("SELECT version, scale, sizes FROM bench_dataset")
        row = cursor.fetchone()
    if row is None:
        return None
    version, scale, sizes = row
    if (version, scale) != (VERSION, SCALE):
        raise SystemExit(
            f"The benchmark database holds data set version {version} at scale {scale}, "
            f"not version {VERSION} at scale {SCALE}: python -m bench.dataset --clean first."
        )
    return sizes if isinstance(sizes, dict) else json.loads(sizes)


def _aware(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(9), tzinfo=datetime.UTC)


def _shares(total: int) -> dict[str, int]:
    """`total` split over the regions by their share, the rounding left to the largest."""
    weight = sum(REGIONS.values())
    counts = {slug: total * share // weight for slug, share in REGIONS.items()}
    counts[LARGEST] += total - sum(counts.values())
    return counts


def _people(cursor) -> None:
    """Staff, coordinators and the paired people's accounts, and the partners they work for."""
    from partners.models import Membership, Partner, Region

    joined = _aware(datetime.date(2025, 6, 1))
    regions = {region.slug: region for region in Region.objects.filter(slug__in=REGIONS)}
    partners = list(Partner.objects.all())
    types = [choice for choice, _label in Partner.Type.choices]
    slugs = list(REGIONS)
    for number in range(len(partners) + 1, SIZES["partners"] + 1):
        region = regions[slugs[number % len(slugs)] if number % 3 else LARGEST]
        partners.append(
            Partner.objects.create(
                name=f"Bench partner {number} ({region.name})",
                short_name=f"Bench {number}",
                slug=f"bench-partner-{number}",
                type=types[number % len(types)],
                region=region,
            )
        )
    for email, name, count in (
        (STAFF, "Bench staff %s", SIZES["staff"]),
        (PERSON, "Bench person %s", SIZES["paired_people"]),
    ):
        cursor.execute(USERS_SQL, {"email": email, "name": name, "count": count, "joined": joined})
    cursor.execute(MEMBERSHIPS_SQL, {"partners": [partner.pk for partner in partners]})
    # The coordinators: one staff member of a partner in each region, and the consortium's.
    from partners.models import User

    for slug, region in regions.items():
        partner = next(p for p in partners if p.region_id == region.pk)
        user = User.objects.create(email=COORDINATOR % slug, name=f"Coordinator {region.name}")
        Membership.objects.create(user=user, partner=partner, role=Membership.Role.COORDINATOR)
    lead = next(p for p in partners if p.is_lead)
    user = User.objects.create(email=CONSORTIUM, name="Consortium coordinator")
    Membership.objects.create(
        user=user, partner=lead, role=Membership.Role.COORDINATOR, is_consortium_coordinator=True
    )


def _first_staff() -> dict[int, int]:
    """{partner id: the user id of its first staff member}."""
    from partners.models import Membership

    return dict(
        Membership.objects.filter(role=Membership.Role.STAFF)
        .order_by("partner_id", "user_id")
        .distinct("partner_id")
        .values_list("partner_id", "user_id")
    )


def _practices() -> None:
    """The good practices: generated as bench.catalogue does, spread over the partners."""
    from django.db.models.expressions import RawSQL

    from bench import catalogue
    from partners.models import Partner, Region
    from practices.models import GoodPractice, Status, TargetGroup, Theme
    from surveys.models import Competence, Framework

    rng = random.Random(SEED)
    regions = {region.slug: region for region in Region.objects.all()}
    partners = list(Partner.objects.order_by("pk"))
    authors = _first_staff()
    competence_ids = list(
        Competence.objects.filter(area__framework=Framework.objects.current())
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    theme_ids = list(Theme.objects.order_by("pk").values_list("pk", flat=True))
    group_ids = list(TargetGroup.objects.order_by("pk").values_list("pk", flat=True))
    drafts = []
    for _number in range(SIZES["practices"]):
        partner = rng.choice([p for p in partners if p.pk in authors])
        practice = catalogue._practice(rng, regions, partner, None)
        practice.created_by_id = authors[partner.pk]
        drafts.append(practice)
    practices = GoodPractice.objects.bulk_create(drafts, batch_size=1000)
    for through, field, ids, most in (
        (GoodPractice.competences.through, "competence_id", competence_ids, 3),
        (GoodPractice.themes.through, "theme_id", theme_ids, 2),
        (GoodPractice.target_groups.through, "targetgroup_id", group_ids, 2),
    ):
        through.objects.bulk_create(
            [
                through(goodpractice_id=practice.pk, **{field: value})
                for practice in practices
                for value in rng.sample(ids, rng.randint(1, most))
            ],
            batch_size=5000,
        )
    GoodPractice.objects.filter(status=Status.DRAFT).update(
        status=Status.PUBLISHED,
        published_at=RawSQL(
            "LEAST(now(), start_date + (30 + random() * 700) * interval '1 day')", []
        ),
        search_vector=GoodPractice.SEARCH_VECTOR,
    )


def _surveys(cursor) -> None:
    """The campaigns, their responses and answers."""
    from partners.models import Region, User
    from surveys.models import Campaign, Competence, Framework, Survey

    framework = Framework.objects.current()
    competences = list(
        Competence.objects.filter(area__framework=framework)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    surveys = {
        kind: Survey.objects.create(framework=framework, kind=kind, title=f"Bench {kind}")
        for kind in (Survey.Kind.SELF_ASSESSMENT, Survey.Kind.DEMAND)
    }
    people = list(User.objects.filter(email__startswith="bench.person.").order_by("pk"))
    self_counts = _shares(SIZES["self_responses"])
    demand_counts = _shares(SIZES["demand_responses"])
    pair_counts = _shares(SIZES["paired_people"])
    first = 0
    for slug, region in ((r.slug, r) for r in Region.objects.filter(slug__in=REGIONS)):
        own = [person.pk for person in people[first : first + pair_counts[slug]]]
        first += pair_counts[slug]
        anonymous = self_counts[slug] - 2 * len(own)
        for name, kind, count, accounts in (
            ("baseline", Survey.Kind.SELF_ASSESSMENT, len(own) + anonymous // 2, own),
            ("followup", Survey.Kind.SELF_ASSESSMENT, len(own) + anonymous - anonymous // 2, own),
            ("demand", Survey.Kind.DEMAND, demand_counts[slug], []),
        ):
            opens, closes = WINDOWS[name]
            campaign = Campaign.objects.create(
                survey=surveys[kind],
                region=region,
                title=f"Bench {name} {region.name}",
                opens_at=_aware(opens),
                closes_at=_aware(closes),
                access=Campaign.Access.OPEN,
                target_responses=count,
                privacy_notice="Benchmark data.",
                privacy_notice_version="bench",
            )
            demand = kind == Survey.Kind.DEMAND
            cursor.execute(
                RESPONSES_SQL,
                {
                    "campaign": campaign.pk,
                    "count": count,
                    "people": accounts,
                    "opens": campaign.opens_at,
                    "closes": campaign.closes_at - datetime.timedelta(hours=1),
                    "orgs": ["company"] if demand else ORGANISATION_TYPES,
                    "role": ["business"] if demand else ROLES,
                    "experience": EXPERIENCE,
                    "age": AGE_BANDS,
                },
            )
            cursor.execute(
                ANSWERS_SQL,
                {
                    "campaign": campaign.pk,
                    "competences": competences,
                    "demand": demand,
                    "followup": name == "followup",
                },
            )


def _activities(cursor) -> None:
    """The activities (between the two campaigns, most held), participants and follow-ups."""
    from django.db.models import F

    from activities.models import Activity, Status
    from partners.models import Membership, Region

    rng = random.Random(SEED + 1)
    staff = _first_staff()
    coordinators = dict(
        Membership.objects.filter(
            role=Membership.Role.COORDINATOR,
            user__email__in=[COORDINATOR % slug for slug in REGIONS],
        ).values_list("partner__region_id", "user_id")
    )
    hosts: dict[int, list[int]] = {}
    for partner_id, region_id in (
        Membership.objects.filter(partner_id__in=staff)
        .values_list("partner_id", "partner__region_id")
        .distinct()
    ):
        hosts.setdefault(region_id, []).append(partner_id)
    regions = {r.slug: r for r in Region.objects.filter(slug__in=REGIONS)}
    first, last = datetime.date(2025, 12, 20), datetime.date(2026, 8, 25)
    activities = []
    for slug, count in _shares(SIZES["activities"]).items():
        region = regions[slug]
        for number in range(count):
            kind = ACTIVITY_KINDS[number % len(ACTIVITY_KINDS)]
            starts = first + datetime.timedelta(days=rng.randrange((last - first).days))
            held = rng.random() < 0.9
            moment = _aware(starts)
            activities.append(
                Activity(
                    kind=kind,
                    title=f"Bench {kind.replace('_', ' ')} {number + 1} in {region.name}",
                    host_partner_id=sorted(hosts[region.pk])[number % len(hosts[region.pk])],
                    region=region,
                    starts_on=starts,
                    ends_on=starts + datetime.timedelta(days=rng.choice([0, 0, 1, 2])),
                    place=region.name,
                    description="Generated for the benchmark.",
                    status=Status.HELD if held else Status.PLANNED,
                    created_by_id=coordinators[region.pk],
                    confirmed_by_id=coordinators[region.pk],
                    confirmed_at=moment - datetime.timedelta(days=30),
                    held_at=moment + datetime.timedelta(days=1) if held else None,
                )
            )
    created = Activity.objects.bulk_create(activities, batch_size=1000)
    Activity.objects.update(created_at=F("confirmed_at"), updated_at=F("confirmed_at"))
    cursor.execute(
        PARTICIPANTS_SQL,
        {
            "each": max(1, SIZES["participants"] // max(1, len(created))),
            "types": PARTICIPANT_TYPES,
            "guest": GUEST,
            "person": PERSON,
        },
    )
    cursor.execute(FOLLOW_UPS_SQL)


def build() -> dict:
    """Build the data set unless it is there; returns its sizes and how long it took."""
    from django.db import connection, transaction

    sizes = built()
    if sizes is not None:
        return sizes
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        cursor.execute("SELECT setseed(0.2025)")
        _people(cursor)
        _practices()
        _surveys(cursor)
        _activities(cursor)
        cursor.execute(
            "SELECT (SELECT count(*) FROM surveys_answer), "
            "(SELECT count(*) FROM activities_participant)"
        )
        answers, participants = cursor.fetchone()
        sizes = {**SIZES, "answers": answers, "participants": participants}
        cursor.execute(
            "INSERT INTO bench_dataset (version, scale, seconds, sizes) VALUES (%s, %s, %s, %s)",
            [VERSION, SCALE, time.perf_counter() - started, json.dumps(sizes)],
        )
    # As autovacuum would leave it: no dead row versions, fresh statistics.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    return sizes


def campaigns(slug: str | None = None) -> dict:
    """The data set's campaigns: {"baseline", "followup", "demand"} of the region `slug`, or
    of every region ({slug: {...}}) when None."""
    from surveys.models import Campaign

    found: dict[str, dict] = {}
    for campaign in Campaign.objects.filter(title__startswith="Bench ").select_related(
        "region", "survey__framework"
    ):
        found.setdefault(campaign.region.slug, {})[campaign.title.split()[1]] = campaign
    return found[slug] if slug else found


def session(email: str) -> str:
    """A signed-in session of the data set's user `email` (TOTP set up, as a coordinator's
    must be): the value of the session cookie."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from partners.models import User

    user = User.objects.get(email=email)
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, settings.DEMO_TOTP_SECRET)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def clean() -> None:
    """Empty the benchmark database: every table dropped, migrations to run again."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE")
        cursor.execute("CREATE SCHEMA public")


def prepare(env: dict | None = None) -> dict:
    """Migrate the benchmark database and build the data set; the sizes (for bench.run)."""
    env = env or production_env()
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "createcachetable")
    _setup_django(env)
    started = time.perf_counter()
    sizes = build()
    print(f"data set ready ({time.perf_counter() - started:.0f} s): {sizes}", flush=True)
    return sizes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clean", action="store_true", help="drop the benchmark data")
    args = parser.parse_args()
    if args.clean:
        _setup_django(production_env())
        clean()
        print("benchmark database emptied")
        return 0
    prepare()
    return 0


if __name__ == "__main__":
    sys.exit(main())
