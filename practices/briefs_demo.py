"""Demo policy briefs for `manage.py seed_demo`: one published, one in review, one draft.

Written by us, in the project's voice: what the competence surveys and the good practices of
Śląskie, Utrecht and Liguria suggest to regional policy makers. States are reached through
the real transitions, so each brief has its trail. The published one cites two practices and
two findings from the demo survey campaigns (surveys.demo), whose figures render live.

Idempotent: a brief whose title already exists is skipped.
"""

from django.db import transaction

from partners.models import Partner, Region, User
from surveys.models import Campaign, Competence, Survey

from .demo import CONSORTIUM_COORDINATOR, _tasks_run_here
from .models import BriefFinding, GoodPractice, PolicyBrief

BRIEFS = [
    {
        "title": "Train transfer staff to negotiate: a line in Śląskie's innovation strategy",
        "author": "staff.pl@example.org",
        "partner": "us",
        "regions": ["slaskie"],
        "audience": "Managers of the Regional Innovation Strategy of the Śląskie Voivodeship "
        "and the Marshal's Office departments that run the regional programme",
        "authors": "Marta Zielińska, Anna Nowak (University of Silesia in Katowice)",
        "key_messages": [
            "Research and innovation staff in Śląskie rate themselves lowest where "
            "cooperation with companies is decided: negotiating agreements and managing "
            "intellectual property.",
            "Employers ask for more than the staff report; the gap is widest for negotiation.",
            "Short, practical training works: the Negotiation Bootcamp shows it can be run "
            "at low cost by the region's own technology transfer offices.",
            "We recommend a dedicated call for cooperation-skills training in the regional "
            "programme, with results measured by the next SOCORE survey.",
        ],
        "body": """
            ## What the survey shows

            In the SOCORE self-assessment, staff of laboratories, institutes and transfer
            offices in Śląskie rated their current level and the importance of 24 soft and
            social competences. Negotiating agreements [F1] and managing intellectual
            property in cooperation [F2] show some of the largest gaps between importance
            and current level. The employers who answered the demand survey expect a higher
            level than the staff report.

            ## What already works

            The *Negotiation Bootcamp for Technology Transfer Officers* trained transfer
            staff in two-day sessions built on real contract cases. The intellectual
            property clinic for researchers and SMEs shows that advice close to the
            laboratory lowers the barrier to the first agreement.

            ## Recommendations

            1. Open a call in the regional programme for short training in negotiation and
               intellectual property for staff of research and innovation infrastructure.
            2. Let technology transfer offices run it together with companies, so that the
               cases are real.
            3. Measure the effect: repeat the SOCORE survey after two years and compare the
               gaps.
        """,
        "practices": [
            "Negotiation Bootcamp for Technology Transfer Officers",
            "Klinika własności intelektualnej dla naukowców i MŚP ze Śląska",
        ],
        "findings": [("slaskie", "2.3"), ("slaskie", "3.3")],
        "actions": ["submit", "comment", "publish"],
        "comment": "Please name the programme priority the call would fall under.",
    },
    {
        "title": "Knowledge brokers for Utrecht's SMEs: from pilot to structural funding",
        "author": "staff.nl@example.org",
        "partner": "hu",
        "regions": ["utrecht"],
        "audience": "Economic affairs officers of the Province of Utrecht and the "
        "municipalities of the Utrecht region",
        "authors": "Daan de Vries (HU University of Applied Sciences Utrecht)",
        "key_messages": [
            "SMEs reach applied research when someone translates their questions.",
            "Innovation brokers and the Open Door Research Desk do this today on project money.",
            "Structural funding for a small team of brokers would keep the door open.",
        ],
        "body": """
            ## The problem

            Small companies in the Utrecht region rarely find their way to the research
            groups of universities and universities of applied sciences. Their questions are
            practical and urgent; research calendars are not.

            ## What works

            Innovation brokers who know both worlds, and a desk that answers every SME
            question within ten working days, lowered that barrier in the pilots.

            ## Recommendation

            Fund a small, permanent team of knowledge brokers from the regional economic
            programme, and ask the SOCORE partners to train them in networking and
            negotiation.
        """,
        "practices": [
            "Innovatiemakelaars: verbinders tussen hogeschool en mkb in regio Utrecht",
            "Open Door Research Desk: SME questions answered within ten working days",
        ],
        "findings": [],
        "actions": ["submit"],
    },
    {
        "title": "Negotiation schools for researchers and municipal officers in Liguria",
        "author": "staff.it@example.org",
        "partner": "anci-liguria",
        "regions": ["liguria"],
        "language": "it",
        "audience": "Regione Liguria, Direzione Sviluppo Economico; ANCI Liguria member "
        "municipalities",
        "authors": "Giulia Bianchi (ANCI Liguria)",
        "key_messages": [
            "I comuni e i ricercatori negoziano poco e male: servono competenze comuni.",
            "Una scuola di negoziazione congiunta costa poco e crea fiducia.",
        ],
        "summary_en": "Municipal officers and researchers in Liguria rarely negotiate "
        "cooperation agreements together. A joint negotiation school is cheap and builds "
        "trust; this draft proposes how the region could fund it.",
        "body": """
            ## Perché

            Le amministrazioni comunali e i gruppi di ricerca liguri collaborano sempre di
            più, ma gli accordi si bloccano spesso su proprietà intellettuale e tempi.

            ## Proposta (bozza)

            Una scuola di negoziazione comune, con casi reali dei comuni della costa.
        """,
        "practices": ["Sportello Brevetti per comuni, ricercatori e PMI liguri"],
        "findings": [],
        "actions": [],
    },
]


