"""`python -m bench.catalogue`: the catalogue's search over 10,000 published practices.

Adds (once) 10,000 generated published practices to the configured database, owned by a
dedicated partner ("bench-catalogue") so that `--clean` removes them and nothing else.
Then serves the portal with gunicorn, as bench.run does, and prints per catalogue query:
matching practices, requests per second, p50 and p95 latency, and the number of SQL
queries the page makes. Not a test: nothing here asserts a time (the aim is p95 <= 150 ms).

    python -m bench.catalogue            # add the practices if missing, then measure
    python -m bench.catalogue --clean    # remove the generated practices
"""

import argparse
import datetime
import os
import random
import sys
import time

from bench.run import (
    CONCURRENCY,
    REQUESTS,
    gunicorn,
    gunicorn_settings,
    manage,
    measure,
    production_env,
)

COUNT = int(os.environ.get("BENCH_PRACTICES", "10000"))
PAGES = [
    "/practices/?q=mentoring&country=PL&theme=knowledge-transfer",
    "/practices/?q=living+lab&region=utrecht&theme=open-innovation",
    "/practices/?q=negotiation+licence&area=A2&sort=newest",
    "/practices/?country=IT&theme=training-and-skills",
    "/practices/",
]
PARTNER_SLUG = "bench-catalogue"
AUTHOR_EMAIL = "bench.catalogue@example.invalid"
SEED = 2026

# Region slug -> (weight, cities). The consortium's regions carry most practices.
REGIONS = {
    "slaskie": (20, ["Katowice", "Gliwice", "Bielsko-Biała", "Częstochowa", "Sosnowiec"]),
    "utrecht": (15, ["Utrecht", "Amersfoort", "Zeist", "Nieuwegein", "Veenendaal"]),
    "liguria": (15, ["Genova", "La Spezia", "Savona", "Sanremo", "Chiavari"]),
    "norte": (6, ["Porto", "Braga", "Guimarães"]),
    "centro-pt": (4, ["Coimbra", "Aveiro", "Leiria"]),
    "grande-lisboa": (6, ["Lisboa", "Oeiras", "Amadora"]),
    "peninsula-de-setubal": (2, ["Setúbal", "Almada"]),
    "alentejo": (2, ["Évora", "Beja"]),
    "algarve": (2, ["Faro", "Loulé"]),
    "oeste-e-vale-do-tejo": (2, ["Santarém", "Caldas da Rainha"]),
    "acores": (1, ["Ponta Delgada"]),
    "madeira": (1, ["Funchal"]),
    "sostines-regionas": (6, ["Vilnius"]),
    "vidurio-ir-vakaru-lietuvos-regionas": (5, ["Kaunas", "Klaipėda", "Šiauliai"]),
    "chisinau": (5, ["Chișinău"]),
    "nord-md": (2, ["Bălți"]),
    "centru-md": (2, ["Ungheni", "Orhei"]),
    "sud-md": (2, ["Cahul"]),
    "gagauzia": (2, ["Comrat"]),
}
LANGUAGE_OF = {"PL": "pl", "NL": "nl", "IT": "it", "PT": "pt", "LT": "lt", "MD": "ro"}

