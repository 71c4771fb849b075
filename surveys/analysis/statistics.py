"""The stored sufficient statistics (surveys.models.AnswerStatistics) behind every figure:
computed once per campaign and state of its counted responses, in two scans with GROUPING
SETS (all respondents, each background value, each pair of values of two fields), and
added up by the analysis, so that a figure never reads the answers themselves."""

from collections.abc import Sequence

from django.db import connection, transaction
from django.utils import timezone

from ..models import AnswerStatistics, Campaign, Response

FIELDS = ("organisation_type", "role", "experience", "age_band")
SUMS = (
    "respondents",
    "current_n",
    "current_sum",
    "current_squares",
    "importance_n",
    "importance_sum",
    "importance_squares",
    "required_n",
    "required_sum",
    "required_squares",
    "pairs",
    "gap_sum",
    "gap_squares",
    "pair_importance_sum",
)
# What each kind of survey asks: a self-assessment no required level, a demand survey only it.
SELF_SUMS = tuple(name for name in SUMS if not name.startswith("required_"))
DEMAND_SUMS = ("respondents", "required_n", "required_sum", "required_squares")
COLUMNS = ", ".join(("campaign_id", "state", "competence_code", *FIELDS, *SUMS))
# All respondents, each background value, and each pair of values of two fields (a
# filtered breakdown).
GROUPS = """GROUPING SETS ((), (r.organisation_type), (r.role), (r.experience), (r.age_band),
    (r.organisation_type, r.role), (r.organisation_type, r.experience),
    (r.organisation_type, r.age_band), (r.role, r.experience), (r.role, r.age_band),
    (r.experience, r.age_band))"""
# The counted responses (surveys.models.responses.counted_in_figures) of a campaign.
COUNTED = """r.campaign_id = %(campaign)s AND r.status = %(submitted)s
    AND (r.released OR %(closed)s)"""
ANSWERS_SQL = f"""
    INSERT INTO surveys_answerstatistics ({COLUMNS})
    SELECT %(campaign)s, %(state)s, c.code, r.organisation_type, r.role, r.experience,
        r.age_band, 0,
        count(a.current_level), coalesce(sum(a.current_level), 0),
        coalesce(sum(a.current_level * a.current_level), 0),
        count(a.importance), coalesce(sum(a.importance), 0),
        coalesce(sum(a.importance * a.importance), 0),
        count(a.required_level), coalesce(sum(a.required_level), 0),
        coalesce(sum(a.required_level * a.required_level), 0),
        count(a.importance - a.current_level), coalesce(sum(a.importance - a.current_level), 0),
        coalesce(sum((a.importance - a.current_level) * (a.importance - a.current_level)), 0),
        coalesce(sum(a.importance) FILTER (WHERE a.current_level IS NOT NULL), 0)
    FROM surveys_answer a
    JOIN surveys_response r ON r.id = a.response_id
    JOIN surveys_competence c ON c.id = a.competence_id
    WHERE {COUNTED} AND NOT a.not_applicable
    GROUP BY c.code, {GROUPS}
"""  # noqa: S608 - built from this module's constants only
RESPONDENTS_SQL = f"""
    INSERT INTO surveys_answerstatistics ({COLUMNS})
    SELECT %(campaign)s, %(state)s, '', r.organisation_type, r.role, r.experience,
        r.age_band, count(*), {", ".join(["0"] * (len(SUMS) - 1))}
    FROM surveys_response r
    WHERE {COUNTED}
    GROUP BY {GROUPS}
"""  # noqa: S608 - built from this module's constants only


def fingerprint(submitted: int, latest: str) -> str:
    return f"{submitted} {latest}"


def refresh(state: dict, counted: Sequence[int]) -> None:
    """Compute the rows of each counted campaign whose stored state is not `state`'s."""
    stored = dict(
        AnswerStatistics.objects.filter(
            campaign_id__in=counted,
            competence_code="",
            **{f"{name}__isnull": True for name in FIELDS},
        ).values_list("campaign_id", "state")
    )
    for pk in counted:
        if stored.get(pk) != fingerprint(*state[pk]):
            _compute(pk, fingerprint(*state[pk]))


def _compute(pk: int, state: str) -> None:
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().only("closes_at").get(pk=pk)
        stored = AnswerStatistics.objects.filter(campaign_id=pk)
        if stored.filter(competence_code="", state=state, role__isnull=True).exists():
            return  # computed meanwhile by another request
        stored._raw_delete(stored.db)
        params = {
            "campaign": pk,
            "state": state,
            "submitted": Response.Status.SUBMITTED,
            "closed": campaign.closes_at <= timezone.now(),
        }
        with connection.cursor() as cursor:
            cursor.execute(RESPONDENTS_SQL, params)
            cursor.execute(ANSWERS_SQL, params)


def rows(counted: Sequence[int], respondents: bool | None, **background) -> list[dict]:
    """The stored rows of the campaigns, of respondents, of answers per competence or (None)
    both, for exactly the background columns given: a value, `...` for each value, and a
    field not given is over all its values."""
    where = {
        None: {},
        True: {"competence_code": ""},
        False: {"competence_code__gt": ""},
    }[respondents]
    for name in FIELDS:
        value = background.get(name)
        if value is None:
            where[f"{name}__isnull"] = True
        elif value is not ...:
            where[name] = value
        else:
            where[f"{name}__isnull"] = False
    return list(
        AnswerStatistics.objects.filter(campaign_id__in=counted, **where).values(
            "campaign_id", "competence_code", *FIELDS, *SUMS
        )
    )


def forget() -> None:
    """Drop every stored row (after a change that the responses' state does not show)."""
    stored = AnswerStatistics.objects.all()
    stored._raw_delete(stored.db)
