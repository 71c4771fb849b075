"""Demo activities (content/activities.toml), their participants and what came of them.

Every activity is proposed by its host's staff and confirmed by a coordinator of the host
region through the model's methods, and the held ones are marked held. Participants are
generated from a fixed seed: guests known by name and email, and, at the trainings, RII
staff with accounts. Those accounts answered last year's self-assessment round (the
baseline) and this year's (the follow-up): the people trained improve most in the
competences their training addressed, the others a little, unevenly by region.

Idempotent: an activity whose title already exists is skipped, and the paired assessments
are added once.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from activities import tasks
from activities.capacity.forms import FollowUpForm
from activities.models import Activity
from activities.participants.imports import confirm_attendance, import_participants
from partners.models import Membership, Partner, User
from practices.models import GoodPractice, Status
from surveys.models import Answer, Campaign, Competence, Framework, Response, Survey

from . import content, paragraphs, tasks_run_here

SEED = 2029
REGION_OF_PARTNER = {
    "us": "slaskie",
    "province-of-silesia": "slaskie",
    "hu": "utrecht",
    "anci-liguria": "liguria",
}
# RII staff with accounts per region, who answered both self-assessment rounds.
PAIRED_PEOPLE = {"slaskie": 60, "utrecht": 30, "liguria": 30}
# How much the current level rose on average between the rounds, beyond the trainings.
REGIONAL_DRIFT = {"slaskie": 0.1, "utrecht": 0.25, "liguria": 0.0}
TRAINED_GAIN = 0.8

FIRST_NAMES = {
    "slaskie": [
        "Anna",
        "Piotr",
        "Katarzyna",
        "Tomasz",
        "Magdalena",
        "Paweł",
        "Agnieszka",
        "Michał",
        "Joanna",
        "Krzysztof",
        "Ewa",
        "Marcin",
        "Zofia",
        "Łukasz",
    ],
    "utrecht": [
        "Sanne",
        "Daan",
        "Lotte",
        "Bram",
        "Eva",
        "Thijs",
        "Fleur",
        "Jeroen",
        "Iris",
        "Sven",
        "Noor",
        "Ruben",
    ],
    "liguria": [
        "Giulia",
        "Marco",
        "Chiara",
        "Luca",
        "Francesca",
        "Matteo",
        "Elena",
        "Andrea",
        "Sara",
        "Davide",
        "Martina",
        "Stefano",
    ],
}
LAST_NAMES = {
    "slaskie": [
        "Nowak",
        "Kowalska",
        "Wiśniewski",
        "Wójcik",
        "Kamińska",
        "Lewandowski",
        "Zielińska",
        "Szymański",
        "Woźniak",
        "Dąbrowska",
        "Kozłowski",
        "Mazur",
    ],
    "utrecht": [
        "de Vries",
        "Jansen",
        "van Dijk",
        "Bakker",
        "Visser",
        "Smit",
        "Meijer",
        "de Boer",
        "Mulder",
        "de Groot",
        "Bos",
        "Vos",
    ],
    "liguria": [
        "Rossi",
        "Ferrari",
        "Esposito",
        "Bianchi",
        "Romano",
        "Colombo",
        "Ricci",
        "Marino",
        "Greco",
        "Bruno",
        "Gallo",
        "Conti",
    ],
}
ORGANISATIONS = {
    "slaskie": [
        "Silesian Science Park",
        "University of Silesia",
        "Silesian University of Technology",
        "Regional Chamber of Commerce",
        "Marshal's Office of Śląskie",
    ],
    "utrecht": [
        "Utrecht Science Park",
        "Utrecht University",
        "UMC Utrecht",
        "Province of Utrecht",
        "ROM Utrecht Region",
    ],
    "liguria": [
        "Genoa Science Park",
        "University of Genoa",
        "Italian Institute of Technology",
        "Regione Liguria",
        "Confindustria Genova",
    ],
}
# Who comes to an activity of each kind: participant types and their weights.
MIX = {
    "stakeholder_meeting": {"stakeholder": 6, "policy_maker": 3, "partner_staff": 2},
    "study_visit": {"partner_staff": 5, "stakeholder": 3, "rii_staff": 3, "policy_maker": 1},
    "workshop": {"partner_staff": 5, "stakeholder": 3, "rii_staff": 2, "policy_maker": 1},
    "peer_review": {"partner_staff": 6, "policy_maker": 3, "stakeholder": 1},
    "training": {"rii_staff": 8, "partner_staff": 1},
    "other": {"partner_staff": 1},
}


def _members(slug: str, role: str) -> list[User]:
    return [
        membership.user
        for membership in Membership.objects.filter(partner__slug=slug, role=role)
        .select_related("user")
        .order_by("pk")
    ]


def _proposer_and_confirmer(host: Partner) -> tuple[User, User]:
    """The host's staff propose; a coordinator of the host region confirms (where the host
    has no staff, that coordinator proposes, and confirms as they make it)."""
    coordinators = list(
        User.objects.filter(
            memberships__partner__region=host.region, memberships__role="coordinator"
        ).order_by("pk")
    ) or list(User.objects.filter(memberships__is_consortium_coordinator=True))
    staff = _members(host.slug, "staff") or coordinators
    return staff[0], coordinators[0]


def _paired_people(rng) -> dict[str, list[User]]:
    """The RII staff with accounts of each region (made once, without a password)."""
    people = {}
    for region, count in PAIRED_PEOPLE.items():
        users = []
        for number in range(1, count + 1):
            first = rng.choice(FIRST_NAMES[region])
            last = rng.choice(LAST_NAMES[region])
            user, created = User.objects.get_or_create(
                email=f"rii.{region}.{number:03d}@example.org",
                defaults={"name": f"{first} {last}"},
            )
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            users.append(user)
        people[region] = users
    return people


def _create_activity(record: dict, today: datetime.date, competences: dict) -> Activity:
    host = Partner.objects.get(slug=record["host"])
    proposer, confirmer = _proposer_and_confirmer(host)
    starts_on = today + datetime.timedelta(days=record["starts"])
    activity = Activity.objects.create(
        kind=record["kind"],
        title=record["title"],
        host_partner=host,
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=record["days"] - 1),
        place=record.get("place", ""),
        is_online=record.get("online", False),
        description=paragraphs(record["description"]),
        created_by=proposer,
    )
    addressed = [competences[code] for code in record["competences"] if code in competences]
    activity.competences.set(addressed)
    presented = (
        GoodPractice.objects.filter(
            status=Status.PUBLISHED, region=host.region, competences__in=addressed
        )
        .distinct()
        .order_by("pk")[:2]
    )
    activity.practices.set(presented)
    if not record.get("unconfirmed"):
        activity.confirm(by=confirmer)
    if record["status"] == "held":
        activity.mark_held()
        # As if marked held the day after it ended.
        held_at = timezone.make_aware(
            datetime.datetime.combine(activity.ends_on, datetime.time(17))
        ) + datetime.timedelta(days=1)
        Activity.objects.filter(pk=activity.pk).update(held_at=held_at)
        activity.held_at = held_at
    elif record["status"] == "cancelled":
        activity.cancel()
    return activity


def _latest_self_campaigns() -> tuple[dict, dict]:
    """Last year's closed self-assessment round (the baseline) and this year's, per region."""
    framework = Framework.objects.current()
    surveys = Survey.objects.filter(framework=framework, kind=Survey.Kind.SELF_ASSESSMENT).order_by(
        "created_at"
    )
    baseline, follow_up = {}, {}
    for survey, into in zip(surveys[:2], (baseline, follow_up), strict=False):
        for campaign in Campaign.objects.filter(survey=survey).select_related("region"):
            into[campaign.region.slug] = campaign
    return baseline, follow_up


def _clamp(value: float) -> int:
    return max(1, min(5, round(value)))


def _paired_responses(people, trained, competences, rng, now) -> int:
    """Each person's baseline and follow-up, with the change their training explains."""
    baseline, follow_up = _latest_self_campaigns()
    added = 0
    for region, users in people.items():
        if region not in baseline or region not in follow_up:
            continue
        for user in users:
            if Response.objects.filter(respondent=user).exists():
                continue
            leniency = rng.gauss(0, 0.4)
            first = {}
            for campaign, when in (
                (baseline[region], baseline[region].closes_at - datetime.timedelta(days=10)),
                (
                    follow_up[region],
                    min(now, follow_up[region].closes_at)
                    - datetime.timedelta(days=rng.randint(1, 25)),
                ),
            ):
                response = Response.objects.create(
                    campaign=campaign,
                    respondent=user,
                    status=Response.Status.SUBMITTED,
                    released=True,
                    consent_version=campaign.privacy_notice_version,
                    consented_at=when,
                    submitted_at=when,
                    current_page=len(competences),
                    organisation_type=rng.choice(["university", "research_institute"]),
                    role=rng.choice(["researcher", "technical", "transfer", "management"]),
                    experience=rng.choice(["0-2", "2-5", "6-10", "11-20", "20+"]),
                )
                answers = []
                for competence in competences:
                    importance = _clamp(rng.gauss(3.9, 0.8) + leniency)
                    if competence.code not in first:
                        first[competence.code] = _clamp(rng.gauss(2.9, 0.7) + leniency)
                        level = first[competence.code]
                    else:
                        gain = REGIONAL_DRIFT[region] + rng.gauss(0, 0.4)
                        if competence.code in trained.get(user.pk, set()):
                            gain += TRAINED_GAIN
                        level = _clamp(first[competence.code] + gain)
                    answers.append(
                        Answer(
                            response=response,
                            competence=competence,
                            current_level=level,
                            importance=importance,
                        )
                    )
                Answer.objects.bulk_create(answers)
                added += 1
    return added


