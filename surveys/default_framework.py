"""The default competence framework "Soft and social competences for RII staff".

Names and source mappings follow the outline in DESIGN.md ("surveys — competence
framework"). The references name competences of the EU frameworks ResearchComp,
LifeComp and EntreComp; every description here is our own text.

The data is plain Python so that a data migration can seed it through historical
models (``apps.get_model``) without importing the live models.
"""

from __future__ import annotations

from typing import Any

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
