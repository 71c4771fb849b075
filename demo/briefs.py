"""Demo policy briefs (content/briefs.toml): one published, one in review, one draft.

In the project's voice: what the competence surveys and the good practices of Śląskie,
Utrecht and Liguria suggest to regional policy makers. States are reached through the real
transitions, so each brief has its trail. The published one cites two practices and two
findings from the demo survey campaigns (demo.surveys), whose figures render live.

Idempotent: a brief whose title already exists is skipped.
"""

from django.db import transaction

from partners.models import Partner, Region, User
from practices.models import BriefFinding, GoodPractice, PolicyBrief
from surveys.models import Campaign, Competence, Survey

from . import content, tasks_run_here
from .practices import CONSORTIUM_COORDINATOR


def _markdown(text: str) -> str:
    return text.strip() + "\n"


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
    brief.editors.add(brief.created_by)
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
    records = content("briefs")["briefs"]
    emails = {data["author"] for data in records} | {CONSORTIUM_COORDINATOR}
    users = {user.email: user for user in User.objects.filter(email__in=emails)}
    existing = set(
        PolicyBrief.objects.filter(title__in=[d["title"] for d in records]).values_list(
            "title", flat=True
        )
    )
    added = 0
    with tasks_run_here():
        for data in records:
            if data["title"] in existing:
                continue
            with transaction.atomic():
                brief = _create(data, users)
                _walk(brief, data, users)
            added += 1
    return added
