"""The default competence framework "Soft and social competences for RII staff".

Names and source mappings follow the outline in DESIGN.md ("surveys — competence
framework"). The references name competences of the EU frameworks ResearchComp,
LifeComp and EntreComp; every description here is our own text.

The data is plain Python so that a data migration can seed it through historical
models (``apps.get_model``) without importing the live models.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from django.db import models

# The framework's texts in the other shipped languages: translations/<language>.toml, with the
# same codes as below ("[areas.A1]", "[competences."1.1"]" with its five "levels").
TRANSLATIONS_DIR = Path(__file__).with_name("translations")

FRAMEWORK: dict[str, Any] = {
    "name": "Soft and social competences for RII staff",
    "version": 1,
    "status": "published",
    "description": (
        "The soft and social competences that people working in research and innovation "
        "infrastructures (laboratories, technology transfer offices, science and technology "
        "parks) need to cooperate well with companies and other non-academic partners. "
        "It groups 24 competences into six areas and maps each one to related competences "
        "of the EU frameworks ResearchComp, LifeComp and EntreComp."
    ),
}

AREAS: list[dict[str, Any]] = [
    {
        "code": "A1",
        "name": "Communication",
        "description": (
            "Exchanging information and ideas clearly with partners who do not share "
            "a research background."
        ),
        "competences": [
            {
                "code": "1.1",
                "name": "Communicating with non-academic partners",
                "description": (
                    "Explains the services, results and limits of the infrastructure in the "
                    "language of companies, public bodies and citizens. Adapts tone, detail and "
                    "channel to what each partner needs to decide or act."
                ),
                "references": [
                    "ResearchComp: Communicate to the broad public",
                    "LifeComp: S2 Communication",
                ],
            },
            {
                "code": "1.2",
                "name": "Presenting and pitching ideas",
                "description": (
                    "Presents a technology, service or project idea in a short, convincing way "
                    "that shows its benefit for the audience. Answers questions from business "
                    "people and investors with confidence."
                ),
                "references": ["ResearchComp: Disseminate results"],
            },
            {
                "code": "1.3",
                "name": "Active listening and empathy",
                "description": (
                    "Listens attentively to partners to understand their situation, constraints "
                    "and expectations before proposing solutions. Takes their point of view "
                    "seriously, even when it differs from the research perspective."
                ),
                "references": ["LifeComp: S1 Empathy"],
            },
            {
                "code": "1.4",
                "name": "Writing for non-specialist readers",
                "description": (
                    "Writes offers, reports, summaries and web texts that readers without "
                    "specialist knowledge can follow and use. Keeps the text accurate while "
                    "avoiding unnecessary jargon."
                ),
                "references": ["ResearchComp: Write research documents"],
            },
        ],
    },
    {
        "code": "A2",
        "name": "Collaboration and networking",
        "description": (
            "Building and keeping productive working relationships inside the organisation "
            "and with partners from other sectors."
        ),
        "competences": [
            {
                "code": "2.1",
                "name": "Working in cross-sector teams",
                "description": (
                    "Works effectively in teams that bring together researchers, engineers, "
                    "company staff and public officials. Shares tasks and information so that "
                    "the joint goal is reached."
                ),
                "references": [
                    "ResearchComp: Work in teams",
                    "LifeComp: S3 Collaboration",
                    "EntreComp: Working with others",
                ],
            },
            {
                "code": "2.2",
                "name": "Building networks",
                "description": (
                    "Establishes and maintains contacts with companies, clusters, funders and "
                    "other infrastructures. Uses this network to find partners and open new "
                    "opportunities for cooperation."
                ),
                "references": ["ResearchComp: Develop networks"],
            },
            {
                "code": "2.3",
                "name": "Negotiating agreements",
                "description": (
                    "Prepares and conducts negotiations on contracts, prices, timelines and "
                    "responsibilities with business partners. Seeks fair results that keep the "
                    "relationship strong for future cooperation."
                ),
                "references": ["ResearchComp: Negotiate"],
            },
            {
                "code": "2.4",
                "name": "Handling conflict constructively",
                "description": (
                    "Recognises tensions early in a team or partnership and addresses them "
                    "openly and respectfully. Helps the parties find a workable solution while "
                    "staying professional."
                ),
                "references": ["ResearchComp: Interact professionally"],
            },
        ],
    },
    {
        "code": "A3",
        "name": "Knowledge transfer and entrepreneurial mindset",
        "description": (
            "Turning research capacity and results into value for companies and society "
            "through cooperation and transfer."
        ),
        "competences": [
            {
                "code": "3.1",
                "name": "Spotting opportunities for cooperation",
                "description": (
                    "Recognises where the knowledge, equipment or services of the infrastructure "
                    "could meet a need of a company or the region. Turns such openings into "
                    "concrete proposals for joint work."
                ),
                "references": ["EntreComp: Spotting opportunities"],
            },
            {
                "code": "3.2",
                "name": "Understanding business needs and value",
                "description": (
                    "Understands how companies work, what they are willing to pay for and how "
                    "they judge costs, benefits and risks. Estimates the economic value of a "
                    "result or service for a partner."
                ),
                "references": [
                    "EntreComp: Valuing ideas",
                    "EntreComp: Financial and economic literacy",
                ],
            },
            {
                "code": "3.3",
                "name": "Managing intellectual property in cooperation",
                "description": (
                    "Knows the basic options for protecting, sharing and licensing results in "
                    "projects with business partners. Knows when to involve specialists and how "
                    "to balance openness with protection."
                ),
                "references": ["ResearchComp: Manage intellectual property rights"],
            },
            {
                "code": "3.4",
                "name": "Promoting open innovation and knowledge transfer",
                "description": (
                    "Actively supports the flow of knowledge, people and technology between the "
                    "infrastructure and its partners. Encourages colleagues to take part in "
                    "joint innovation with external actors."
                ),
                "references": [
                    "ResearchComp: Promote open innovation",
                    "ResearchComp: Promote the transfer of knowledge",
                ],
            },
        ],
    },
    {
        "code": "A4",
        "name": "Self-management",
        "description": (
            "Organising one's own work, staying effective under changing conditions and "
            "continuing to develop professionally."
        ),
        "competences": [
            {
                "code": "4.1",
                "name": "Adaptability",
                "description": (
                    "Adjusts plans, methods and ways of working when partners, priorities or "
                    "circumstances change. Treats change as a normal part of cooperation rather "
                    "than a disruption."
                ),
                "references": ["LifeComp: P2 Flexibility"],
            },
            {
                "code": "4.2",
                "name": "Coping with pressure and uncertainty",
                "description": (
                    "Stays calm and able to decide when deadlines are tight, information is "
                    "incomplete or outcomes are uncertain. Takes reasonable risks and learns "
                    "from setbacks."
                ),
                "references": [
                    "ResearchComp: Cope with pressure",
                    "EntreComp: Coping with uncertainty, ambiguity and risk",
                ],
            },
            {
                "code": "4.3",
                "name": "Planning and self-organisation",
                "description": (
                    "Sets priorities, plans time and keeps commitments across several projects "
                    "and partners. Delivers agreed work on time and at the expected quality."
                ),
                "references": ["ResearchComp: Plan self-organisation"],
            },
            {
                "code": "4.4",
                "name": "Managing one's own learning",
                "description": (
                    "Identifies which skills the job and cooperation with business will require "
                    "and looks for ways to acquire them. Believes that abilities can grow and "
                    "reflects on experience to improve."
                ),
                "references": [
                    "LifeComp: L1 Growth mindset",
                    "LifeComp: L3 Managing learning",
                    "ResearchComp: Manage personal professional development",
                ],
            },
        ],
    },
    {
        "code": "A5",
        "name": "Leadership and people",
        "description": (
            "Guiding, supporting and involving other people so that teams and joint projects "
            "succeed."
        ),
        "competences": [
            {
                "code": "5.1",
                "name": "Mobilising and motivating others",
                "description": (
                    "Gets colleagues and partners engaged in a shared goal and keeps their "
                    "commitment over time. Recognises contributions and gives people room to "
                    "take initiative."
                ),
                "references": ["EntreComp: Mobilising others"],
            },
            {
                "code": "5.2",
                "name": "Mentoring",
                "description": (
                    "Supports less experienced colleagues, for example in their first contacts "
                    "with industry, by sharing experience and giving constructive feedback. "
                    "Builds relationships based on trust."
                ),
                "references": ["ResearchComp: Build mentor-mentee relationships"],
            },
            {
                "code": "5.3",
                "name": "Promoting inclusion and diversity",
                "description": (
                    "Creates a working environment where people of different backgrounds, "
                    "genders, ages and sectors can contribute fully. Notices and counters "
                    "exclusion in teams and partnerships."
                ),
                "references": ["ResearchComp: Promote inclusion & diversity"],
            },
            {
                "code": "5.4",
                "name": "Managing projects with external partners",
                "description": (
                    "Plans and steers joint projects with companies and other organisations, "
                    "including scope, budget, schedule and roles. Keeps all partners informed "
                    "and deals with deviations in time."
                ),
                "references": [
                    "ResearchComp: Manage projects",
                    "EntreComp: Planning and management",
                ],
            },
        ],
    },
    {
        "code": "A6",
        "name": "Critical and creative thinking",
        "description": (
            "Analysing situations carefully and developing new, well-founded ideas and solutions."
        ),
        "competences": [
            {
                "code": "6.1",
                "name": "Creativity",
                "description": (
                    "Generates new ideas for services, collaborations and ways of using the "
                    "infrastructure's capabilities. Combines knowledge from different fields to "
                    "find original approaches."
                ),
                "references": ["ResearchComp: Creativity", "EntreComp: Creativity"],
            },
            {
                "code": "6.2",
                "name": "Problem solving",
                "description": (
                    "Breaks down practical problems raised by partners, explores possible "
                    "solutions and chooses a feasible one. Follows up to check that the solution "
                    "works in practice."
                ),
                "references": ["ResearchComp: Problem solving"],
            },
            {
                "code": "6.3",
                "name": "Critical thinking",
                "description": (
                    "Questions assumptions, checks evidence and weighs arguments before drawing "
                    "conclusions or making commitments. Gives partners an honest assessment of "
                    "what is and is not possible."
                ),
                "references": ["ResearchComp: Critical thinking", "LifeComp: L2 Critical thinking"],
            },
            {
                "code": "6.4",
                "name": "Systemic and strategic thinking",
                "description": (
                    "Sees how the infrastructure, its partners and the regional innovation "
                    "system influence each other. Sets long-term directions for cooperation and "
                    "links daily work to them."
                ),
                "references": [
                    "ResearchComp: Systemic thinking",
                    "ResearchComp: Strategic thinking",
                    "EntreComp: Vision",
                ],
            },
        ],
    },
]


def seed(framework_model, area_model, competence_model) -> None:
    """Create or update the default framework, its areas and competences.

    Works with live or historical models (a data migration passes ``apps.get_model``).
    Running it again does not create duplicates.
    """
    framework, _created = framework_model.objects.get_or_create(
        name=FRAMEWORK["name"],
        version=FRAMEWORK["version"],
        defaults={"status": FRAMEWORK["status"], "description": FRAMEWORK["description"]},
    )
    for area_position, area_data in enumerate(AREAS, start=1):
        area, _created = area_model.objects.get_or_create(
            framework=framework,
            code=area_data["code"],
            defaults={
                "name": area_data["name"],
                "description": area_data["description"],
                "position": area_position,
            },
        )
        for position, competence in enumerate(area_data["competences"], start=1):
            competence_model.objects.update_or_create(
                area=area,
                code=competence["code"],
                defaults={
                    "name": competence["name"],
                    "description": competence["description"],
                    "references": list(competence["references"]),
                    "position": position,
                },
            )


def unseed(framework_model) -> None:
    """Delete the default framework (areas and competences cascade)."""
    framework_model.objects.filter(name=FRAMEWORK["name"], version=FRAMEWORK["version"]).delete()


# Level descriptors, our own text: level 1 is a novice, level 5 an expert who guides others.
LEVEL_DESCRIPTORS: dict[str, tuple[str, str, str, str, str]] = {
    "1.1": (
        "Describes the infrastructure's work mainly in research terms; needs help to explain "
        "it to a company.",
        "Explains a familiar service to a partner in plain words when prepared in advance.",
        "Adapts explanations, examples and detail to each partner and checks they understood.",
        "Handles difficult or mixed audiences, explaining limits and risks without losing trust.",
        "Sets how the infrastructure talks to partners and coaches colleagues to do it well.",
    ),
    "1.2": (
        "Presents results as they were done in the lab, without saying why they matter to "
        "the audience.",
        "Gives a short prepared presentation that states the main benefit for the audience.",
        "Pitches an idea in a few minutes, tailored to the audience, and answers questions calmly.",
        "Convinces demanding audiences such as investors or boards, and adjusts the pitch live.",
        "Trains colleagues in pitching and prepares the infrastructure's key presentations.",
    ),
    "1.3": (
        "Listens mainly to find a moment to present own solutions.",
        "Lets partners finish and asks some questions about what they need.",
        "Asks open questions, summarises what was heard and takes constraints into account.",
        "Picks up unspoken concerns and builds on them, even when views differ strongly.",
        "Creates a listening culture in the team and helps others handle sensitive talks.",
    ),
    "1.4": (
        "Writes for specialists only; non-specialists find the text hard to use.",
        "Writes a short text for non-specialists with help and a good example to follow.",
        "Writes clear offers, summaries and web texts that readers without a research "
        "background can act on.",
        "Turns complex or sensitive content into accurate, readable texts for several audiences.",
        "Edits and improves colleagues' texts and sets writing guidelines for the unit.",
    ),
    "2.1": (
        "Works mainly with research colleagues; finds other ways of working confusing.",
        "Takes part in a team with company staff and does the tasks agreed.",
        "Contributes actively in mixed teams, respects other roles and shares information on time.",
        "Bridges differences in goals, pace and culture between academic and business members.",
        "Builds and guides cross-sector teams and helps others learn to work in them.",
    ),
    "2.2": (
        "Has few contacts outside own research group.",
        "Attends events and keeps in touch with some contacts from companies or public bodies.",
        "Builds and maintains a network of partners on purpose and introduces people to "
        "each other.",
        "Uses a wide network across sectors and regions to start new cooperation.",
        "Shapes networks for the infrastructure or region and opens them to colleagues.",
    ),
    "2.3": (
        "Accepts the first proposal or avoids negotiating at all.",
        "Prepares own position for a simple agreement with help from a colleague.",
        "Negotiates terms such as scope, price and timing, aiming at an agreement both sides keep.",
        "Leads complex negotiations with several parties and finds creative trade-offs.",
        "Sets negotiation approaches for the organisation and coaches others before talks.",
    ),
    "2.4": (
        "Avoids disagreements or lets them escalate.",
        "Names a problem politely and asks for help to solve it.",
        "Addresses conflicts early and looks for solutions that respect both sides.",
        "Mediates tense situations between partners and restores working relations.",
        "Builds ways of preventing and resolving conflict and supports others in using them.",
    ),
    "3.1": (
        "Rarely sees how own work could interest companies or other partners.",
        "Recognises an opportunity when a partner or colleague points it out.",
        "Spots needs in the market or region that match the infrastructure's capabilities.",
        "Turns signals from several sources into concrete cooperation proposals.",
        "Builds a routine for finding opportunities and helps colleagues see them.",
    ),
    "3.2": (
        "Knows little about how companies work, decide or earn money.",
        "Understands a partner's basic needs and budget when they are explained.",
        "Describes the value of a service for a company in terms of cost, time or risk.",
        "Analyses business models and builds offers that fit partners' decisions.",
        "Advises on value and pricing of cooperation and trains others in business thinking.",
    ),
    "3.3": (
        "Is not aware of intellectual property questions in cooperation.",
        "Knows the basic rules and asks the technology transfer office before sharing results.",
        "Handles confidentiality, ownership and use of results in standard agreements.",
        "Designs intellectual property arrangements for complex projects with several partners.",
        "Shapes the organisation's intellectual property practice and guides others in it.",
    ),
    "3.4": (
        "Keeps knowledge within the research group.",
        "Shares results with partners when asked and takes part in transfer activities.",
        "Actively offers knowledge, data or facilities to partners and joint projects.",
        "Starts open innovation activities and removes obstacles to transfer.",
        "Champions open innovation in the organisation and region and mentors others in it.",
    ),
    "4.1": (
        "Finds changes of plan, partner or task hard and slow to accept.",
        "Adjusts to changes when they are explained and supported.",
        "Adapts own work quickly to new partners, requirements or tools.",
        "Stays effective in frequently changing settings and helps the team adjust.",
        "Leads the team through major changes and models a flexible attitude.",
    ),
    "4.2": (
        "Loses focus under time pressure or when the outcome is unclear.",
        "Copes with normal deadlines and asks for support when pressure grows.",
        "Keeps working calmly under pressure and makes reasonable decisions with incomplete "
        "information.",
        "Manages risk and uncertainty in demanding projects and keeps others steady.",
        "Helps colleagues build resilience and designs work that limits needless pressure.",
    ),
    "4.3": (
        "Works on tasks as they come; deadlines are often missed.",
        "Plans own tasks for the coming days and keeps most deadlines.",
        "Plans work over weeks, sets priorities and balances research and partner requests.",
        "Organises own work across several projects and partners reliably.",
        "Helps others plan and improves how the team organises its work.",
    ),
    "4.4": (
        "Learns only when training is arranged by others.",
        "Takes part in training and tries out what was learnt.",
        "Sets own learning goals, seeks feedback and learns from partners and mistakes.",
        "Plans own development for future roles and uses many ways of learning.",
        "Supports the learning of others and builds learning into the team's work.",
    ),
    "5.1": (
        "Focuses on own tasks; seldom encourages others.",
        "Encourages colleagues in a shared task when asked.",
        "Gets people inside and outside the infrastructure to commit to a shared goal.",
        "Mobilises several organisations around a cooperation idea and keeps them engaged.",
        "Inspires and leads broad coalitions and develops leaders among colleagues.",
    ),
    "5.2": (
        "Has not yet supported the development of another person.",
        "Shares practical tips with newcomers when asked.",
        "Mentors a junior colleague regularly, giving feedback and room to grow.",
        "Mentors several people, including in cooperation with business, and adapts to each.",
        "Builds mentoring schemes and trains mentors.",
    ),
    "5.3": (
        "Is not yet aware of how inclusion affects cooperation.",
        "Treats everyone with respect and notices when someone is left out.",
        "Makes meetings, teams and materials accessible and open to different people.",
        "Challenges exclusion and uses diverse views to improve cooperation.",
        "Sets inclusion practices for the organisation and helps others apply them.",
    ),
    "5.4": (
        "Has not yet worked in a project with external partners.",
        "Carries out assigned tasks in a joint project and reports progress.",
        "Manages a small project with a partner: scope, plan, budget, risks and reporting.",
        "Manages large or multi-partner projects and keeps all partners aligned.",
        "Sets project management practice for cooperation and coaches project managers.",
    ),
    "6.1": (
        "Follows known approaches; rarely proposes new ideas.",
        "Suggests ideas in a brainstorm or when asked.",
        "Produces useful new ideas for services, projects or ways of working with partners.",
        "Combines knowledge from different fields into original solutions for partners.",
        "Creates conditions for creativity in teams and helps others develop their ideas.",
    ),
    "6.2": (
        "Needs guidance to tackle problems beyond routine.",
        "Solves familiar problems by following known steps.",
        "Analyses a new problem, considers options and chooses a workable solution.",
        "Solves complex problems together with partners from different sectors.",
        "Guides others through difficult problems and improves the team's methods.",
    ),
    "6.3": (
        "Accepts information and claims without checking them.",
        "Checks key facts and sources when asked.",
        "Questions assumptions, weighs evidence and gives partners honest assessments.",
        "Evaluates competing arguments and risks in complex decisions.",
        "Helps others think critically and strengthens how decisions are made.",
    ),
    "6.4": (
        "Sees own tasks without the wider context.",
        "Understands how own work connects to the infrastructure's goals.",
        "Considers partners, the region and long-term effects when planning cooperation.",
        "Develops strategies that link the infrastructure to the regional innovation system.",
        "Shapes long-term direction and helps others think in systems and strategies.",
    ),
}


def seed_levels(competence_model, level_model) -> None:
    """Create the level descriptors of the default framework's competences (version 1).

    Works with live or historical models; running it again changes nothing.
    """
    competences = competence_model.objects.filter(
        area__framework__name=FRAMEWORK["name"], area__framework__version=FRAMEWORK["version"]
    )
    for competence in competences:
        for level, text in enumerate(LEVEL_DESCRIPTORS.get(competence.code, ()), start=1):
            level_model.objects.get_or_create(
                competence=competence, level=level, defaults={"text": text}
            )


def shipped_translations() -> dict[str, dict[str, Any]]:
    """{language: its texts} from translations/<language>.toml, for every shipped file."""
    return {
        path.stem: tomllib.loads(path.read_text(encoding="utf-8"))
        for path in sorted(TRANSLATIONS_DIR.glob("*.toml"))
    }


def add_translations(get_model) -> int:
    """Add the shipped translations to the default framework (version 1), beside what is there.

    A text a coordinator already gave in some language is kept; only missing ones are filled.
    Only the ``translations`` field is written, which a frozen version allows. Returns the
    number of texts added.
    """
    framework = (
        get_model("surveys", "Framework")
        .objects.filter(name=FRAMEWORK["name"], version=FRAMEWORK["version"])
        .first()
    )
    if framework is None:
        return 0
    areas = {a.code: a for a in get_model("surveys", "Area").objects.filter(framework=framework)}
    competences = {
        c.code: c
        for c in get_model("surveys", "Competence").objects.filter(area__framework=framework)
    }
    levels = {
        (level.competence.code, level.level): level
        for level in get_model("surveys", "LevelDescriptor")
        .objects.filter(competence__area__framework=framework)
        .select_related("competence")
    }
    added = 0
    changed: dict[int, Any] = {}

    def fill(record, language: str, texts: dict[str, str]) -> None:
        nonlocal added
        if record is None:
            return
        own = record.translations.setdefault(language, {})
        for field, text in texts.items():
            if text and not own.get(field):
                own[field] = text
                added += 1
                changed[id(record)] = record

    for language, shipped in shipped_translations().items():
        fill(framework, language, shipped.get("framework", {}))
        for code, texts in shipped.get("areas", {}).items():
            fill(areas.get(code), language, texts)
        for code, texts in shipped.get("competences", {}).items():
            texts = dict(texts)
            for number, text in enumerate(texts.pop("levels", ()), start=1):
                fill(levels.get((code, number)), language, {"text": text})
            fill(competences.get(code), language, texts)
    for record in changed.values():
        record.save(update_fields=["translations"])
    return added


def install(get_model) -> None:
    """Everything the migrations put in place for the default framework, on an empty database
    (after a test flushed it): the framework, its levels, frozen as published, translated.

    ``get_model`` is ``apps.get_model`` (live models) or a migration's historical one.
    """
    framework_model = get_model("surveys", "Framework")
    seed(framework_model, get_model("surveys", "Area"), get_model("surveys", "Competence"))
    seed_levels(get_model("surveys", "Competence"), get_model("surveys", "LevelDescriptor"))
    framework_model.objects.filter(status="published", frozen_at__isnull=True).update(
        frozen_at=models.F("created_at")
    )
    add_translations(get_model)
