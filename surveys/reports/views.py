"""/reports/requests/: asking for a regional report, following it, downloading it.

Every view of one request goes through `get_report_for_user`; the download checks it on
every request, so a link that travels (email, chat) opens for nobody else.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partners.permissions import require_coordinator, roles_of

from ..models import Response
from ..models.reports import ReportRequest, private_storage
from . import document, exports, pipeline
from .forms import ReportRequestForm, initial_from_query

# htmx stops polling when an answer carries this status.
STOP_POLLING = 286
POLL_SECONDS = 2


def get_report_for_user(request, pk: int) -> ReportRequest:
    """The request, for the current coordinators of its region and the consortium's; 404 for
    everyone else, its former requester too."""
    try:
        report = (
            ReportRequest.objects.visible_to(request.user)
            .select_related("region", "requested_by")
            .get(pk=pk)
        )
    except ReportRequest.DoesNotExist:
        raise Http404 from None
    return report


@login_required
def request_list(request):
    require_coordinator(request.user, hide=True)
    requests = (
        ReportRequest.objects.visible_to(request.user)
        .select_related("region", "requested_by")
        .order_by("-created_at", "-pk")[:200]
    )
    return render(
        request,
        "surveys/reports/list.html",
        {"requests": requests, "may_request": roles_of(request.user).is_coordinator},
    )


@login_required
def new(request):
    if not roles_of(request.user).is_coordinator:
        raise Http404
    if request.method == "POST":
        form = ReportRequestForm(request.POST, user=request.user)
        if form.is_valid():
            report, existing = pipeline.request_report(
                user=request.user,
                region=form.cleaned_data["region"],
                campaigns=list(form.cleaned_data["campaigns"]),
                filters=form.filters,
                language=form.cleaned_data["language"],
                kind=form.cleaned_data["kind"],
                columns=form.cleaned_data["columns"],
            )
            if existing:
                messages.info(
                    request,
                    _(
                        "The same report was asked for in the last 24 hours and the data has "
                        "not changed since: here it is. Use “Render again” for a new version."
                    ),
                )
            else:
                messages.success(request, _("Your report is on its way."))
            return redirect(report)
        status = 400
    else:
        language = request.user.language or translation.get_language() or settings.LANGUAGE_CODE
        form = ReportRequestForm(
            initial=initial_from_query(request.GET, language), user=request.user
        )
        status = 200
    return render(request, "surveys/reports/new.html", {"form": form}, status=status)


def _versions(request, report: ReportRequest):
    return (
        ReportRequest.objects.visible_to(request.user)
        .filter(subject=report.subject)
        .exclude(pk=report.pk)
        .select_related("region")
        .order_by("-version")
    )


def export_columns(report: ReportRequest) -> list[str]:
    """The labels of an answers export's background columns."""
    return [
        str(Response._meta.get_field(name).verbose_name).capitalize()
        for name in report.export_columns
    ]


@login_required
def detail(request, pk: int):
    report = get_report_for_user(request, pk)
    context = {"report": report, "poll_seconds": POLL_SECONDS}
    if report.summary:
        summary = exports.ExportSummary(**report.summary)
        context |= {"summary": summary, "left_out": summary.reasons()}
    if request.htmx:
        # The progress fragment only; once the render has ended, polling stops.
        status = 200 if report.is_pending else STOP_POLLING
        return render(request, "surveys/reports/_status.html", context, status=status)
    context["versions"] = _versions(request, report)
    context["campaigns"] = report.campaigns.select_related("survey").order_by("opens_at")
    context["filters"] = document.background_labels(report.background_filter)
    if report.is_answers_export:
        context["columns"] = export_columns(report)
    return render(request, "surveys/reports/detail.html", context)


@login_required
def download(request, pk: int):
    report = get_report_for_user(request, pk)
    if not report.is_ready:
        raise Http404
    try:
        handle = private_storage().open(report.file, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=report.download_name())
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def render_again(request, pk: int):
    report = get_report_for_user(request, pk)
    new_version = pipeline.render_again(report, request.user)
    messages.success(
        request,
        _("Version %(version)s is on its way; the earlier versions stay available.")
        % {"version": new_version.version},
    )
    return redirect(new_version)