FORMATS = [
    "mentoring scheme",
    "negotiation bootcamp",
    "pitching day",
    "IP clinic",
    "living lab",
    "secondment programme",
    "summer school",
    "matchmaking breakfast",
    "innovation voucher",
    "design sprint",
    "open lab day",
    "hackathon",
    "peer coaching circle",
    "knowledge broker network",
    "challenge-based learning hub",
    "co-creation workshop series",
    "technology scouting programme",
    "spin-off readiness track",
    "industrial doctorate track",
    "service catalogue rewrite",
    "licensing masterclass",
    "science café for business",
]
AUDIENCES = [
    "laboratory technicians",
    "technology transfer officers",
    "doctoral candidates",
    "early-career researchers",
    "RII managers",
    "SME owners",
    "municipal officers",
    "company engineers",
    "students",
    "cluster managers",
    "research group leaders",
    "innovation brokers",
]
SECTORS = [
    "hydrogen",
    "advanced materials",
    "medical devices",
    "agri-food",
    "maritime",
    "port logistics",
    "energy storage",
    "artificial intelligence",
    "circular economy",
    "biotechnology",
    "cultural heritage",
    "urban mobility",
    "water management",
    "textiles",
    "photonics",
    "automotive",
    "smart cities",
    "aerospace",
    "robotics",
    "sustainable tourism",
    "wine and viticulture",
    "green steel",
]
SKILLS = [
    "negotiation",
    "pitching to investors",
    "active listening",
    "writing for non-specialists",
    "project management",
    "intellectual property basics",
    "handling conflict",
    "networking",
    "design thinking",
    "presenting results",
    "pricing research services",
    "customer discovery interviews",
    "intercultural teamwork",
]
MENTORS = [
    "industry engineers",
    "serial founders",
    "retired R&D managers",
    "business angels",
    "senior transfer officers",
]
KINDS = [
    "Technology Transfer Centre",
    "University of Applied Sciences",
    "Science and Technology Park",
    "Regional Development Agency",
    "Chamber of Commerce",
    "Innovation Cluster",
    "Research Institute",
    "Academic Business Incubator",
]
FIRST = ["Anna", "Jan", "Sofia", "Marco", "Eva", "Tomás", "Lina", "Pieter", "Ioana", "Rūta"]
LAST = ["Nowak", "Jansen", "Ferrari", "Silva", "Kazlauskas", "Popescu", "Wójcik", "Bakker"]