def _participants_file(record: dict, region: str, people: list[User], rng) -> bytes:
    """The CSV a coordinator would upload: guests of the host region, RII staff with
    accounts at the trainings (by their account's address), and one line twice."""
    mix = MIX[record["kind"]]
    types = rng.choices(list(mix), weights=list(mix.values()), k=record["participants"])
    lines = ["name;email;organisation;type"]
    for number, kind in enumerate(types, start=1):
        first = rng.choice(FIRST_NAMES[region])
        last = rng.choice(LAST_NAMES[region])
        address = f"{first}.{last}.{number}".lower().replace(" ", "")
        lines.append(
            f"{first} {last};{address}@example.org;{rng.choice(ORGANISATIONS[region])};{kind}"
        )
    for user in people:
        lines.append(f"{user.name};{user.email};{ORGANISATIONS[region][0]};rii_staff")
    if len(lines) > 2:
        lines.append(lines[1])  # the same person twice in the file: merged on import
    return ("\n".join(lines) + "\n").encode()


def _answer_follow_ups(activity, rng) -> int:
    """About three in four attendees answer the capacity survey, as the link's form takes it."""
    answered = 0
    for participant in activity.participants.filter(follow_up__isnull=False).select_related(
        "follow_up"
    ):
        follow_up = participant.follow_up
        if rng.random() > 0.75:
            continue
        capacity = rng.choices(["large", "some", "no"], weights=[4, 5, 1])[0]
        form = FollowUpForm(
            {
                "met_practices": str(rng.choices([2, 3, 4, 5], weights=[1, 2, 5, 3])[0]),
                "capacity_increased": capacity,
                "most_useful": rng.choice(USEFUL) if rng.random() < 0.6 else "",
                "use_in_work": rng.choice(USES) if rng.random() < 0.5 else "",
            },
            instance=follow_up,
        )
        if form.is_valid():
            follow_up.record_answer(form.cleaned_data)
            # As if sent two days after the activity was marked held and answered soon after.
            sent = activity.held_at + datetime.timedelta(days=2)
            type(follow_up).objects.filter(pk=follow_up.pk).update(
                sent_at=sent, answered_at=sent + datetime.timedelta(days=rng.randint(0, 9))
            )
            answered += 1
    return answered


