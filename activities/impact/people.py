"""The people the two people indicators count, as rows the indicators and their evidence
read: {"person", "name", "date", "region_id", "activity_id"}, one row per person.

The counts themselves belong to the capacity survey
(activities.capacity.results.people_with_increased_capacity) and to the competence change
(surveys.analysis.change.people_whose_level_rose); this module only reads them in one
shape, in one query each (and one for the names of the people whose level rose).
"""

import datetime

from django.db.models import CharField, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext

from partners.models import User
from surveys.analysis.change import people_whose_level_rose

from ..capacity.results import people_with_increased_capacity


def increased_capacity(start: datetime.date, end: datetime.date, region_ids=None) -> list[dict]:
    """People with increased professional capacity who first counted in [start, end], with
    the activity and its region where they first counted."""
    rows = (
        people_with_increased_capacity(start=start, end=end, region_ids=region_ids)
        .annotate(
            # A name only: the evidence page lists people, never their email addresses.
            display=Coalesce(
                NullIf("name", Value("")),
                NullIf("user__name", Value("")),
                Value(""),
                output_field=CharField(),
            )
        )
        .values(
            "person",
            "display",
            "user__email",
            "first_counted_at",
            "activity__region_id",
            "activity_id",
        )
    )
    zone = timezone.get_current_timezone()
    return [
        {
            "person": row["person"],
            "name": row["display"] or gettext("(no name given)"),
            "date": row["first_counted_at"].astimezone(zone).date(),
            "region_id": row["activity__region_id"],
            "activity_id": row["activity_id"],
        }
        for row in rows
    ]


def level_rose(
    start: datetime.date, end: datetime.date, region_ids=None, *, names: bool = False
) -> list[dict]:
    """People whose self-assessed level rose in at least one area, first in [start, end];
    with `names`, their names too (one more query)."""
    rises = people_whose_level_rose(start=start, end=end, region_ids=region_ids)
    named = {}
    if names and rises:
        named = {
            pk: name or gettext("(no name given)")
            for pk, name in User.objects.filter(
                pk__in=[rise.person_id for rise in rises]
            ).values_list("pk", "name")
        }
    # The zone once, not per person (timezone.localdate looks it up each time): tens of
    # thousands of people at a hundred times the consortium.
    zone = timezone.get_current_timezone()
    return [
        {
            "person": rise.person_id,
            "name": named.get(rise.person_id, ""),
            "date": rise.rose_at.astimezone(zone).date(),
            "region_id": rise.region_id,
            "activity_id": None,
        }
        for rise in rises
    ]