TITLES = [
    "{Format} for {audience} in {sector}",
    "{city} {format}: {audience} meet {sector} companies",
    "{Format} on {skill} for {audience}",
    "From lab to market: a {format} for {sector}",
    "{Sector} {format} with regional SMEs",
    "{Format} pairing {audience} with {mentors}",
]
DESCRIPTION = [
    "The {format} brings {audience} together with companies from the {sector} sector in "
    "and around {city}.",
    "Participants work in mixed teams on questions that firms bring in, with a coach who has "
    "worked on both sides of university-industry cooperation.",
    "Each edition starts with a short training on {skill} and ends with a public "
    "presentation of the results to company representatives.",
    "The {org} runs it with the regional {sector} cluster, which recruits the companies and "
    "hosts half of the meetings.",
    "Before the start, {audience} follow a half-day session on {skill2}.",
    "Meetings alternate between the laboratory and the company site, so both sides see how "
    "the other works and what it needs.",
    "A coordinator follows every contact until it leads to an agreement or is closed, and "
    "reports to the steering group every quarter.",
    "The format was adapted after the first year: shorter sessions, more time for "
    "one-to-one meetings and a clearer selection of company questions.",
    "Mentoring by experienced {mentors} is offered to every participant for the duration "
    "of the programme.",
    "Knowledge transfer is measured from the first contact: requests, offers, contracts and "
    "the income they bring.",
    "Companies pay a small fee, which proved to increase their commitment rather than reduce "
    "participation.",
    "Researchers learn to describe their infrastructure in terms of the problems it solves "
    "for a {sector} company rather than in terms of instruments.",
    "Open innovation challenges published by larger firms give the teams real deadlines and "
    "real clients.",
    "Intellectual property is settled in a one-page agreement before the first meeting, so "
    "that discussions can be open.",
    "Selection is done by a jury of two researchers and two company representatives, who look "
    "at motivation more than at track record.",
    "The programme is financed from the regional innovation strategy and from fees paid by "
    "the larger companies.",
    "Every participant writes a short reflection after each session; the coordinator uses "
    "them to adjust the next one.",
    "A kick-off weekend in {city} lets participants get to know each other before the real "
    "work starts.",
    "Alumni of earlier editions act as buddies for newcomers and join the final event as guests.",
    "The laboratory opens its equipment for demonstrations, and technicians explain what each "
    "measurement can show about a product.",
    "Small companies that never worked with a university before get priority in the selection.",
    "Sessions are held in the local language, with materials in English so that partners from "
    "other regions can follow.",
    "The steering group includes the regional authority, which uses the results to design new "
    "funding calls.",
    "Teams present their results in a short pitch, followed by questions from investors and "
    "procurement managers.",
    "Online meetings replaced some site visits during the pandemic and were kept for the "
    "follow-up conversations.",
    "A shared online space holds templates for confidentiality agreements, offers and "
    "project plans.",
    "Coaching sessions focus on how researchers listen to company needs before proposing "
    "solutions.",
    "Each company names one contact person who stays with the team from the first meeting to "
    "the final report.",
    "The format draws on the experience of similar programmes in other European regions, "
    "adapted to the {sector} sector.",
    "A small budget for prototypes lets teams test an idea with real users within weeks.",
    "Participants map the regional innovation ecosystem and identify who could become a "
    "partner in the next project.",
    "Evaluation combines a survey before and after with interviews of the companies six "
    "months later.",
    "The programme is part of the university's third mission strategy and counts towards "
    "staff career assessment.",
    "Doctoral candidates can count their participation as part of their transferable skills "
    "training.",
    "Researchers and company staff swap roles for a day to understand each other's constraints.",
    "A final showcase in {city} presents the results to the regional press and to policy makers.",
]
EVIDENCE = [
    "{n1} participants in {n2} editions; {n3} agreements with companies worth EUR {money}.",
    "Satisfaction {score}/5 (n={n4}); {pct}% of participants used what they learnt within six "
    "months.",
    "Requests for services from participating firms rose from {n5} to {n6} a year.",
    "{n7} joint project proposals, {n8} of them funded; {n9} spin-offs cite the programme.",
    "Self-assessed confidence in {skill} rose from 2.{d1} to 4.{d2} on a 5-point scale.",
]
NATIVE_SUMMARY = {
    "pl": "Program łączy naukowców i firmy z regionu; uczestnicy ćwiczą negocjacje, "
    "prezentacje i wspólne planowanie projektów badawczych.",
    "nl": "Het programma verbindt onderzoekers en bedrijven uit de regio; deelnemers oefenen "
    "onderhandelen, presenteren en samen plannen.",
    "it": "Il programma mette in contatto ricercatori e imprese del territorio; i partecipanti "
    "si esercitano a negoziare, presentare e pianificare progetti comuni.",
    "pt": "O programa liga investigadores e empresas da região; os participantes praticam "
    "negociação, apresentação e planeamento conjunto de projetos.",
    "lt": "Programa sujungia regiono mokslininkus ir įmones; dalyviai mokosi derėtis, "
    "pristatyti idėjas ir kartu planuoti projektus.",
    "ro": "Programul conectează cercetătorii și firmele din regiune; participanții exersează "
    "negocierea, prezentarea și planificarea comună a proiectelor.",
}