def _markdown(text: str) -> str:
    """The body as typed above, without the indentation of this file."""
    import textwrap

    return textwrap.dedent(text).strip() + "\n"


def _finding_campaigns(region_slug: str) -> tuple[Campaign | None, Campaign | None]:
    campaigns = Campaign.objects.filter(region__slug=region_slug).select_related("survey")
    self_campaign = campaigns.filter(survey__kind=Survey.Kind.SELF_ASSESSMENT).first()
    demand = campaigns.filter(survey__kind=Survey.Kind.DEMAND).first()
    return self_campaign, demand


def _create(data: dict, users: dict) -> PolicyBrief:
    brief = PolicyBrief.objects.create(
        partner=Partner.objects.get(slug=data["partner"]),
        created_by=users[data["author"]],
        title=data["title"],
        audience=data["audience"],
        authors=data["authors"],
        key_messages=data["key_messages"],
        body=_markdown(data["body"]),
        language=data.get("language", "en"),
        summary_en=data.get("summary_en", ""),
    )
    brief.regions.set(Region.objects.filter(slug__in=data["regions"]))
    brief.practices.set(GoodPractice.objects.filter(title__in=data["practices"]))
    for position, (region_slug, code) in enumerate(data["findings"], start=1):
        self_campaign, demand = _finding_campaigns(region_slug)
        if self_campaign is None:
            continue
        BriefFinding.objects.create(
            brief=brief,
            region=self_campaign.region,
            campaign=self_campaign,
            demand_campaign=demand,
            competence=Competence.objects.get(
                area__framework=self_campaign.survey.framework, code=code
            ),
            position=position,
        )
    return brief


def _walk(brief: PolicyBrief, data: dict, users: dict) -> None:
    author = users[data["author"]]
    consortium = users[CONSORTIUM_COORDINATOR]
    for action in data["actions"]:
        if action == "submit":
            brief.submit(by=author)
        elif action == "comment":
            brief.comment(by=consortium, comment=data["comment"])
        elif action == "publish":
            brief.publish(by=consortium, comment="Clear evidence, clear asks. Published.")


def seed_briefs() -> int:
    """Add the demo briefs that are not there yet; return how many were added."""
    emails = {data["author"] for data in BRIEFS} | {CONSORTIUM_COORDINATOR}
    users = {user.email: user for user in User.objects.filter(email__in=emails)}
    existing = set(
        PolicyBrief.objects.filter(title__in=[d["title"] for d in BRIEFS]).values_list(
            "title", flat=True
        )
    )
    added = 0
    with _tasks_run_here():
        for data in BRIEFS:
            if data["title"] in existing:
                continue
            with transaction.atomic():
                brief = _create(data, users)
                _walk(brief, data, users)
            added += 1
    return added
