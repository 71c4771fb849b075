"""The competence change of an activity's participants, for those who see their personal
data (the host region's coordinators and the consortium coordinator).

Participants with an account are paired: their latest counted self-assessment submitted
before the activity's first day against their earliest from the day after its last day
(surveys.analysis.change.AroundDates), with the same suppression as every other change.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from surveys.analysis.change import AroundDates, compute

from ..access import get_activity_for_user


@login_required
def change(request: HttpRequest, pk: int) -> HttpResponse:
    access = get_activity_for_user(request, pk, personal_data=True)
    activity = access.activity
    people = activity.participants.filter(user__isnull=False).values_list("user_id", flat=True)
    pairing = AroundDates.of_days(people, activity.starts_on, activity.ends_on)
    context = {
        "activity": activity,
        "change": compute(pairing),
        "change_caption": _("Change of the participants' current level: %(title)s")
        % {"title": activity.title},
    }
    return render(request, "activities/change/change.html", context)
