"""The catalogue of the benchmark: how its practices are written, and its search.

`_practice` writes one plausible practice (title, summary, description, evidence … from
the word lists below, in the region's language for a quarter of them); bench.dataset makes
the data set's 10,000 practices with it. `search_path` is the search bench.run measures:
two words and two facets, as a visitor narrows the catalogue down to a region and a theme.
"""

import datetime
import random

SEARCH_WORDS = "mentoring companies"
SEARCH_THEME = "entrepreneurship"

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


def search_path() -> str:
    """The catalogue searched for two words that its practices use, in the data set's
    largest region and one theme (practices/search.py: q, region, theme)."""
    from django.http import QueryDict

    from bench import dataset

    query = QueryDict(mutable=True)
    query.update({"q": SEARCH_WORDS, "region": dataset.LARGEST, "theme": SEARCH_THEME})
    return f"/practices/?{query.urlencode()}"


def found(path: str) -> int:
    """How many practices the catalogue page `path` finds."""
    from django.http import QueryDict

    from practices import search

    form = search.SearchForm(QueryDict(path.partition("?")[2]))
    if not form.is_valid():
        raise ValueError(f"{path}: {form.errors.as_text()}")
    return search.search(form.cleaned_data).practices.count()
