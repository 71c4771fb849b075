"""The participants of an activity, at /activities/<pk>/participants/: the list with counts by
type, adding one, a CSV import, attendance after the event, removing one.

Only the host region's coordinators and the consortium coordinator come here
(`get_activity_for_user(..., personal_data=True)`): names and emails appear nowhere else.
The list says who was sent the capacity follow-up, never who answered it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..access import ActivityAccess, get_activity_for_user
from ..models import CapacityFollowUp, Participant, ParticipantType
from . import imports
from .forms import AttendanceForm, ParticipantForm, ParticipantUploadForm


def counts_by_type(activity) -> list[dict]:
    """Participants and attendees per type, every type listed, in one query."""
    found = {
        row["type"]: row
        for row in activity.participants.values("type").annotate(
            total=Count("pk"), came=Count("pk", filter=Q(attended=True))
        )
    }
    return [
        {
            "type": code,
            "label": label,
            "total": found.get(code, {}).get("total", 0),
            "came": found.get(code, {}).get("came", 0),
        }
        for code, label in ParticipantType.choices
    ]


def _render(
    request: HttpRequest,
    access: ActivityAccess,
    *,
    add_form=None,
    upload_form=None,
    status: int = 200,
) -> HttpResponse:
    activity = access.activity
    participants = activity.participants.select_related("user", "follow_up").order_by(
        "name", "email", "pk"
    )
    counts = counts_by_type(activity)
    context = {
        "activity": activity,
        "access": access,
        "participants": participants,
        "counts": counts,
        "total": sum(row["total"] for row in counts),
        "total_came": sum(row["came"] for row in counts),
        "add_form": add_form or ParticipantForm(),
        "upload_form": upload_form or ParticipantUploadForm(),
        "can_confirm_attendance": activity.status == activity.Status.HELD,
    }
    return render(request, "activities/participants/list.html", context, status=status)


@login_required
def participant_list(request: HttpRequest, pk: int) -> HttpResponse:
    return _render(request, get_activity_for_user(request, pk, personal_data=True))


@login_required
@require_POST
def add(request: HttpRequest, pk: int) -> HttpResponse:
    access = get_activity_for_user(request, pk, personal_data=True)
    form = ParticipantForm(request.POST)
    if not form.is_valid():
        return _render(request, access, add_form=form, status=400)
    data = form.cleaned_data
    row = imports.Row(
        line=0,
        name=data["name"],
        email=data["email"],
        organisation=data["organisation"],
        type=data["type"],
    )
    try:
        added, duplicates = imports.add_participants(access.activity, [row], by=request.user)
    except IntegrityError:
        duplicates = 1
    if duplicates:
        form.add_error("email", _("This person is already a participant."))
        return _render(request, access, add_form=form, status=400)
    participant = added[0]
    if participant.user_id:
        messages.success(request, _("Participant added and linked to their account."))
    else:
        messages.success(request, _("Participant added as a guest."))
    return redirect("activities:participants", access.activity.pk)


@login_required
@require_POST
def import_csv(request: HttpRequest, pk: int) -> HttpResponse:
    access = get_activity_for_user(request, pk, personal_data=True)
    form = ParticipantUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, access, upload_form=form, status=400)
    try:
        result = imports.import_participants(
            access.activity, form.cleaned_data["file"].read(), by=request.user
        )
    except imports.csvfiles.CSVFileError as error:
        form.add_error("file", str(error))
        return _render(request, access, upload_form=form, status=400)
    # A file mostly read is a success; the lines left out are listed beside it.
    if result.added or result.duplicates or not result.skipped:
        messages.success(request, result.summary())
    if result.skipped:
        messages.warning(request, result.skipped_summary())
    return redirect("activities:participants", access.activity.pk)


@login_required
@require_POST
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    access = get_activity_for_user(request, pk, personal_data=True)
    activity = access.activity
    if activity.status != activity.Status.HELD:
        messages.error(request, _("Attendance is confirmed once the activity is marked held."))
        return redirect("activities:participants", activity.pk)
    form = AttendanceForm(request.POST, activity=activity)
    if not form.is_valid():
        messages.error(request, _("The list of participants changed; please try again."))
        return redirect("activities:participants", activity.pk)
    came = imports.confirm_attendance(
        activity, [participant.pk for participant in form.cleaned_data["attended"]]
    )
    messages.success(
        request,
        _("Attendance confirmed: %(came)s of %(total)s attended.")
        % {"came": came, "total": activity.participants.count()},
    )
    return redirect("activities:participants", activity.pk)


@login_required
@require_POST
def remove(request: HttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    access = get_activity_for_user(request, pk, personal_data=True)
    participant = get_object_or_404(Participant, pk=participant_pk, activity=access.activity)
    # An answer to the capacity survey is evidence behind the indicators: it stays.
    if CapacityFollowUp.objects.filter(participant=participant, answered_at__isnull=False).exists():
        messages.error(
            request,
            _(
                "%(name)s answered the capacity survey, and the answer counts in the project's "
                "indicators, so they stay on the list."
            )
            % {"name": participant.display_name},
        )
        return redirect("activities:participants", access.activity.pk)
    with transaction.atomic():
        participant.delete()
    messages.success(request, _("Participant removed."))
    return redirect("activities:participants", access.activity.pk)
