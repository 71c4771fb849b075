"""Demo good practices for `manage.py seed_demo`, in every state of the review workflow.

Written by us: plausible initiatives of the consortium's regions (Śląskie, Utrecht, Liguria)
that build the soft and social competences research and innovation staff need to work with
companies. Every state is reached through the real transition methods, so each practice has
the review trail (steps, rubric scores, comments) a real one would have; the dates are then
moved back so the catalogue looks lived-in (published between 2025 and 2026).

Idempotent: a practice whose title already exists is skipped.
"""

import datetime
import logging
from contextlib import contextmanager

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from partners.models import Partner, Region, User
from surveys.models import Competence, Framework

from .models import GoodPractice, Status, TargetGroup, Theme

# The Ligurian partner has no demo account in partners.demo; its practices need an author.
LIGURIA_STAFF = "staff.it@example.org"  # created with the other demo accounts

CONSORTIUM_COORDINATOR = "coordinator@example.org"
REGIONAL_COORDINATORS = {"slaskie": "coordinator.pl@example.org"}


def _t(text: str) -> str:
    """Paragraphs separated by blank lines, each folded onto one line."""
    paragraphs = [" ".join(block.split()) for block in text.strip().split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p)


def _d(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value)


# Final state and the path that leads to it, as a list of actions.
PATHS = {
    Status.DRAFT: [],
    Status.SUBMITTED: ["submit"],
    Status.CHANGES_REQUESTED: ["submit", "request_changes"],
    Status.APPROVED: ["submit", "approve"],
    Status.PUBLISHED: ["submit", "approve", "publish"],
    Status.DECLINED: ["submit", "decline"],
    Status.ARCHIVED: ["submit", "approve", "publish", "archive"],
}
# Practices that were sent back once before going further.
REVISED = ["submit", "request_changes", "resubmit"]

RUBRIC_COMMENTS = {
    "evidence": {
        5: "Outcomes tracked over several editions, with before/after figures.",
        4: "Solid figures on participation and results; follow-up after a year would help.",
        3: "Mostly activity counts; outcomes for the participants are thin.",
        2: "Few figures, and they describe effort rather than results.",
    },
    "transferability": {
        5: "Low cost, clear recipe: any region with a university could start tomorrow.",
        4: "Transferable with a committed host organisation and modest funding.",
        3: "Depends on a regional fund or network that others may not have.",
        2: "Tied to local circumstances; the transferable core is not yet clear.",
    },
    "relevance": {
        5: "Goes straight to the soft competences SOCORE is about.",
        4: "Clearly relevant to cooperation between RII staff and companies.",
        3: "Relevant, although the competence gains are implicit.",
        2: "Only loosely connected to the competences of RII staff.",
    },
}


def _rubric(scores: tuple[int, int, int]) -> dict:
    rubric = {}
    for criterion, score in zip(("evidence", "transferability", "relevance"), scores, strict=True):
        rubric[f"{criterion}_score"] = score
        rubric[f"{criterion}_comment"] = RUBRIC_COMMENTS[criterion][max(2, score)]
    return rubric