USEFUL = [
    "Seeing how the park's team coaches researchers before their first company meeting.",
    "The role play with company lawyers.",
    "Talking to the firms about what they expect from us.",
    "The examples from other regions of how vouchers pay for the first project.",
    "Practising the pitch and the feedback from the panel.",
    "Meeting colleagues from the other regions who have the same problems.",
]
USES = [
    "I will prepare our researchers' first meetings with companies in the same way.",
    "We will change how our office drafts cooperation agreements.",
    "I will propose a pitch training at our institute next semester.",
    "I will use the checklist in my next negotiation.",
]


def seed_activities() -> dict[str, int]:
    """Add the demo activities, participants, paired assessments and capacity answers once."""
    records = content("activities")["activity"]
    if Activity.objects.filter(title__in=[r["title"] for r in records]).exists():
        return {"activities": 0, "participants": 0, "responses": 0, "answers": 0}
    rng = random.Random(SEED)
    now = timezone.now()
    today = timezone.localdate()
    framework = Framework.objects.current()
    competences = list(
        Competence.objects.filter(area__framework=framework).order_by("area__position", "position")
    )
    by_code = {competence.code: competence for competence in competences}
    people = _paired_people(rng)
    # The people with accounts trained at each training, in turn.
    trainees = iter(people["slaskie"])
    trained: dict[int, set[str]] = {}
    added = {"activities": 0, "participants": 0, "responses": 0, "answers": 0}
    held = []
    with transaction.atomic():
        for record in records:
            activity = _create_activity(record, today, by_code)
            added["activities"] += 1
            region = REGION_OF_PARTNER[record["host"]]
            accounts = [next(trainees) for _ in range(record.get("accounts", 0))]
            for user in accounts:
                trained.setdefault(user.pk, set()).update(record["competences"])
            if record["participants"] or accounts:
                _proposer, coordinator = _proposer_and_confirmer(activity.host_partner)
                result = import_participants(
                    activity, _participants_file(record, region, accounts, rng), by=coordinator
                )
                added["participants"] += len(result.added)
            if activity.status == Activity.Status.HELD:
                # Nine in ten of those registered came.
                came = [
                    pk
                    for pk in activity.participants.values_list("pk", flat=True)
                    if rng.random() < 0.9
                ]
                confirm_attendance(activity, came)
                held.append(activity)
        added["responses"] = _paired_responses(people, trained, competences, rng, now)
    # The capacity survey goes out as the beat sends it, then people answer the link.
    with tasks_run_here():
        tasks.send_due()
    for activity in held:
        added["answers"] += _answer_follow_ups(activity, rng)
    return added
