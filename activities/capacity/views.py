"""The programme's capacity survey: the follow-up page a participant opens from the email
(no sign-in: the unguessable token is the key), and an activity's results for those who
manage its participants.

An answer is given once: opening the link again after answering shows that it was received
(the released figures never move afterwards; see results.py). The follow-up page is never
indexed, never cached, and sends no referrer, so the token in its address goes nowhere; like
the survey's personal links it is not rate-limited (a token of 192 random bits cannot be
guessed).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .. import tasks
from ..access import get_activity_for_user
from ..models import CapacityFollowUp
from . import results
from .forms import FollowUpForm


def _private(response: HttpResponse) -> HttpResponse:
    # The site's Referrer-Policy (same-origin) keeps the link from other sites; no-referrer
    # would make the browser send "Origin: null" with the answers, which CSRF refuses.
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
def follow_up(request: HttpRequest, token: str) -> HttpResponse:
    follow_up = get_object_or_404(
        CapacityFollowUp.objects.select_related("participant__activity"), token=token
    )
    activity = follow_up.participant.activity
    language = follow_up.language or translation.get_language()
    with translation.override(language):
        if follow_up.answered_at is not None:
            response = render(
                request,
                "activities/capacity/thanks.html",
                {"activity": activity, "follow_up": follow_up},
            )
            return _private(response)
        form = FollowUpForm(request.POST or None, instance=follow_up)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            with transaction.atomic():
                # Answered once: a second submission (another tab, a double click) is a no-op.
                CapacityFollowUp.objects.filter(pk=follow_up.pk, answered_at__isnull=True).update(
                    met_practices=data["met_practices"],
                    capacity_increased=data["capacity_increased"],
                    most_useful=data["most_useful"].strip(),
                    use_in_work=data["use_in_work"].strip(),
                    answered_at=timezone.now(),
                )
            return _private(redirect("activities:follow_up", token=follow_up.token))
        response = render(
            request,
            "activities/capacity/follow_up.html",
            {"activity": activity, "follow_up": follow_up, "form": form},
            status=400 if form.errors else 200,
        )
    return _private(response)


@login_required
@require_POST
def send_now(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the follow-up to the attendees not sent it yet, without waiting for the delay."""
    access = get_activity_for_user(request, pk, personal_data=True)
    activity = access.activity
    if not (activity.status == activity.Status.HELD and activity.is_confirmed):
        messages.error(request, _("The follow-up goes out once the activity is marked held."))
        return redirect("activities:capacity", activity.pk)
    transaction.on_commit(lambda: tasks.send_capacity_follow_ups_now.delay(activity.pk))
    messages.success(
        request,
        _("The follow-up is on its way to the attendees who have not been sent it yet."),
    )
    return redirect("activities:capacity", activity.pk)


@login_required
def activity_results(request: HttpRequest, pk: int) -> HttpResponse:
    access = get_activity_for_user(request, pk, personal_data=True)
    activity = access.activity
    context = {
        "activity": activity,
        "results": results.activity_results(activity),
        "sent": CapacityFollowUp.objects.filter(
            participant__activity=activity, sent_at__isnull=False
        ).count(),
        "minimum": results.MINIMUM,
        "text_minimum": results.TEXT_MINIMUM,
        "days_after_held": settings.CAPACITY_SURVEY_DAYS_AFTER_HELD,
        "can_send": activity.status == activity.Status.HELD and activity.is_confirmed,
    }
    return render(request, "activities/capacity/results.html", context)