PRACTICES = [
    # Śląskie ----------------------------------------------------------------------------
    {
        "title": "Lab-to-Industry Mentoring: laboratory technicians paired with industry engineers",
        "region": "slaskie",
        "partner": "us",
        "author": "staff.pl@example.org",
        "city": "Katowice",
        "organisation": "University of Silesia in Katowice, Centre for Technology Transfer",
        "start": "2021-10-01",
        "end": None,
        "summary": """
            A twelve-month mentoring scheme that pairs university laboratory technicians with
            engineers from regional manufacturers. Pairs meet monthly, visit each other's
            workplaces and solve one real measurement problem together.
        """,
        "description": """
            Laboratory technicians run the instruments companies most often need, yet they
            rarely talk to clients: requests reach them through researchers or the transfer
            office. The scheme gives them a mentor on the other side of the table.

            Each autumn the Centre recruits 15 technicians and 15 engineers from manufacturing
            firms in the Katowice area. Pairs are matched on equipment and sector after a short
            interview. They agree a learning contract, meet at least once a month (alternating
            between the lab and the factory) and choose one concrete problem, such as a failing
            quality test or a new material to characterise, to work on together.

            Three group sessions run alongside: client conversations, writing a service offer,
            and pricing laboratory time. The year closes with a short public presentation of
            each pair's problem and result.
        """,
        "resources": """
            A coordinator at 0.3 FTE, a budget of about PLN 60,000 a year for group sessions,
            travel and the closing event, and roughly 4 hours a month from each mentor and
            mentee. Companies contribute their engineers' time.
        """,
        "evidence": """
            Four cohorts, 58 pairs in total, 52 completed (90%). Requests for laboratory
            services from participating companies rose from 11 in the year before the scheme
            to 37 in 2024. Technicians' self-assessed confidence in talking to clients rose
            from 2.4 to 4.1 on a 5-point scale (survey before and after, n=52). Nine paid
            service contracts worth PLN 410,000 and two joint project applications came
            directly out of pairs' work.
        """,
        "transferability": """
            Needs a university with shared research infrastructure and a handful of
            manufacturing firms willing to lend engineers for a few hours a month. The
            learning contract template and the session plans are available in English.
        """,
        "lessons": """
            Matching on equipment matters more than matching on sector. The first cohort
            met only in the lab; visits to the factory turned out to be where technicians
            learnt most, so they are now compulsory. Some line managers saw the scheme as
            time lost: a short letter from the vice-rector to heads of department helped.
        """,
        "further_information": "https://www.example.org/socore/lab-to-industry-mentoring",
        "contact": ("Marta Zielińska", "marta.zielinska@example.org"),
        "competences": ["5.2", "1.1", "2.1"],
        "themes": ["mentoring-and-coaching", "science-business-cooperation"],
        "target_groups": ["technicians-and-lab-staff", "smes-and-companies"],
        "state": Status.PUBLISHED,
        "when": "2025-02-11",
        "scores": (5, 4, 5),
    },
    {
        "title": "Negotiation Bootcamp for Technology Transfer Officers",
        "region": "slaskie",
        "partner": "us",
        "author": "staff.pl@example.org",
        "city": "Katowice",
        "organisation": "University of Silesia in Katowice, Centre for Technology Transfer",
        "start": "2022-03-01",
        "end": None,
        "summary": """
            A three-day intensive course in which technology transfer officers rehearse
            licence and research-contract negotiations with experienced business negotiators
            playing the company side.
        """,
        "description": """
            Transfer officers know the legal side of a licence well but often concede too early
            on price, exclusivity or publication rights. The bootcamp trains the conversation,
            not the contract.

            Day one covers preparation: interests behind positions, the walk-away point and the
            value of a technology for the buyer. Days two and three are simulations based on
            anonymised real cases from the region (a sensor licence, a contract research
            agreement with a mining equipment firm, an option on a pharmaceutical compound).
            Two negotiators from industry play the company; every round is filmed and debriefed.

            Participants leave with a one-page negotiation plan for a case of their own, which
            a coach reviews with them a month later.
        """,
        "resources": """
            Two trainers for three days, two business negotiators as role players, a room with
            video equipment. About PLN 3,500 per participant; groups of 12.
        """,
        "evidence": """
            Six editions, 68 participants from 14 universities and institutes. In a follow-up
            six months later, 71% reported using the preparation sheet in real negotiations.
            The Centre's own licence income rose from PLN 0.9 million (2021) to PLN 1.6 million
            (2024); average time from first meeting to signed licence fell from 9 to 6 months.
        """,
        "transferability": """
            Any region with more than a few transfer offices can run it. The hard part is
            finding credible role players: retired business development managers worked best.
        """,
        "lessons": """
            Generic negotiation courses did not stick; real regional cases did. Participants
            from the same office should not negotiate against each other in role plays.
        """,
        "further_information": "https://www.example.org/socore/negotiation-bootcamp",
        "contact": ("Marta Zielińska", "marta.zielinska@example.org"),
        "competences": ["2.3", "3.3", "3.2"],
        "themes": ["training-and-skills", "knowledge-transfer"],
        "target_groups": ["technology-transfer-staff"],
        "state": Status.PUBLISHED,
        "when": "2025-03-20",
        "scores": (4, 5, 5),
        "revised": True,
    },
    {
        "title": "Silesian Science-to-Business Pitching Day",
        "region": "slaskie",
        "partner": "us",
        "author": "staff.pl@example.org",
        "city": "Katowice",
        "organisation": "University of Silesia in Katowice",
        "start": "2019-05-15",
        "end": None,
        "summary": """
            Once a year, 20 research teams pitch a technology or service in five minutes to an
            audience of company representatives, after two coaching sessions on pitching to
            business rather than to reviewers.
        """,
        "description": """
            Researchers are trained to convince grant reviewers, not production managers. The
            pitching day reverses the audience: the jury and the room are companies, and the
            question is "what does this do for me, and when?"

            Teams apply with a one-page description. Twenty are selected and coached twice:
            once on structure (problem, solution, proof, next step) and once in a rehearsal
            with a business angel. On the day, each team has five minutes and five minutes of
            questions. After lunch, companies book 20-minute one-to-one meetings with the teams
            through a simple matchmaking tool.
        """,
        "resources": """
            A project manager for three months, two pitch coaches, a venue for 200 people and
            the matchmaking tool; about PLN 90,000 per edition, half of it sponsored.
        """,
        "evidence": """
            Six editions (2019-2025, none in 2020), 117 teams pitched, 1,140 company visitors.
            412 one-to-one meetings were booked; 46 led to a signed agreement within a year
            (non-disclosure, service or research contract), and 3 spin-offs cite the day as
            their first investor contact. 88% of pitching researchers rated the coaching
            "useful" or "very useful".
        """,
        "transferability": """
            Easy to copy: the format is simple and sponsors are easy to find once the first
            edition has run. The matchmaking afternoon is what makes it more than a show.
        """,
        "lessons": """
            Early editions let researchers pitch for ten minutes; five is better. Without the
            afternoon meetings, contacts evaporated: booking them on the spot is essential.
        """,
        "further_information": "https://www.example.org/socore/pitching-day",
        "contact": ("Marta Zielińska", "marta.zielinska@example.org"),
        "competences": ["1.2", "3.1"],
        "themes": ["science-business-cooperation", "networking-and-matchmaking"],
        "target_groups": ["researchers", "doctoral-candidates", "smes-and-companies"],
        "state": Status.PUBLISHED,
        "when": "2025-05-06",
        "scores": (4, 5, 4),
    },
    {
        "title": "Klinika własności intelektualnej dla naukowców i MŚP ze Śląska",
        "region": "slaskie",
        "partner": "us",
        "author": "staff.pl@example.org",
        "language": "pl",
        "city": "Katowice",
        "organisation": "Uniwersytet Śląski w Katowicach, Centrum Transferu Technologii",
        "start": "2022-10-03",
        "end": None,
        "summary": """
            Bezpłatne, cotygodniowe konsultacje z zakresu ochrony własności intelektualnej dla
            naukowców i małych firm. Rzecznik patentowy i pracownik transferu technologii
            wspólnie odpowiadają na pytania o patenty, licencje i publikowanie wyników.
        """,
        "summary_en": """
            Free weekly intellectual property consultations for researchers and small firms
            in Silesia. A patent attorney and a technology transfer officer answer questions
            together, so researchers learn to discuss IP in business terms.
        """,
        "description": """
            Naukowcy często nie wiedzą, czy ich wynik nadaje się do ochrony, a małe firmy boją
            się kosztów rozmowy z rzecznikiem patentowym. Klinika działa w każdy czwartek po
            południu, stacjonarnie i online.

            Każda konsultacja trwa 45 minut. Rzecznik patentowy ocenia sytuację prawną,
            a pracownik Centrum Transferu Technologii tłumaczy, co z niej wynika dla współpracy
            z firmą: czy podpisać umowę o zachowaniu poufności, kiedy można publikować, jak
            przygotować się do rozmowy licencyjnej. Raz w miesiącu odbywa się warsztat
            tematyczny, np. o badaniu stanu techniki.
        """,
        "resources": """
            Rzecznik patentowy na umowę zlecenie (4 godziny tygodniowo), pracownik CTT
            (0,2 etatu), sala i licencja na narzędzie do wideokonferencji. Około 48 000 zł
            rocznie.
        """,
        "evidence": """
            W latach 2022-2025 odbyło się 316 konsultacji (61% dla naukowców, 39% dla MŚP).
            Złożono 23 zgłoszenia patentowe, które rozpoczęły się od wizyty w klinice,
            i zawarto 7 umów licencyjnych. Liczba publikacji wstrzymanych do czasu zgłoszenia
            patentowego wzrosła z 2 do 14 rocznie. Średnia ocena konsultacji: 4,7/5 (n=208).
        """,
        "transferability": """
            Model łatwy do przeniesienia do każdej uczelni z biurem transferu technologii.
            Kluczowe jest połączenie wiedzy prawnej i biznesowej w jednej rozmowie.
        """,
        "lessons": """
            Na początku przychodzili niemal wyłącznie naukowcy; firmy dotarły dopiero dzięki
            współpracy z izbą gospodarczą. Konsultacje online okazały się równie skuteczne
            jak stacjonarne.
        """,
        "further_information": "https://www.example.org/socore/klinika-ip",
        "contact": ("Marta Zielińska", "marta.zielinska@example.org"),
        "competences": ["3.3", "1.4"],
        "themes": ["intellectual-property", "knowledge-transfer"],
        "target_groups": ["researchers", "smes-and-companies"],
        "state": Status.PUBLISHED,
        "when": "2025-06-24",
        "scores": (5, 4, 4),
    },
    {
        "title": "Śląski Bon na Innowacje: vouchery badawcze dla mikro i małych firm",
        "region": "slaskie",
        "partner": "province-of-silesia",
        "author": "coordinator.pl@example.org",
        "language": "pl",
        "city": "Katowice",
        "organisation": "Urząd Marszałkowski Województwa Śląskiego, Departament Gospodarki",
        "start": "2018-01-15",
        "end": None,
        "summary": """
            Województwo śląskie finansuje mikro i małym firmom do 40 000 zł na pierwszą usługę
            badawczą w regionalnej uczelni lub instytucie. Warunkiem jest wspólne spotkanie
            przygotowawcze firmy z zespołem naukowym przed złożeniem wniosku.
        """,
        "summary_en": """
            The Silesian Voucher for Innovation pays micro and small firms up to PLN 40,000
            for their first research service at a regional university or institute. A joint
            preparatory meeting between the firm and the research team is compulsory, which
            trains both sides to define a problem together.
        """,
        "description": """
            Bon ma obniżyć barierę pierwszego kontaktu firmy z nauką. Firma wybiera jednostkę
            z regionalnego katalogu usług badawczych, a przed złożeniem wniosku odbywa
            z zespołem spotkanie przygotowawcze, prowadzone według krótkiego scenariusza:
            problem firmy, możliwe podejścia, harmonogram i cena.

            Wnioski są rozpatrywane w trybie ciągłym w ciągu 30 dni. Po zakończeniu usługi
            obie strony wypełniają krótką ankietę, a najlepsze pary są zapraszane na
            regionalne spotkanie sieciujące.
        """,
        "resources": """
            Budżet około 4 mln zł rocznie z regionalnego programu operacyjnego, zespół trzech
            osób w urzędzie, regionalny katalog usług badawczych prowadzony z uczelniami.
        """,
        "evidence": """
            W latach 2018-2024 przyznano 612 bonów; 71% firm realizowało pierwszą w historii
            usługę z jednostką naukową. 38% firm zamówiło w ciągu dwóch lat kolejną usługę,
            już bez dofinansowania. Średni czas od spotkania przygotowawczego do podpisania
            umowy skrócił się z 47 do 19 dni.
        """,
        "transferability": """
            Wymaga źródła finansowania (np. fundusze regionalne) i katalogu usług. Elementem
            łatwym do przeniesienia bez budżetu jest scenariusz spotkania przygotowawczego.
        """,
        "lessons": """
            Bez obowiązkowego spotkania przygotowawczego część usług nie odpowiadała potrzebom
            firm. Zbyt szczegółowy wniosek zniechęcał mikrofirmy; uproszczono go do dwóch stron.
        """,
        "further_information": "https://www.example.org/socore/bon-na-innowacje",
        "contact": ("Piotr Kowalski", "piotr.kowalski@example.org"),
        "competences": ["3.2", "5.4"],
        "themes": ["regional-policy", "science-business-cooperation"],
        "target_groups": ["smes-and-companies", "policy-makers"],
        "state": Status.PUBLISHED,
        "when": "2025-01-22",
        "scores": (5, 3, 4),
    },
    {
        "title": "Doctoral Industry Secondments in the Silesian Hydrogen Valley",
        "region": "slaskie",
        "partner": "us",
        "author": "staff.pl@example.org",
        "city": "Gliwice",
        "organisation": "University of Silesia in Katowice, Doctoral School",
        "start": "2023-02-01",
        "end": None,
        "summary": """
            Doctoral candidates spend three to six months in a company of the Silesian Hydrogen
            Valley, working on a question the company defines, with a company tutor and a
            short course on working in cross-sector teams beforehand.
        """,
        "description": """
            The region's coal-to-hydrogen transition needs people who understand both research
            and industrial constraints. The secondment places doctoral candidates in companies
            of the Hydrogen Valley cluster: electrolyser makers, gas network operators, chemical
            plants.

            Companies post a question; candidates apply with a one-page proposal. Before they
            start, candidates follow a two-day course on project work in companies (deadlines,
            confidentiality, reporting to managers). During the secondment they report monthly
            to both supervisors. Results are presented at the cluster's annual meeting.
        """,
        "resources": """
            Stipend top-up of PLN 2,000 a month paid by the company, a coordinator at 0.2 FTE,
            the two-day course (about PLN 15,000 a year).
        """,
        "evidence": """
            31 secondments in three years with 12 companies. 8 led to a joint publication or
            patent application, 5 to a follow-up contract research project (PLN 1.9 million in
            total), and 6 of 14 graduates took jobs in cluster companies. Company tutors rated
            the candidates' readiness for teamwork 4.3/5 on average.
        """,
        "transferability": """
            Works wherever a strong industrial cluster sits near a doctoral school. The
            preparatory course is the element other regions can adopt at once.
        """,
        "lessons": """
            Three-month secondments were too short for lab-heavy questions; six months is now
            the default. Confidentiality must be settled before the start, not during.
        """,
        "further_information": "https://www.example.org/socore/hydrogen-secondments",
        "contact": ("Marta Zielińska", "marta.zielinska@example.org"),
        "competences": ["2.1", "4.1", "3.2"],
        "themes": ["science-business-cooperation", "training-and-skills"],
        "target_groups": ["doctoral-candidates", "smes-and-companies"],
        "state": Status.PUBLISHED,
        "when": "2025-09-16",
        "scores": (4, 4, 4),
    },
    {
        "title": "Writing for Business: plain-language service offers for university laboratories",
        "region": "slaskie",
        "partner": "us",
        "author": "staff.pl@example.org",
        "city": "Katowice",
        "organisation": "University of Silesia in Katowice, Centre for Technology Transfer",
        "start": "2024-01-08",
        "end": "2024-12-20",
        "summary": """
            A writing workshop series in which laboratory heads rewrote their service offers
            for company readers, tested them with real buyers and published them in the
            university's online service catalogue.
        """,
        "description": """
            The university's service catalogue was written in the language of grant reports:
            equipment names, no prices, no turnaround times. Companies did not find what they
            needed.

            Over four half-day workshops, 24 laboratory teams rewrote their offers around
            questions a buyer asks: what problem do you solve, what will I receive, how long
            does it take and what does it cost. Each draft was read aloud to two procurement
            managers from regional firms, who marked every sentence they did not understand.
        """,
        "resources": """
            A writing trainer for four half-days, two company readers, a web editor for two
            months to publish the new pages. About PLN 35,000.
        """,
        "evidence": """
            24 offers rewritten; average reading grade fell from 17 to 11 (Jasnopis index).
            Visits to the catalogue rose by 64% and enquiries through its contact form from
            5 to 19 a month in the six months after publication.
        """,
        "transferability": """
            Cheap and quick to copy; the company readers are the key ingredient.
        """,
        "lessons": """
            Laboratory heads resisted giving prices; publishing price ranges was an
            acceptable compromise.
        """,
        "further_information": "https://www.example.org/socore/writing-for-business",
        "contact": ("Marta Zielińska", "marta.zielinska@example.org"),
        "competences": ["1.4", "1.1"],
        "themes": ["communication-and-outreach", "science-business-cooperation"],
        "target_groups": ["researchers", "technicians-and-lab-staff"],
        "state": Status.PUBLISHED,
        "when": "2026-02-03",
        "scores": (4, 5, 4),
    },
    {
        "title": "Akademia Menedżera Innowacji Województwa Śląskiego",
        "region": "slaskie",
        "partner": "province-of-silesia",
        "author": "coordinator.pl@example.org",
        "language": "pl",
        "city": "Katowice",
        "organisation": "Urząd Marszałkowski Województwa Śląskiego",
        "start": "2024-09-01",
        "end": None,
        "summary": """
            Dziewięciomiesięczny program rozwojowy dla menedżerów infrastruktury badawczej
            i parków technologicznych: zarządzanie projektami z partnerami zewnętrznymi,
            motywowanie zespołów i myślenie strategiczne.
        """,
        "summary_en": """
            A nine-month development programme for managers of research infrastructures and
            technology parks in Silesia: managing projects with external partners, motivating
            teams and strategic thinking, with peer coaching between sessions.
        """,
        "description": """
            Program łączy sześć dwudniowych zjazdów z coachingiem koleżeńskim w trójkach.
            Każdy uczestnik prowadzi w trakcie programu projekt zmiany we własnej instytucji,
            np. nowy model cennika usług albo program współpracy z klastrem. Zjazdy prowadzą
            trenerzy i praktycy z firm oraz z innych regionów partnerskich.
        """,
        "resources": """
            Około 240 000 zł na edycję dla 20 osób, koordynator w urzędzie (0,5 etatu),
            sale udostępniane przez uczelnie.
        """,
        "evidence": """
            Pierwsza edycja: 20 uczestników z 14 instytucji, 19 ukończyło program. 15 projektów
            zmiany wdrożono w ciągu roku; w 9 instytucjach wzrosła liczba umów z firmami
            (łącznie z 84 do 131 rocznie).
        """,
        "transferability": """
            Wymaga zaangażowania władz regionalnych i budżetu; projekt zmiany w instytucji
            jest elementem, który warto przenieść niezależnie od skali programu.
        """,
        "lessons": """
            Uczestnicy najwyżej ocenili coaching w trójkach. Zjazdy w piątki i soboty
            ograniczyły nieobecności.
        """,
        "further_information": "https://www.example.org/socore/akademia-menedzera",
        "contact": ("Piotr Kowalski", "piotr.kowalski@example.org"),
        "competences": ["5.4", "5.1", "6.4"],
        "themes": ["training-and-skills", "regional-policy"],
        "target_groups": ["rii-managers", "policy-makers"],
        "state": Status.APPROVED,
        "when": "2026-11-12",
        "scores": (4, 3, 5),
    },
    {
        "title": "Open Lab Days at the Silesian Centre for Advanced Materials",
        "region": "slaskie",
        "partner": "us",
        "author": "staff.pl@example.org",
        "city": "Chorzów",
        "organisation": "University of Silesia in Katowice, Institute of Materials Engineering",
        "start": "2023-04-17",
        "end": None,
        "summary": """
            Twice a year the institute opens its laboratories to companies for a day of
            hands-on demonstrations, where technicians, not professors, explain what each
            instrument can do for a product.
        """,
        "description": """
            Visitors choose three 40-minute stations out of twelve (electron microscopy,
            corrosion testing, additive manufacturing and others). Technicians run the stations
            after a half-day preparation on explaining measurements to non-specialists. Each
            visitor leaves with a one-page summary of what was measured on their own sample.
        """,
        "resources": """
            Twelve technicians for a day and a half each, sample preparation materials,
            catering; about PLN 20,000 per edition.
        """,
        "evidence": """
            Five editions, 286 company visitors from 171 firms. 63 sample analyses were ordered
            within three months of an Open Lab Day (PLN 540,000 in total).
        """,
        "transferability": """
            Any institute with shared equipment can run it; it gives technicians a visible
            role with clients.
        """,
        "lessons": """
            Bringing one's own sample is what turns a visit into an order.
        """,
        "further_information": "https://www.example.org/socore/open-lab-days",
        "contact": ("Marta Zielińska", "marta.zielinska@example.org"),
        "competences": ["1.1", "3.1"],
        "themes": ["communication-and-outreach", "science-business-cooperation"],
        "target_groups": ["technicians-and-lab-staff", "smes-and-companies"],
        "state": Status.SUBMITTED,
        "when": "2026-11-18",
    },
    {
        "title": "Conflict Clinic for joint R&D project teams",
        "region": "slaskie",
        "partner": "us",
        "author": "staff.pl@example.org",
        "city": "Katowice",
        "organisation": "University of Silesia in Katowice, Research Projects Office",
        "start": "2023-06-01",
        "end": None,
        "summary": """
            A confidential mediation service for university-company project teams whose
            cooperation has stalled, with two facilitated sessions and a written agreement on
            how to continue.
        """,
        "description": """
            Joint projects fail less often on technology than on expectations: deadlines,
            authorship, who talks to the funder. The clinic offers two facilitated sessions
            with a trained mediator from the Research Projects Office and a short written
            agreement at the end. Project leaders can also book a one-hour preventive session
            at the start of a project.
        """,
        "resources": """
            Two staff members trained as mediators (40 hours of training each), about 10% of
            their time.
        """,
        "evidence": """
            14 mediations in two years; 11 projects continued to completion. 22 preventive
            sessions held.
        """,
        "transferability": """
            Needs staff with mediation training and the trust of researchers.
        """,
        "lessons": """
            Teams come too late; preventive sessions at kick-off are the better investment.
        """,
        "further_information": "https://www.example.org/socore/conflict-clinic",
        "contact": ("Marta Zielińska", "marta.zielinska@example.org"),
        "competences": ["2.4", "1.3"],
        "themes": ["science-business-cooperation"],
        "target_groups": ["researchers", "rii-managers"],
        "state": Status.CHANGES_REQUESTED,
        "when": "2026-10-28",
        "comment": (
            "Promising, but the evidence needs more than counts: how did the 11 projects end, "
            "and what did participants say? Please also describe how confidentiality is kept."
        ),
    },
    {
        "title": "Spin-off Readiness Circles for early-career researchers",
        "region": "slaskie",
        "partner": "us",
        "author": "staff.pl@example.org",
        "city": "Katowice",
        "organisation": "University of Silesia in Katowice, Academic Business Incubator",
        "start": "2025-10-01",
        "end": None,
        "summary": """
            Small peer groups of early-career researchers who meet every two weeks to test a
            spin-off idea against customer interviews, with a founder from the region as host.
        """,
        "description": """
            Each circle has six researchers and one host founder. Over ten meetings, members
            interview at least ten potential customers each and report back what they learnt.
            The incubator provides the interview guide and a small budget for travel.
        """,
        "resources": """
            Host founders are volunteers; the incubator covers travel (PLN 500 per person)
            and a coordinator at 0.1 FTE.
        """,
        "evidence": """
            First edition running: 3 circles, 18 researchers, 140 customer interviews so far.
        """,
        "transferability": """
            Low cost; needs a pool of founders willing to host.
        """,
        "lessons": """
            To be completed after the first edition ends.
        """,
        "further_information": "https://www.example.org/socore/readiness-circles",
        "contact": ("Marta Zielińska", "marta.zielinska@example.org"),
        "competences": ["3.1", "4.4"],
        "themes": ["entrepreneurship", "mentoring-and-coaching"],
        "target_groups": ["researchers", "doctoral-candidates"],
        "state": Status.DRAFT,
        "when": "2026-11-20",
    },
    {
        "title": "Entrepreneurial Discovery Workshops for the Śląskie Smart Specialisations",
        "region": "slaskie",
        "partner": "province-of-silesia",
        "author": "coordinator.pl@example.org",
        "city": "Katowice",
        "organisation": "Marshal's Office of the Silesian Voivodeship, Regional Innovation Unit",
        "start": "2019-03-01",
        "end": "2023-12-31",
        "summary": """
            Facilitated workshops in which companies, researchers and regional officials
            jointly revised the region's smart specialisation priorities and wrote the calls
            that fund them.
        """,
        "description": """
            For each of the region's specialisations (energy, medicine, ICT, green economy),
            the Regional Innovation Unit ran three workshops a year. A neutral facilitator
            used the same method throughout: trend mapping, problem selection, and drafting
            call criteria in mixed tables. Researchers and company staff sat at every table.
        """,
        "resources": """
            Two facilitators, a workshop budget of PLN 150,000 a year, and staff time of the
            Regional Innovation Unit.
        """,
        "evidence": """
            38 workshops with 1,020 participants (44% from companies). 17 call criteria were
            rewritten from workshop proposals; calls based on them attracted 2.3 times more
            joint university-company applications than earlier calls.
        """,
        "transferability": """
            The method is documented and used by two other Polish regions.
        """,
        "lessons": """
            Officials must attend in person; workshops they only received minutes of had
            little effect on the calls.
        """,
        "further_information": "https://www.example.org/socore/edp-slaskie",
        "contact": ("Piotr Kowalski", "piotr.kowalski@example.org"),
        "competences": ["6.4", "2.2"],
        "themes": ["regional-policy", "open-innovation"],
        "target_groups": ["policy-makers", "smes-and-companies", "researchers"],
        "state": Status.ARCHIVED,
        "when": "2026-03-10",
        "scores": (4, 4, 3),
    },
    {
        "title": "Green Steel Challenge: a design sprint with steelworks engineers",
        "region": "slaskie",
        "partner": "us",
        "author": "staff.pl@example.org",
        "city": "Dąbrowa Górnicza",
        "organisation": "University of Silesia in Katowice, Faculty of Science and Technology",
        "start": "2024-05-13",
        "end": "2024-05-17",
        "summary": """
            A five-day design sprint in which mixed teams of researchers, students and
            steelworks engineers produced tested concepts for cutting energy use in a rolling
            mill.
        """,
        "description": """
            The steelworks named four problems (waste heat, scrap sorting, furnace scheduling,
            water reuse). Mixed teams of six worked through the sprint method: understand,
            diverge, decide, prototype, test. On day five, each team tested its prototype with
            shift workers and presented to the plant's management.
        """,
        "resources": """
            Two sprint facilitators, a week of the participants' time, a workshop room on the
            plant site; about PLN 70,000, co-funded by the company.
        """,
        "evidence": """
            24 participants, 4 prototypes; 2 were taken into pilots. The scheduling pilot cut
            gas consumption of one furnace by 6% in its first three months. The company has
            since commissioned two research projects (PLN 2.4 million) from the faculty.
        """,
        "transferability": """
            Works with any large industrial partner willing to open a site; the sprint format
            keeps the commitment to one week.
        """,
        "lessons": """
            Shift workers were the best testers; involve them from day one, not only on day five.
        """,
        "further_information": "https://www.example.org/socore/green-steel-challenge",
        "contact": ("Marta Zielińska", "marta.zielinska@example.org"),
        "competences": ["6.1", "6.2", "2.1"],
        "themes": ["open-innovation", "science-business-cooperation"],
        "target_groups": ["researchers", "students", "smes-and-companies"],
        "state": Status.PUBLISHED,
        "when": "2025-11-04",
        "scores": (4, 3, 4),
    },
    {
        "title": "Inclusive Innovation Teams: gender-balanced university-company projects",
        "region": "slaskie",
        "partner": "us",
        "author": "staff.pl@example.org",
        "city": "Katowice",
        "organisation": "University of Silesia in Katowice",
        "start": "2026-01-01",
        "end": None,
        "summary": """
            A planned scheme rewarding joint projects whose teams are gender-balanced on both
            the university and the company side.
        """,
        "description": """
            Projects would receive a bonus in the internal seed fund if at least 40% of each
            side's team members are women, together with training on inclusive team
            leadership.
        """,
        "resources": """
            A bonus of PLN 20,000 per project from the internal seed fund; training sessions.
        """,
        "evidence": """
            Not yet started; a survey found 23% of women in current joint project teams.
        """,
        "transferability": """
            To be assessed after a first round.
        """,
        "lessons": """
            None yet.
        """,
        "further_information": "https://www.example.org/socore/inclusive-innovation-teams",
        "contact": ("Marta Zielińska", "marta.zielinska@example.org"),
        "competences": ["5.3"],
        "themes": ["science-business-cooperation"],
        "target_groups": ["researchers", "rii-managers"],
        "state": Status.DECLINED,
        "when": "2026-02-19",
        "comment": (
            "This is a plan rather than a practice: there are no results yet. Please describe "
            "it again as a new record once the first round has run and can be evaluated."
        ),
    },
    # Utrecht ----------------------------------------------------------------------------
    {
        "title": "Living Lab Healthy Urban Living with Utrecht SMEs",
        "region": "utrecht",
        "partner": "hu",
        "author": "staff.nl@example.org",
        "city": "Utrecht",
        "organisation": (
            "HU University of Applied Sciences Utrecht, Centre of Expertise Healthy Urban Living"
        ),
        "start": "2020-09-01",
        "end": None,
        "summary": """
            A neighbourhood living lab where small companies test health and mobility products
            with residents, supported by researchers and students who organise the tests and
            translate the results back to the companies.
        """,
        "description": """
            Small companies rarely have access to real users early enough. The living lab, in
            two Utrecht neighbourhoods, offers them a panel of 400 residents, a test location
            in a community centre and a team of researchers and students.

            A test runs for eight to twelve weeks. Researchers agree the question with the
            company, students recruit participants and run sessions, and a final workshop
            with residents and the company decides what to change. Researchers are coached on
            keeping the company's question in front, not their own research interest.
        """,
        "resources": """
            A living lab manager (0.8 FTE), two researchers (0.2 FTE each), student projects;
            EUR 120,000 a year, of which companies pay EUR 2,500 to EUR 10,000 per test.
        """,
        "evidence": """
            47 tests with 39 SMEs since 2020. 31 companies changed their product after the test;
            12 reported higher sales within a year. 1,650 residents took part in at least one
            test. Student participants (n=210) rated their growth in client communication at
            4.2/5.
        """,
        "transferability": """
            Needs a partnership with a municipality or housing association for the location
            and resident panel; the test protocol is published.
        """,
        "lessons": """
            Residents lose interest when they hear nothing back: a quarterly "what happened to
            your feedback" newsletter kept the panel alive.
        """,
        "further_information": "https://www.example.org/socore/living-lab-healthy-urban-living",
        "contact": ("Daan de Vries", "daan.devries@example.org"),
        "competences": ["2.1", "1.3", "3.4"],
        "themes": ["open-innovation", "science-business-cooperation"],
        "target_groups": ["researchers", "students", "smes-and-companies"],
        "state": Status.PUBLISHED,
        "when": "2025-04-08",
        "scores": (5, 4, 4),
    },
    {
        "title": "Kenniswerkplaats: studenten en mkb lossen samen praktijkvragen op",
        "region": "utrecht",
        "partner": "hu",
        "author": "staff.nl@example.org",
        "language": "nl",
        "city": "Amersfoort",
        "organisation": "Hogeschool Utrecht, Lectoraat Innovatie in het mkb",
        "start": "2021-02-01",
        "end": None,
        "summary": """
            In de kenniswerkplaats werken studententeams een semester lang aan een vraag van
            een mkb-bedrijf, begeleid door een docent-onderzoeker en een coach uit het
            bedrijfsleven.
        """,
        "summary_en": """
            In the knowledge workshop, student teams spend a semester on a question from a
            small company, guided by a lecturer-researcher and a coach from business. Lecturers
            learn to scope company questions; companies learn to work with research.
        """,
        "description": """
            Bedrijven melden een vraag aan via een kort intakegesprek. De docent-onderzoeker
            helpt de vraag scherp te stellen: wat wil het bedrijf over twintig weken weten of
            kunnen? Een team van vier studenten werkt twee dagen per week aan de vraag en
            presenteert elke vier weken tussenresultaten bij het bedrijf.

            Docent-onderzoekers volgen vooraf een training in het formuleren van opdrachten
            met bedrijven en het bewaken van verwachtingen.
        """,
        "resources": """
            Een coördinator (0,5 fte), docent-onderzoekers (4 uur per week per team),
            werkruimte; bedrijven betalen een bijdrage van EUR 1.500 per semester.
        """,
        "evidence": """
            Sinds 2021: 138 opdrachten voor 96 bedrijven. 74% van de bedrijven heeft de
            resultaten toegepast; 41 bedrijven kwamen terug met een nieuwe vraag. 12 studenten
            kregen een baan bij het bedrijf. Docent-onderzoekers scoorden hun vaardigheid in
            het afbakenen van bedrijfsvragen gemiddeld 2,8 voor en 4,0 na de training (n=34).
        """,
        "transferability": """
            Goed overdraagbaar naar andere hogescholen en universiteiten; het intakegesprek en
            de training voor docenten zijn de kern.
        """,
        "lessons": """
            Te brede vragen leverden teleurstelling op. De intake is verlengd van 30 naar
            60 minuten en bevat nu een voorbeeld van een eindproduct.
        """,
        "further_information": "https://www.example.org/socore/kenniswerkplaats",
        "contact": ("Daan de Vries", "daan.devries@example.org"),
        "competences": ["5.4", "1.3", "3.2"],
        "themes": ["science-business-cooperation", "training-and-skills"],
        "target_groups": ["students", "researchers", "smes-and-companies"],
        "state": Status.PUBLISHED,
        "when": "2025-07-01",
        "scores": (5, 5, 4),
    },
    {
        "title": "Open Door Research Desk: SME questions answered within ten working days",
        "region": "utrecht",
        "partner": "hu",
        "author": "staff.nl@example.org",
        "city": "Utrecht",
        "organisation": "HU University of Applied Sciences Utrecht, Research Services",
        "start": "2022-09-05",
        "end": None,
        "summary": """
            A single entry point where any small company can ask a research question and gets
            a first answer and the name of a researcher within ten working days.
        """,
        "description": """
            Research groups were hard to find from outside. The desk receives questions by web
            form or phone, and a knowledge broker finds the right research group, calls the
            company back and sets up a first meeting. Brokers track every question until it
            is answered or referred, and researchers receive a short guide on first meetings
            with companies.
        """,
        "resources": """
            Two knowledge brokers (1.4 FTE), a shared ticket system, and researchers' time for
            first meetings (about 2 hours per question).
        """,
        "evidence": """
            1,120 questions in three years; 93% answered within ten working days. 286 first
            meetings led to 97 paid assignments or student projects. Company satisfaction:
            8.1/10 (n=412).
        """,
        "transferability": """
            Any university of applied sciences or university can set up a desk; the service
            promise (ten days) is what companies remember.
        """,
        "lessons": """
            Researchers need to know that a first meeting commits them to nothing more.
        """,
        "further_information": "https://www.example.org/socore/open-door-desk",
        "contact": ("Daan de Vries", "daan.devries@example.org"),
        "competences": ["1.1", "2.2"],
        "themes": ["knowledge-transfer", "networking-and-matchmaking"],
        "target_groups": ["smes-and-companies", "technology-transfer-staff"],
        "state": Status.PUBLISHED,
        "when": "2025-10-14",
        "scores": (4, 5, 4),
    },
    {
        "title": "Co-creation Coaching for applied research groups",
        "region": "utrecht",
        "partner": "hu",
        "author": "staff.nl@example.org",
        "city": "Utrecht",
        "organisation": (
            "HU University of Applied Sciences Utrecht, Academy for Professional Development"
        ),
        "start": "2023-01-16",
        "end": None,
        "summary": """
            Coaching for whole research groups, not individuals: a coach joins three real
            meetings with external partners and gives the group feedback on how they listen,
            question and decide together.
        """,
        "description": """
            Trainings on co-creation rarely change what happens in real meetings. Here, a coach
            observes three meetings between a research group and its partners (companies,
            hospitals, municipalities), then runs a reflection session after each one. The
            group picks two habits to change, such as letting partners speak first or closing
            every meeting with agreed actions.
        """,
        "resources": """
            Two internal coaches (0.6 FTE together); about 16 hours of coaching per group.
        """,
        "evidence": """
            19 research groups coached. Partner satisfaction with meetings rose from 6.9 to
            8.0/10 (short survey after meetings, before and after coaching, n=143). Groups
            reported agreeing next steps in 88% of meetings, up from 52%.
        """,
        "transferability": """
            Requires coaches who know research; otherwise simple and cheap.
        """,
        "lessons": """
            Partners must be told that a coach observes; none objected once told why.
        """,
        "further_information": "https://www.example.org/socore/co-creation-coaching",
        "contact": ("Daan de Vries", "daan.devries@example.org"),
        "competences": ["1.3", "2.1", "5.1"],
        "themes": ["mentoring-and-coaching", "open-innovation"],
        "target_groups": ["researchers", "rii-managers"],
        "state": Status.PUBLISHED,
        "when": "2026-01-13",
        "scores": (4, 4, 5),
    },
    {
        "title": "Innovatiemakelaars: verbinders tussen hogeschool en mkb in regio Utrecht",
        "region": "utrecht",
        "partner": "hu",
        "author": "staff.nl@example.org",
        "language": "nl",
        "city": "Utrecht",
        "organisation": "Hogeschool Utrecht en Economic Board Utrecht",
        "start": "2019-06-01",
        "end": None,
        "summary": """
            Innovatiemakelaars bezoeken mkb-bedrijven, brengen hun innovatievragen in kaart en
            koppelen ze aan onderzoekers, studenten of regionale regelingen.
        """,
        "summary_en": """
            Innovation brokers visit small companies, map their innovation questions and link
            them to researchers, students or regional funding schemes; the brokers follow a
            shared training in needs assessment and matchmaking.
        """,
        "description": """
            Vijf innovatiemakelaars, elk met een eigen sector (zorg, bouw, voedsel, digitale
            economie, logistiek), bezoeken jaarlijks samen ongeveer 300 bedrijven. Een
            gesprek volgt een vaste opbouw: ambities, knelpunten, eerdere ervaringen met
            kennisinstellingen. Daarna volgt binnen twee weken een voorstel voor een
            vervolgstap.
        """,
        "resources": """
            Vijf makelaars (samen 3,5 fte), gefinancierd door de provincie en de hogeschool;
            een gedeeld CRM-systeem.
        """,
        "evidence": """
            1.540 bedrijfsbezoeken sinds 2019; 610 bedrijven kregen een concrete vervolgstap.
            Daaruit kwamen 188 onderzoeksopdrachten en 74 subsidieaanvragen, waarvan 52
            toegekend (EUR 3,1 miljoen).
        """,
        "transferability": """
            Overdraagbaar waar een regionale ontwikkelingsorganisatie en kennisinstellingen
            samen willen financieren.
        """,
        "lessons": """
            Een vaste opvolgtermijn van twee weken bleek cruciaal voor het vertrouwen van
            bedrijven.
        """,
        "further_information": "https://www.example.org/socore/innovatiemakelaars",
        "contact": ("Daan de Vries", "daan.devries@example.org"),
        "competences": ["2.2", "3.1", "1.1"],
        "themes": ["networking-and-matchmaking", "knowledge-transfer"],
        "target_groups": ["smes-and-companies", "technology-transfer-staff"],
        "state": Status.PUBLISHED,
        "when": "2026-04-21",
        "scores": (5, 4, 4),
    },
    {
        "title": "Data Ethics Sandbox for AI projects with companies",
        "region": "utrecht",
        "partner": "hu",
        "author": "staff.nl@example.org",
        "city": "Utrecht",
        "organisation": "HU University of Applied Sciences Utrecht, Research Group AI",
        "start": "2024-02-01",
        "end": None,
        "summary": """
            Before an AI project with a company starts, researchers, company staff and an
            ethicist spend half a day on a structured ethics and data-protection check, and
            agree how to handle the risks they find.
        """,
        "description": """
            The sandbox uses a deck of 40 question cards (bias, transparency, data ownership,
            misuse). Teams sort the cards, pick the five most relevant risks and agree a
            measure for each. The result becomes an annex to the cooperation agreement.
        """,
        "resources": """
            An ethicist and a facilitator for half a day per project; printed card decks.
        """,
        "evidence": """
            28 projects went through the sandbox; in 9 the data plan was changed before the
            start. No project has had a data protection incident since.
        """,
        "transferability": """
            The card deck is open licensed; any AI research group can use it.
        """,
        "lessons": """
            Companies first saw it as bureaucracy; framing it as risk management changed that.
        """,
        "further_information": "https://www.example.org/socore/data-ethics-sandbox",
        "contact": ("Daan de Vries", "daan.devries@example.org"),
        "competences": ["6.3", "3.3"],
        "themes": ["science-business-cooperation", "intellectual-property"],
        "target_groups": ["researchers", "smes-and-companies"],
        "state": Status.APPROVED,
        "when": "2026-11-05",
        "scores": (3, 5, 4),
    },
    {
        "title": "Summer School on Agile Project Management for Research Partnerships",
        "region": "utrecht",
        "partner": "hu",
        "author": "staff.nl@example.org",
        "city": "Utrecht",
        "organisation": "HU University of Applied Sciences Utrecht",
        "start": "2021-07-05",
        "end": "2023-07-14",
        "summary": """
            A one-week summer school in which researchers and company project leaders learnt
            agile methods together by running a simulated joint project.
        """,
        "description": """
            Mixed teams of researchers and company project leaders ran a simulated two-year
            project in five days, with sprints, reviews and a changing client. Evenings were
            reserved for cases from participants' own partnerships.
        """,
        "resources": """
            Three trainers for a week, EUR 1,200 per participant, groups of 24.
        """,
        "evidence": """
            Three editions, 71 participants from 6 countries. 62% applied sprint reviews in
            their partnerships within six months (follow-up survey, n=53).
        """,
        "transferability": """
            Replaced since 2024 by shorter in-house trainings; the simulation is available.
        """,
        "lessons": """
            A week away was too long for company participants; two-day formats reach more.
        """,
        "further_information": "https://www.example.org/socore/agile-summer-school",
        "contact": ("Daan de Vries", "daan.devries@example.org"),
        "competences": ["5.4", "4.3"],
        "themes": ["training-and-skills"],
        "target_groups": ["researchers", "rii-managers", "smes-and-companies"],
        "state": Status.ARCHIVED,
        "when": "2026-09-01",
        "scores": (3, 4, 4),
    },
    {
        "title": "Peer Intervision for Knowledge Brokers",
        "region": "utrecht",
        "partner": "hu",
        "author": "staff.nl@example.org",
        "city": "Utrecht",
        "organisation": "HU University of Applied Sciences Utrecht, Research Services",
        "start": "2025-03-01",
        "end": None,
        "summary": """
            Monthly intervision sessions in which knowledge brokers of several institutions
            discuss difficult cases using a fixed method.
        """,
        "description": """
            Groups of six brokers meet monthly for two hours. One brings a case; the others
            ask questions for 20 minutes before anyone gives advice.
        """,
        "resources": """
            Two hours a month per broker; a trained facilitator for the first three sessions.
        """,
        "evidence": """
            Two groups running since 2025, 12 brokers; evaluation planned for 2026.
        """,
        "transferability": """
            Very cheap; needs a few institutions willing to share cases.
        """,
        "lessons": """
            Confidentiality rules must be agreed in the first session.
        """,
        "further_information": "https://www.example.org/socore/peer-intervision",
        "contact": ("Daan de Vries", "daan.devries@example.org"),
        "competences": ["4.4", "1.3"],
        "themes": ["mentoring-and-coaching"],
        "target_groups": ["technology-transfer-staff"],
        "state": Status.DRAFT,
        "when": "2026-10-02",
    },
    {
        "title": "Challenge-based Learning Hub with regional care providers",
        "region": "utrecht",
        "partner": "hu",
        "author": "staff.nl@example.org",
        "city": "Utrecht",
        "organisation": "HU University of Applied Sciences Utrecht, Institute for Nursing Studies",
        "start": "2023-09-01",
        "end": None,
        "summary": """
            Care providers bring staffing and technology challenges to a hub where students,
            lecturers and care professionals work on them for a semester.
        """,
        "description": """
            Each semester eight challenges are selected. Teams combine nursing, ICT and
            business students with a care professional and a lecturer-researcher. Results are
            piloted on a ward or in home care.
        """,
        "resources": """
            A hub coordinator (0.6 FTE), lecturers' time, a budget for pilots of EUR 5,000 per
            challenge, co-funded by care providers.
        """,
        "evidence": """
            48 challenges in three years with 17 care providers; 19 pilots, 7 continued after
            the pilot. 340 students took part.
        """,
        "transferability": """
            Suits any region with a strong care sector and a health faculty.
        """,
        "lessons": """
            Care professionals need protected time; otherwise they drop out of teams.
        """,
        "further_information": "https://www.example.org/socore/challenge-hub",
        "contact": ("Daan de Vries", "daan.devries@example.org"),
        "competences": ["2.1", "6.2"],
        "themes": ["open-innovation", "training-and-skills"],
        "target_groups": ["students", "researchers"],
        "state": Status.SUBMITTED,
        "when": "2026-11-23",
    },
    # Liguria ----------------------------------------------------------------------------
    {
        "title": "Laboratori Aperti: la ricerca incontra le imprese dell'economia del mare",
        "region": "liguria",
        "partner": "anci-liguria",
        "author": LIGURIA_STAFF,
        "language": "it",
        "city": "Genova",
        "organisation": (
            "ANCI Liguria con l'Università di Genova e il Distretto Ligure delle Tecnologie Marine"
        ),
        "start": "2021-04-12",
        "end": None,
        "summary": """
            Ogni trimestre un laboratorio universitario apre le porte alle piccole imprese
            della nautica, della cantieristica e della logistica portuale per una mattinata di
            dimostrazioni e incontri individuali.
        """,
        "summary_en": """
            Every quarter a university laboratory opens its doors to small firms in yachting,
            shipbuilding and port logistics for a morning of demonstrations and one-to-one
            meetings. Researchers are coached beforehand on presenting to business.
        """,
        "description": """
            Le piccole imprese liguri conoscono poco i laboratori dell'università. Laboratori
            Aperti porta le imprese dentro i laboratori: ogni edizione è dedicata a un tema
            (corrosione, sensori subacquei, propulsione elettrica) e prevede tre
            dimostrazioni, una sessione di domande e incontri individuali prenotati in anticipo.

            I ricercatori partecipano a un breve laboratorio di preparazione su come
            presentare i servizi del laboratorio in termini di benefici per l'impresa.
        """,
        "resources": """
            Un coordinatore di ANCI Liguria (0,3 ETP), i ricercatori del laboratorio ospitante,
            circa 6.000 euro a edizione per comunicazione e catering.
        """,
        "evidence": """
            18 edizioni dal 2021, 512 partecipanti da 301 imprese. 214 incontri individuali,
            di cui 58 hanno portato a un contratto di ricerca o di servizio (1,7 milioni di
            euro in totale). Il 91% dei ricercatori giudica utile la preparazione.
        """,
        "transferability": """
            Facilmente trasferibile; serve un ente neutrale (qui l'associazione dei comuni) che
            inviti le imprese del territorio.
        """,
        "lessons": """
            Le imprese partecipano quando il tema è concreto e l'orario è al mattino presto.
            Gli incontri individuali vanno prenotati prima dell'evento.
        """,
        "further_information": "https://www.example.org/socore/laboratori-aperti",
        "contact": ("Giulia Bianchi", "giulia.bianchi@example.org"),
        "competences": ["1.1", "1.2", "2.2"],
        "themes": ["science-business-cooperation", "communication-and-outreach"],
        "target_groups": ["researchers", "smes-and-companies"],
        "state": Status.PUBLISHED,
        "when": "2025-03-04",
        "scores": (5, 5, 4),
    },
    {
        "title": "Blue Economy Technology Transfer Fellowships in Genoa",
        "region": "liguria",
        "partner": "anci-liguria",
        "author": LIGURIA_STAFF,
        "city": "Genoa",
        "organisation": "ANCI Liguria and the Ligurian Cluster of Marine Technologies",
        "start": "2022-01-10",
        "end": None,
        "summary": """
            Ten-month fellowships in which young technology transfer officers work half-time
            in a maritime company and half-time in a university transfer office, with a mentor
            on each side.
        """,
        "description": """
            Transfer offices in the region lacked staff who understand the maritime industry.
            Each year six fellows are recruited. They spend three days a week in a company
            (shipyards, port terminals, marine equipment makers) and two in a transfer office,
            where they scout research results relevant to their host company. A monthly
            seminar covers negotiation, IP and project management.
        """,
        "resources": """
            EUR 22,000 per fellow, shared between the cluster, the companies and regional
            funds; two mentors per fellow; a seminar coordinator.
        """,
        "evidence": """
            24 fellows in four cohorts; 17 still work in technology transfer or business
            development in the region. Fellows scouted 96 research results for host companies,
            leading to 21 agreements (licences, research contracts and joint applications) worth
            EUR 2.6 million.
        """,
        "transferability": """
            Works wherever an industrial cluster can co-fund; the dual placement is the key.
        """,
        "lessons": """
            The first cohort had no mentor in the transfer office and felt isolated; two
            mentors are now compulsory.
        """,
        "further_information": "https://www.example.org/socore/blue-economy-fellowships",
        "contact": ("Giulia Bianchi", "giulia.bianchi@example.org"),
        "competences": ["3.4", "5.2", "2.3"],
        "themes": ["knowledge-transfer", "mentoring-and-coaching"],
        "target_groups": ["technology-transfer-staff", "smes-and-companies"],
        "state": Status.PUBLISHED,
        "when": "2025-08-26",
        "scores": (5, 4, 5),
        "revised": True,
    },
    {
        "title": "Sportello Brevetti per comuni, ricercatori e PMI liguri",
        "region": "liguria",
        "partner": "anci-liguria",
        "author": LIGURIA_STAFF,
        "language": "it",
        "city": "La Spezia",
        "organisation": (
            "ANCI Liguria, in collaborazione con la Camera di Commercio Riviere di Liguria"
        ),
        "start": "2023-03-01",
        "end": None,
        "summary": """
            Uno sportello itinerante sulla proprietà intellettuale che ogni mese visita un
            comune diverso e offre consulenze gratuite a ricercatori, startup e piccole
            imprese.
        """,
        "summary_en": """
            A travelling intellectual property desk that visits a different Ligurian
            municipality each month, offering free advice to researchers, start-ups and small
            firms, and training municipal staff to recognise IP questions.
        """,
        "description": """
            Lo sportello è gestito da un consulente in proprietà industriale e da un funzionario
            di ANCI Liguria. Ogni mese si ferma per una giornata in un comune, su
            appuntamento. I funzionari comunali dello sviluppo economico seguono una breve
            formazione per indirizzare le imprese allo sportello.
        """,
        "resources": """
            Un consulente (2 giorni al mese), un funzionario ANCI (0,2 ETP), sale messe a
            disposizione dai comuni; circa 30.000 euro all'anno.
        """,
        "evidence": """
            32 giornate in 27 comuni, 246 consulenze. 19 domande di brevetto o di marchio e
            5 accordi di licenza nati dalle consulenze. 64 funzionari comunali formati.
        """,
        "transferability": """
            Adatto alle regioni con molti piccoli comuni e imprese lontane dai centri
            universitari.
        """,
        "lessons": """
            Nei comuni più piccoli la partecipazione cresce se l'evento è promosso dal sindaco.
        """,
        "further_information": "https://www.example.org/socore/sportello-brevetti",
        "contact": ("Giulia Bianchi", "giulia.bianchi@example.org"),
        "competences": ["3.3"],
        "themes": ["intellectual-property", "regional-policy"],
        "target_groups": ["smes-and-companies", "policy-makers", "researchers"],
        "state": Status.PUBLISHED,
        "when": "2025-12-09",
        "scores": (4, 4, 3),
    },
    {
        "title": "Robotics Matchmaking Breakfasts at the Genoa technology park",
        "region": "liguria",
        "partner": "anci-liguria",
        "author": LIGURIA_STAFF,
        "city": "Genoa",
        "organisation": "ANCI Liguria with the Erzelli technology park",
        "start": "2022-10-06",
        "end": None,
        "summary": """
            Monthly breakfast meetings where three robotics research teams and three companies
            each present a need or an offer in three minutes, followed by structured
            networking.
        """,
        "description": """
            Each breakfast has a theme (inspection robots, cobots in small factories, marine
            drones). Presenters are coached to state one concrete need or offer. After the
            pitches, a facilitator runs two rounds of 15-minute table conversations matched on
            interests collected at registration.
        """,
        "resources": """
            A facilitator, a room at the technology park, breakfast for 40 people; about
            EUR 1,500 per meeting.
        """,
        "evidence": """
            34 breakfasts, 1,090 attendances. Follow-up surveys recorded 87 new contacts that
            led to a second meeting, and 14 joint project proposals, 6 of them funded
            (EUR 3.4 million).
        """,
        "transferability": """
            A simple format for any technology park; the matched table rounds make it work.
        """,
        "lessons": """
            Three-minute pitches need rehearsal; unprepared presenters ran over and lost
            the room.
        """,
        "further_information": "https://www.example.org/socore/robotics-breakfasts",
        "contact": ("Giulia Bianchi", "giulia.bianchi@example.org"),
        "competences": ["2.2", "1.2"],
        "themes": ["networking-and-matchmaking"],
        "target_groups": ["researchers", "smes-and-companies"],
        "state": Status.PUBLISHED,
        "when": "2026-06-16",
        "scores": (4, 5, 3),
    },
    {
        "title": "Scuola di negoziazione per ricercatori e funzionari comunali",
        "region": "liguria",
        "partner": "anci-liguria",
        "author": LIGURIA_STAFF,
        "language": "it",
        "city": "Savona",
        "organisation": "ANCI Liguria",
        "start": "2024-10-01",
        "end": None,
        "summary": """
            Un percorso di quattro giornate in cui ricercatori e funzionari comunali imparano a
            negoziare accordi di collaborazione e convenzioni con le imprese.
        """,
        "summary_en": """
            A four-day course in which researchers and municipal officers learn to negotiate
            cooperation agreements with companies, using role plays based on real Ligurian
            cases.
        """,
        "description": """
            Il percorso alterna teoria e simulazioni su casi reali: una convenzione per
            l'uso di un laboratorio, un accordo per un progetto di mobilità urbana, una
            sponsorizzazione. Ogni partecipante prepara un piano di negoziazione per un caso
            proprio.
        """,
        "resources": """
            Due formatori, circa 900 euro per partecipante, gruppi di 16.
        """,
        "evidence": """
            Due edizioni, 30 partecipanti; gradimento medio 4,5 su 5.
        """,
        "transferability": """
            Trasferibile a qualsiasi regione.
        """,
        "lessons": """
            Mescolare ricercatori e funzionari comunali ha arricchito le simulazioni.
        """,
        "further_information": "https://www.example.org/socore/scuola-negoziazione",
        "contact": ("Giulia Bianchi", "giulia.bianchi@example.org"),
        "competences": ["2.3", "2.4"],
        "themes": ["training-and-skills"],
        "target_groups": ["researchers", "policy-makers"],
        "state": Status.CHANGES_REQUESTED,
        "when": "2026-11-10",
        "comment": (
            "Please add results beyond satisfaction: did participants use the negotiation "
            "plan, and were agreements signed? An English summary of the cases would help too."
        ),
    },
    {
        "title": "Port Innovation Living Lab with logistics SMEs",
        "region": "liguria",
        "partner": "anci-liguria",
        "author": LIGURIA_STAFF,
        "city": "La Spezia",
        "organisation": "ANCI Liguria with the Port System Authority of the Eastern Ligurian Sea",
        "start": "2023-05-02",
        "end": None,
        "summary": """
            Logistics SMEs, researchers and port operators test digital solutions (gate
            automation, container tracking, energy monitoring) in a real terminal, with a
            shared testing protocol and a neutral living lab manager.
        """,
        "description": """
            The port authority provides a test area and access to terminal data. Every six
            months a call selects up to five solutions. Each test is run by a team with the
            SME, a university researcher and terminal staff, following a protocol agreed in
            advance: what is measured, who owns the data, how results are shared.
        """,
        "resources": """
            A living lab manager (1 FTE), terminal staff time, EUR 80,000 a year from the port
            authority and regional funds.
        """,
        "evidence": """
            21 solutions tested with 17 SMEs; 8 adopted by terminal operators. Truck waiting
            time at the test gate fell by 18% during the gate automation pilot. 11 researchers
            took part; 5 joint publications and 3 follow-up research contracts.
        """,
        "transferability": """
            Suits any port or logistics hub; the data-sharing protocol is the element most
            worth copying.
        """,
        "lessons": """
            Terminal staff must be on the test team from the start; otherwise adoption stalls.
        """,
        "further_information": "https://www.example.org/socore/port-living-lab",
        "contact": ("Giulia Bianchi", "giulia.bianchi@example.org"),
        "competences": ["3.4", "5.4", "6.2"],
        "themes": ["open-innovation", "science-business-cooperation"],
        "target_groups": ["smes-and-companies", "researchers", "rii-managers"],
        "state": Status.PUBLISHED,
        "when": "2026-09-22",
        "scores": (5, 3, 4),
    },
    {
        "title": "Digital Skills Ambassadors in Ligurian municipalities",
        "region": "liguria",
        "partner": "anci-liguria",
        "author": LIGURIA_STAFF,
        "city": "Genoa",
        "organisation": "ANCI Liguria",
        "start": "2025-01-15",
        "end": None,
        "summary": """
            Young researchers act as ambassadors who help small municipalities formulate
            digital innovation needs and find research partners.
        """,
        "description": """
            Ambassadors spend one day a month in a partner municipality, map its needs with
            the staff and present them to the university's research groups.
        """,
        "resources": """
            Ambassadors' time (one day a month), travel costs, a coordinator at ANCI Liguria.
        """,
        "evidence": """
            8 ambassadors, 12 municipalities; 15 needs mapped, 4 research contacts made.
        """,
        "transferability": """
            Fits regions with many small municipalities.
        """,
        "lessons": """
            Needs are easier to map with a template; one is being written.
        """,
        "further_information": "https://www.example.org/socore/digital-skills-ambassadors",
        "contact": ("Giulia Bianchi", "giulia.bianchi@example.org"),
        "competences": ["1.1", "2.2"],
        "themes": ["regional-policy", "communication-and-outreach"],
        "target_groups": ["researchers", "policy-makers"],
        "state": Status.DRAFT,
        "when": "2026-10-15",
        "comment": (
            "The evidence is still thin: please add what came of the four research contacts "
            "and what the municipalities changed."
        ),
        "back_to_draft": True,
    },
]

