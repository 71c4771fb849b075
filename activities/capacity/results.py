"""What the capacity survey shows: an activity's results under the suppression rules of
DESIGN.md section 1, and "people with increased professional capacity", each person counted
once across all activities.

An activity's figures are released in steps of `MINIMUM` answers: they are computed over the
first answers in the order they came, a multiple of 5 of them, so that the figures of two
moments never differ by 1 to 4 people. An answer is given once and not changed afterwards,
so a released figure never moves.
"""

from dataclasses import dataclass

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber

from surveys.analysis import MINIMUM, SUPPRESSED, Suppressed, hide_recoverable

from ..models import AGREEMENT, Activity, CapacityAnswer, CapacityFollowUp, Participant, person_key

# Free-text answers need this many answers (DESIGN.md section 1).
TEXT_MINIMUM = 10


@dataclass(frozen=True)
class Bar:
    value: str
    label: str
    count: int | Suppressed


@dataclass
class ActivityResults:
    answers: int | Suppressed  # the answers released (a multiple of 5), or "fewer than 5"
    met_practices: list[Bar]
    capacity_increased: list[Bar]
    most_useful: list[str]
    use_in_work: list[str]

    @property
    def shown(self) -> bool:
        return not isinstance(self.answers, Suppressed)

    @property
    def texts_shown(self) -> bool:
        return self.shown and self.answers >= TEXT_MINIMUM


def released(follow_ups, answered: int):
    """The first answers, a multiple of MINIMUM of them, in the order they came."""
    size = answered - answered % MINIMUM
    return follow_ups.order_by("answered_at", "pk").values("pk")[:size]


def _bars(choices, counts: dict) -> list[Bar]:
    hidden = hide_recoverable(counts)
    return [
        Bar(str(value), str(label), SUPPRESSED if value in hidden else counts[value])
        for value, label in choices
    ]


def activity_results(activity: Activity) -> ActivityResults:
    """The results of one activity's capacity survey: three queries at most."""
    follow_ups = CapacityFollowUp.objects.answered().filter(participant__activity=activity)
    answered = follow_ups.count()
    if answered < MINIMUM:
        return ActivityResults(SUPPRESSED, [], [], [], [])
    counted = CapacityFollowUp.objects.filter(pk__in=released(follow_ups, answered))
    aggregates = {
        f"met_{value}": Count("pk", filter=Q(met_practices=value)) for value, _ in AGREEMENT
    }
    aggregates |= {
        f"capacity_{value}": Count("pk", filter=Q(capacity_increased=value))
        for value in CapacityAnswer.values
    }
    aggregates["total"] = Count("pk")
    figures = counted.aggregate(**aggregates)
    met = {value: figures[f"met_{value}"] for value, _ in AGREEMENT}
    capacity = {value: figures[f"capacity_{value}"] for value in CapacityAnswer.values}
    results = ActivityResults(
        answers=figures["total"],
        met_practices=_bars(AGREEMENT, met),
        capacity_increased=_bars(CapacityAnswer.choices, capacity),
        most_useful=[],
        use_in_work=[],
    )
    if results.texts_shown:
        # Without names, in the order of the texts themselves: nothing says whose is whose.
        texts = counted.values_list("most_useful", "use_in_work")
        results.most_useful = sorted(
            (useful for useful, _use in texts if useful.strip()), key=str.lower
        )
        results.use_in_work = sorted((use for _useful, use in texts if use.strip()), key=str.lower)
    return results


def people_with_increased_capacity(start=None, end=None, region_ids=None):
    """People with increased professional capacity: one row per person, where they first
    counted.

    A person is their account, or the lower-case email of a guest (`person_key`); they count
    from their earliest answer "to a large degree" or "to some degree" in the capacity survey
    of a confirmed, held activity, and only once across all activities.

    Returns a queryset of `Participant` rows, one per person: the participation where they
    first counted, annotated with `person` (the person key) and `first_counted_at` (that
    answer's `answered_at`). Its `activity_id` and `activity.region_id` are the activity and
    region where they first counted. Everything runs in SQL; e.g. `.count()`, or
    `.values("activity__region").annotate(people=Count("pk"))`.

    - `start`, `end`: dates (both included, in the site's time zone): only people whose
      first count falls in the period; someone who first counted before `start` is not
      counted again in a later period.
    - `region_ids`: only people whose first count was at an activity of these regions (the
      regions' counts add up to the consortium's).
    """
    counting = Participant.objects.filter(
        activity__in=Activity.objects.counted(),
        follow_up__in=CapacityFollowUp.objects.increased(),
    ).annotate(
        rank=Window(
            RowNumber(),
            partition_by=[person_key()],
            order_by=[F("follow_up__answered_at").asc(), F("pk").asc()],
        )
    )
    first = counting.filter(rank=1).values("pk")
    people = Participant.objects.filter(pk__in=first).annotate(
        person=person_key(), first_counted_at=F("follow_up__answered_at")
    )
    if start is not None:
        people = people.filter(follow_up__answered_at__date__gte=start)
    if end is not None:
        people = people.filter(follow_up__answered_at__date__lte=end)
    if region_ids is not None:
        people = people.filter(activity__region_id__in=region_ids)
    return people.order_by("first_counted_at", "pk")
