"""The activity pages: the list, an activity's page, proposing and editing, confirming,
marking held or cancelled, and the activity's documents. Every view asks activities/access.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partners.permissions import coordinates_region
from practices import access as practice_access
from practices.models import PolicyBrief
from socore.lib import downloads
from surveys.analysis import MINIMUM, hide_recoverable

from . import access
from .forms import ActivityForm, DocumentForm, FilterForm
from .models import Activity, ActivityDocument, Participant, Status

PAGE_SIZE = 20


def _visible(user):
    """Public activities for everyone; a member's own and their regions' ones besides."""
    if not user.is_authenticated:
        return Activity.objects.public()
    return access.visible_to(user)


def shown_count(count: int) -> int | None:
    """A count of people as shown: None (“fewer than 5”) below five, zero as zero."""
    return count if count == 0 or count >= MINIMUM else None


def activity_list(request: HttpRequest) -> HttpResponse:
    visible = _visible(request.user)
    form = FilterForm(request.GET or None, activities=visible)
    today = timezone.localdate()
    activities = (
        form.apply(visible)
        .select_related("host_partner", "region")
        .only(
            "pk",
            "kind",
            "title",
            "starts_on",
            "ends_on",
            "place",
            "is_online",
            "status",
            "confirmed_at",
            "host_partner__name",
            "host_partner__short_name",
            "region__name",
            "region__country",
        )
        .annotate(attended=Count("participants", filter=Q(participants__attended=True)))
    )
    upcoming = Paginator(
        activities.filter(ends_on__gte=today).order_by("starts_on", "pk"), PAGE_SIZE
    ).get_page(request.GET.get("upcoming"))
    past = Paginator(
        activities.filter(ends_on__lt=today).order_by("-starts_on", "-pk"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    for page in (upcoming, past):
        for activity in page:
            activity.attended_shown = shown_count(activity.attended)
    return render(
        request,
        "activities/list.html",
        {"form": form, "upcoming": upcoming, "past": past, "page": past},
    )


def _participant_counts(activity: Activity) -> tuple[list, int | None]:
    """(type label, count or None) of those who attended, and the total; a type is hidden
    below five, and so is the next smallest where it could be worked out from the total."""
    rows = (
        Participant.objects.filter(activity=activity, attended=True)
        .values("type")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {row["type"]: row["n"] for row in rows}
    total = sum(counts.values())
    hidden = hide_recoverable(counts)
    by_type = [
        (label, None if value in hidden else counts[value])
        for value, label in Participant.Type.choices
        if value in counts
    ]
    return by_type, shown_count(total)


def _briefs_shown(user, activity: Activity) -> list[PolicyBrief]:
    briefs = activity.briefs.order_by("title")
    return [
        brief
        for brief in briefs
        if brief.status == PolicyBrief.Status.PUBLISHED
        or practice_access.can_view_brief(user, brief)
    ]


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity_access = access.get_activity_for_user(request, pk)
    return _render_detail(request, activity_access)


def _render_detail(request, activity_access, document_form=None, status=200) -> HttpResponse:
    activity = activity_access.activity
    by_type, total = _participant_counts(activity)
    context = {
        "activity": activity,
        "access": activity_access,
        "competences": activity.competences.select_related("area").order_by(
            "area__position", "position"
        ),
        "practices": activity.practices.filter(
            pk__in=practice_access.visible_to(request.user).values("pk")
        )
        .select_related("region")
        .order_by("title"),
        "briefs": _briefs_shown(request.user, activity),
        "documents": activity.documents.select_related("uploaded_by"),
        "participants_by_type": by_type,
        "participants_total": total,
        "can_mark_held": activity_access.can_edit
        and activity.is_confirmed
        and activity.status == Status.PLANNED,
        "can_cancel": activity_access.can_edit and activity.status == Status.PLANNED,
    }
    if activity_access.can_upload:
        context["document_form"] = document_form or DocumentForm()
    return render(request, "activities/detail.html", context, status=status)


@login_required
def create(request: HttpRequest) -> HttpResponse:
    if not access.host_partners_of(request.user):
        raise PermissionDenied
    form = ActivityForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.instance.created_by = request.user
            activity = form.save()
            if coordinates_region(request.user, activity.region):
                activity.confirm(by=request.user)
        if activity.is_confirmed:
            messages.success(request, _("The activity is saved and confirmed."))
        else:
            messages.success(
                request,
                _(
                    "The activity is proposed: it is shown to others once a coordinator "
                    "of its region confirms it."
                ),
            )
        return redirect(activity)
    return render(request, "activities/form.html", {"form": form, "activity": None})


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = access.get_activity_for_user(request, pk, edit=True).activity
    form = ActivityForm(request.POST or None, instance=activity, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Changes saved."))
        return redirect(activity)
    return render(request, "activities/form.html", {"form": form, "activity": activity})


@login_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    activity_access = access.get_activity_for_user(request, pk)
    activity = activity_access.activity
    if not activity_access.coordinates:
        raise PermissionDenied
    if activity.is_confirmed:
        messages.info(request, _("The activity was already confirmed."))
        return redirect(activity)
    activity.confirm(by=request.user)
    messages.success(request, _("The activity is confirmed."))
    return redirect(activity)


@login_required
@require_POST
def mark_held(request: HttpRequest, pk: int) -> HttpResponse:
    activity = access.get_activity_for_user(request, pk, edit=True).activity
    if not activity.is_confirmed:
        messages.error(request, _("Only a confirmed activity can be marked held."))
    elif activity.status != Status.PLANNED:
        messages.error(
            request,
            _("Only a planned activity can be marked held; this one is “%(status)s”.")
            % {"status": activity.get_status_display()},
        )
    elif activity.starts_on > timezone.localdate():
        messages.error(request, _("An activity can be marked held from its first day on."))
    else:
        activity.mark_held()
        messages.success(request, _("The activity is marked held."))
    return redirect(activity)


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    activity = access.get_activity_for_user(request, pk, edit=True).activity
    if activity.status != Status.PLANNED:
        messages.error(
            request,
            _("Only a planned activity can be cancelled; this one is “%(status)s”.")
            % {"status": activity.get_status_display()},
        )
    else:
        activity.cancel()
        messages.success(request, _("The activity is cancelled."))
    return redirect(activity)


@login_required
@require_POST
def upload_document(request: HttpRequest, pk: int) -> HttpResponse:
    activity_access = access.get_activity_for_user(request, pk)
    if not activity_access.can_upload:
        raise PermissionDenied
    activity = activity_access.activity
    form = DocumentForm(request.POST, request.FILES, existing=activity.documents.count())
    if not form.is_valid():
        return _render_detail(request, activity_access, document_form=form, status=400)
    checked = form.cleaned_data["file"]
    document = ActivityDocument(
        activity=activity,
        kind=form.cleaned_data["kind"],
        name=checked.name,
        content_type=checked.content_type,
        size=len(checked.data),
        uploaded_by=request.user,
    )
    document.file.save(checked.name, ContentFile(checked.data), save=False)
    document.save()
    messages.success(request, _("“%(name)s” added.") % {"name": document.name})
    return redirect(f"{activity.get_absolute_url()}#documents-heading")


def document(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    activity = access.get_activity_for_user(request, pk).activity
    item = get_object_or_404(ActivityDocument, pk=document_pk, activity=activity)
    return downloads.uploaded_file(item.file, content_type=item.content_type, filename=item.name)


@login_required
@require_POST
def delete_document(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    activity_access = access.get_activity_for_user(request, pk)
    activity = activity_access.activity
    item = get_object_or_404(ActivityDocument, pk=document_pk, activity=activity)
    uploader = activity_access.can_upload and item.uploaded_by_id == request.user.pk
    if not (uploader or activity_access.coordinates):
        raise PermissionDenied
    storage, name = item.file.storage, item.file.name
    item.delete()
    # The file goes once the row is gone for good: a rolled-back delete keeps both.
    transaction.on_commit(lambda: storage.delete(name))
    messages.success(request, _("“%(name)s” removed.") % {"name": item.name})
    return redirect(f"{activity.get_absolute_url()}#documents-heading")