def _setup_django(env: dict) -> None:
    import django

    os.environ.update({key: env[key] for key in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socore.settings")
    django.setup()


def _bench_owner():
    from partners.models import Partner, Region, User

    partner, _created = Partner.objects.get_or_create(
        slug=PARTNER_SLUG,
        defaults={
            "name": "Benchmark data (python -m bench.catalogue --clean removes it)",
            "short_name": "Benchmark",
            "type": Partner.Type.OTHER,
            "region": Region.objects.get(slug="slaskie"),
        },
    )
    author, created = User.objects.get_or_create(
        email=AUTHOR_EMAIL, defaults={"name": "Benchmark data", "is_active": False}
    )
    if created:
        author.set_unusable_password()
        author.save(update_fields=["password"])
    return partner, author


def _practice(rng: random.Random, regions: dict, partner, author):
    """One generated practice, not saved."""
    from practices.models import GoodPractice

    slug = rng.choices(list(REGIONS), weights=[w for w, _cities in REGIONS.values()])[0]
    region = regions[slug]
    city = rng.choice(REGIONS[slug][1])
    words = {
        "format": rng.choice(FORMATS),
        "audience": rng.choice(AUDIENCES),
        "sector": rng.choice(SECTORS),
        "skill": rng.choice(SKILLS),
        "skill2": rng.choice(SKILLS),
        "mentors": rng.choice(MENTORS),
        "city": city,
        "org": f"{city} {rng.choice(KINDS)}",
    }
    words.update({key.capitalize(): value[:1].upper() + value[1:] for key, value in words.items()})
    numbers = {
        "n1": rng.randint(12, 900),
        "n2": rng.randint(1, 9),
        "n3": rng.randint(2, 60),
        "money": f"{rng.randint(20, 4000) * 1000:,}",
        "score": f"{rng.uniform(3.4, 4.9):.1f}",
        "n4": rng.randint(20, 400),
        "pct": rng.randint(35, 92),
        "n5": rng.randint(2, 30),
        "n6": rng.randint(31, 140),
        "n7": rng.randint(2, 40),
        "n8": rng.randint(1, 12),
        "n9": rng.randint(0, 6),
        "d1": rng.randint(0, 9),
        "d2": rng.randint(0, 9),
    }

    def fill(template: str) -> str:
        return template.format(**words, **numbers)

    start = datetime.date(rng.randint(2015, 2026), rng.randint(1, 12), rng.randint(1, 28))
    if start > datetime.date.today():
        start = datetime.date.today() - datetime.timedelta(days=rng.randint(1, 200))
    ongoing = rng.random() < 0.6
    end = None if ongoing else start + datetime.timedelta(days=rng.randint(30, 1500))
    language = LANGUAGE_OF[region.country] if rng.random() < 0.25 else "en"
    summary_en = fill(
        "A {format} in {city} that helps {audience} cooperate with {sector} companies, "
        "with a focus on {skill}."
    )
    first, last = rng.choice(FIRST), rng.choice(LAST)
    return GoodPractice(
        partner=partner,
        created_by=author,
        status="draft",
        title=fill(rng.choice(TITLES))[:100],
        summary=NATIVE_SUMMARY[language] if language != "en" else summary_en,
        summary_en=summary_en if language != "en" else "",
        description=" ".join(fill(t) for t in rng.sample(DESCRIPTION, rng.randint(4, 7))),
        language=language,
        region=region,
        city=city,
        organisation=words["org"],
        start_date=start,
        end_date=end,
        is_ongoing=ongoing,
        resources=fill(
            "A coordinator at 0.{d1} FTE and about EUR {money} a year; "
            "{n2} trainers and the time of the {audience}."
        ),
        evidence=" ".join(fill(t) for t in rng.sample(EVIDENCE, rng.randint(2, 4))),
        transferability=fill(
            "Transferable to any region with a {sector} cluster and a university; "
            "the training on {skill} is the part others can adopt at once."
        ),
        lessons=fill(
            "The first edition was too long; {audience} asked for shorter sessions and more "
            "contact with companies. Agree intellectual property early."
        ),
        further_information=f"https://www.example.org/bench/{rng.getrandbits(40):x}",
        contact_name=f"{first} {last}",
        contact_email=f"{first.lower()}.{last.lower()}@example.org",
    )


def populate(count: int) -> int:
    """Add generated published practices until there are `count`; return how many were added."""
    from django.db import connection, transaction
    from django.db.models.expressions import RawSQL

    from partners.models import Region
    from practices.models import GoodPractice, Status, TargetGroup, Theme
    from surveys.models import Competence, Framework

    partner, author = _bench_owner()
    missing = count - GoodPractice.objects.filter(partner=partner).count()
    if missing <= 0:
        return 0
    rng = random.Random(SEED + missing)
    regions = {region.slug: region for region in Region.objects.all()}
    competence_ids = list(
        Competence.objects.filter(area__framework=Framework.objects.current()).values_list(
            "pk", flat=True
        )
    )
    theme_ids = list(Theme.objects.values_list("pk", flat=True))
    group_ids = list(TargetGroup.objects.values_list("pk", flat=True))
    competences = GoodPractice.competences.through
    themes = GoodPractice.themes.through
    groups = GoodPractice.target_groups.through
    with transaction.atomic():
        practices = GoodPractice.objects.bulk_create(
            [_practice(rng, regions, partner, author) for _ in range(missing)], batch_size=1000
        )
        competences.objects.bulk_create(
            [
                competences(goodpractice_id=p.pk, competence_id=c)
                for p in practices
                for c in rng.sample(competence_ids, rng.randint(1, 3))
            ],
            batch_size=5000,
        )
        themes.objects.bulk_create(
            [
                themes(goodpractice_id=p.pk, theme_id=t)
                for p in practices
                for t in rng.sample(theme_ids, rng.randint(1, 2))
            ],
            batch_size=5000,
        )
        groups.objects.bulk_create(
            [
                groups(goodpractice_id=p.pk, targetgroup_id=g)
                for p in practices
                for g in rng.sample(group_ids, rng.randint(1, 2))
            ],
            batch_size=5000,
        )
        # One UPDATE: published, a publication date after the start, the search vector.
        GoodPractice.objects.filter(partner=partner, status=Status.DRAFT).update(
            status=Status.PUBLISHED,
            published_at=RawSQL(
                "LEAST(now(), start_date + (30 + random() * 700) * interval '1 day')", []
            ),
            search_vector=GoodPractice.SEARCH_VECTOR,
        )
    # As autovacuum would leave it: no dead row versions from the UPDATE, fresh statistics.
    with connection.cursor() as cursor:
        for model in (GoodPractice, competences, themes, groups):
            cursor.execute(f"VACUUM (ANALYZE) {model._meta.db_table}")
    return missing


def clean() -> int:
    from partners.models import Partner, User
    from practices.models import GoodPractice

    deleted, _per_model = GoodPractice.objects.filter(partner__slug=PARTNER_SLUG).delete()
    Partner.objects.filter(slug=PARTNER_SLUG).delete()
    User.objects.filter(email=AUTHOR_EMAIL).delete()
    return deleted


def catalogue_facts() -> dict[str, tuple[int, int]]:
    """Per page: the practices it finds and the SQL queries it makes (in-process)."""
    from django.db import connection
    from django.http import QueryDict
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from practices import search

    client = Client(headers={"x-forwarded-proto": "https"}, SERVER_NAME="localhost")
    facts = {}
    for page in PAGES:
        client.get(page, secure=True)  # warm the connection and the caches
        with CaptureQueriesContext(connection) as context:
            response = client.get(page, secure=True)
        assert response.status_code == 200, (page, response.status_code)
        form = search.SearchForm(QueryDict(page.partition("?")[2]))
        form.is_valid()
        found = search.search(form.cleaned_data).practices.count()
        facts[page] = (found, len(context.captured_queries))
    return facts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clean", action="store_true", help="Remove the generated practices.")
    args = parser.parse_args()

    env = production_env()
    manage(env, "migrate", "--noinput", "-v0")
    _setup_django(env)
    if args.clean:
        print(f"Removed {clean()} rows of generated practices.")
        return 0
    started = time.perf_counter()
    added = populate(COUNT)
    if added:
        print(f"Added {added} published practices in {time.perf_counter() - started:.1f} s.")
    manage(env, "collectstatic", "--noinput", "-v0")
    facts = catalogue_facts()
    with gunicorn(env) as base:
        print(
            f"catalogue over {COUNT} generated practices; {gunicorn_settings()}, "
            f"{CONCURRENCY} concurrent clients, {REQUESTS} requests a page"
        )
        print(f"{'page':<62}{'found':>7}{'req/s':>7}{'p50 ms':>8}{'p95 ms':>8}{'queries':>8}")
        for page in PAGES:
            rate, p50, p95 = measure(base + page)
            found, queries = facts[page]
            print(f"{page:<62}{found:>7}{rate:>7.0f}{p50:>8.1f}{p95:>8.1f}{queries:>8}")
    print("The generated practices stay for the next run: python -m bench.catalogue --clean")
    return 0


if __name__ == "__main__":
    sys.exit(main())