TEXT_FIELDS = (
    "summary",
    "summary_en",
    "description",
    "resources",
    "evidence",
    "transferability",
    "lessons",
)


@contextmanager
def _tasks_run_here():
    """Run the e-mail tasks the transitions queue in this process, writing to no one.

    The demo addresses are not real: the tasks still run (templates and all), but through
    the dummy e-mail backend, and no broker is needed.
    """
    from socore.celery import app

    eager = app.conf.task_always_eager
    backend = settings.EMAIL_BACKEND
    # One INFO line per task, and kombu's notice about the unused broker, are noise here.
    loggers = [logging.getLogger(name) for name in ("celery.app.trace", "kombu.connection")]
    levels = [logger.level for logger in loggers]
    app.conf.task_always_eager = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        app.conf.task_always_eager = eager
        settings.EMAIL_BACKEND = backend
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def _regional_reviewer(data: dict, users: dict) -> User:
    """The region's coordinator, unless they wrote it; else the consortium's (all regions)."""
    email = REGIONAL_COORDINATORS.get(data["region"], CONSORTIUM_COORDINATOR)
    if email == data["author"]:
        email = CONSORTIUM_COORDINATOR
    return users[email]


def _create(data: dict, users: dict, framework) -> GoodPractice:
    contact_name, contact_email = data["contact"]
    practice = GoodPractice(
        partner=Partner.objects.get(slug=data["partner"]),
        created_by=users[data["author"]],
        title=data["title"],
        language=data.get("language", "en"),
        region=Region.objects.get(slug=data["region"]),
        city=data["city"],
        organisation=data["organisation"],
        start_date=_d(data["start"]),
        end_date=_d(data["end"]) if data["end"] else None,
        is_ongoing=data["end"] is None,
        further_information=data["further_information"],
        contact_name=contact_name,
        contact_email=contact_email,
        **{name: _t(data.get(name, "")) for name in TEXT_FIELDS},
    )
    practice.save()
    practice.competences.set(
        Competence.objects.filter(area__framework=framework, code__in=data["competences"])
    )
    practice.themes.set(Theme.objects.filter(slug__in=data["themes"]))
    practice.target_groups.set(TargetGroup.objects.filter(slug__in=data["target_groups"]))
    return practice


def _walk(practice: GoodPractice, data: dict, users: dict) -> None:
    """Take the practice to its state through the real transitions."""
    author = users[data["author"]]
    regional = _regional_reviewer(data, users)
    consortium = users[CONSORTIUM_COORDINATOR]
    scores = data.get("scores", (3, 3, 3))
    comment = data.get("comment", "")
    actions = list(PATHS[data["state"]])
    if data.get("revised"):
        actions[:1] = REVISED
    if data.get("back_to_draft"):
        actions = ["submit", "request_changes", "back_to_draft"]
    for action in actions:
        if action in ("submit", "resubmit"):
            practice.transition(action, by=author)
        elif action == "back_to_draft":
            practice.back_to_draft(by=author)
        elif action == "request_changes":
            practice.request_changes(
                by=regional,
                comment=comment
                or "Please give outcome figures, not only participation, and the yearly cost.",
                rubric=_rubric(tuple(max(2, s - 1) for s in scores)),
            )
        elif action == "approve":
            practice.approve(
                by=regional,
                rubric=_rubric(scores),
                comment="A clear, well documented practice; recommended for publication.",
            )
        elif action == "publish":
            practice.publish(by=consortium, rubric=_rubric(scores), comment="Validated.")
        elif action == "decline":
            practice.decline(by=regional, comment=comment, rubric=_rubric(scores))
        elif action == "archive":
            practice.archive(by=consortium, comment="The practice has ended; kept for reference.")


def _backdate(practice: GoodPractice, data: dict) -> None:
    """Spread the trail over past weeks, ending on `when` (published between 2025 and 2026)."""
    when = timezone.make_aware(datetime.datetime.combine(_d(data["when"]), datetime.time(10, 30)))
    steps = list(practice.steps.order_by("pk"))
    moments = []
    moment = when
    for index, step in enumerate(reversed(steps)):
        moments.append(moment)
        # Archiving comes long after publication; the other steps a week or two apart.
        moment -= datetime.timedelta(days=240 if step.action == "archive" else 6 + 3 * index)
    moments.reverse()
    for step, at in zip(steps, moments, strict=True):
        type(step).objects.filter(pk=step.pk).update(created_at=at)
    created = (moments[0] if moments else when) - datetime.timedelta(days=17)
    submitted = next(
        (at for s, at in zip(steps, moments, strict=True) if s.action == "submit"), None
    )
    published = next(
        (at for s, at in zip(steps, moments, strict=True) if s.action == "publish"), None
    )
    GoodPractice.objects.filter(pk=practice.pk).update(
        created_at=created,
        updated_at=moments[-1] if moments else when,
        submitted_at=submitted,
        published_at=published,
    )


def seed_practices() -> int:
    """Add the demo practices that are not there yet; return how many were added.

    Call it outside a transaction: each practice is committed on its own, so the e-mail
    tasks its transitions queue run (eagerly) before the Celery setting is restored.
    """
    emails = {data["author"] for data in PRACTICES} | {CONSORTIUM_COORDINATOR}
    emails |= set(REGIONAL_COORDINATORS.values())
    users = {user.email: user for user in User.objects.filter(email__in=emails)}
    framework = Framework.objects.current()
    existing = set(
        GoodPractice.objects.filter(title__in=[d["title"] for d in PRACTICES]).values_list(
            "title", flat=True
        )
    )
    added = 0
    with _tasks_run_here():
        for data in PRACTICES:
            if data["title"] in existing:
                continue
            with transaction.atomic():
                practice = _create(data, users, framework)
                _walk(practice, data, users)
                _backdate(practice, data)
            added += 1
    return added
