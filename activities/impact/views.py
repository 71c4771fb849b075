"""/impact/: the project's indicators for coordinators (targets, achieved values by region
and over time, the evidence behind each), the policy instruments, the progress-report
export, and the public impact page.

Only coordinators (regional and consortium) open the coordinators' pages: a visitor is sent
to sign in, anyone else signed in gets 403. Names of the people counted are shown only to
those who may see participants' personal data (activities/access.py): the host region's
coordinators and the consortium coordinator.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partners.models import Region
from partners.permissions import coordinates_region, require_coordinator, roles_of
from practices.models import GoodPractice
from surveys.reports import pipeline

from ..models import Activity, Indicator, Kind, PolicyInstrument
from . import indicators
from .charts import progress_chart
from .forms import PeriodForm, PolicyInstrumentForm, ProgressReportForm, TargetsForm


def _period_form(request: HttpRequest) -> PeriodForm:
    if "start" in request.GET or "end" in request.GET:
        return PeriodForm(request.GET)
    return PeriodForm(
        initial={"start": indicators.PROJECT_START_DATE, "end": indicators.PROJECT_END_DATE}
    )


@login_required
def index(request: HttpRequest) -> HttpResponse:
    require_coordinator(request.user, hide=False)
    form = _period_form(request)
    period = form.period
    regions = list(Region.objects.order_by("name"))
    figures = indicators.figures(period, regions=regions, viewer=request.user)
    for figure in figures:
        if figure.counts is not None:
            figure.chart = progress_chart(figure, chart_id=f"progress-{figure.indicator}")
    # One row per region, one value per indicator (None: not measured).
    region_rows = [
        (
            region,
            [None if figure.counts is None else figure.by_region[index][1] for figure in figures],
        )
        for index, region in enumerate(regions)
    ]
    roles = roles_of(request.user)
    language = request.user.language or translation.get_language() or settings.LANGUAGE_CODE
    export_form = ProgressReportForm(
        initial={
            "start": period.start,
            "end": period.end,
            "kind": "progress_pdf",
            "language": language,
        },
        user=request.user,
    )
    return render(
        request,
        "activities/impact/index.html",
        {
            "form": form,
            "period": period,
            "figures": figures,
            "region_rows": region_rows,
            "may_edit_targets": roles.is_consortium_coordinator,
            "export_form": export_form,
            "query": request.GET.urlencode(),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@login_required
def evidence(request: HttpRequest, indicator: str) -> HttpResponse:
    require_coordinator(request.user, hide=False)
    if indicator not in Indicator.values:
        raise Http404
    form = _period_form(request)
    period = form.period
    regions = list(Region.objects.order_by("name"))
    figure = indicators.figure_of(indicator, period, viewer=request.user)
    context = {
        "form": form,
        "period": period,
        "figure": figure,
        "query": request.GET.urlencode(),
    }
    if indicator in indicators.ACTIVITY_INDICATORS:
        context["activities"] = indicators.counted_activities(indicator, period)
    elif indicator == Indicator.GOOD_PRACTICES:
        context["practices"] = indicators.published_practices(period).select_related(
            "region", "partner"
        )
    else:
        rows = (
            indicators.increased_capacity_people(period)
            if indicator == Indicator.INCREASED_CAPACITY
            else indicators.competence_rose_people(period, names=True)
        )
        if rows is not None:
            people = indicators.people_evidence(
                rows,
                regions,
                request.user,
                consortium_wide=indicator == Indicator.COMPETENCE_ROSE,
            )
            titles = dict(
                Activity.objects.filter(
                    pk__in={row["activity_id"] for row in people.named if row["activity_id"]}
                ).values_list("pk", "title")
            )
            for row in people.named:
                row["activity_title"] = titles.get(row["activity_id"], "")
            context["people"] = people
    return render(
        request,
        "activities/impact/evidence.html",
        context,
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@login_required
def targets(request: HttpRequest) -> HttpResponse:
    """The consortium coordinator sets the targets; everyone else is refused (403)."""
    require_coordinator(request.user, hide=False)
    if not roles_of(request.user).is_consortium_coordinator:
        raise PermissionDenied
    if request.method == "POST":
        form = TargetsForm(request.POST)
        if form.is_valid():
            form.save(by=request.user)
            messages.success(request, _("The targets are saved."))
            return redirect("impact:index")
        status = 400
    else:
        form = TargetsForm()
        status = 200
    return render(request, "activities/impact/targets.html", {"form": form}, status=status)


# Policy instruments -------------------------------------------------------------------------


@login_required
def instruments(request: HttpRequest) -> HttpResponse:
    require_coordinator(request.user, hide=False)
    instruments = PolicyInstrument.objects.select_related("region", "evidence_brief").order_by(
        "region__name", "name", "pk"
    )
    roles = roles_of(request.user)
    editable = None if roles.is_consortium_coordinator else set(roles.coordinated_region_ids)
    rows = [
        (instrument, editable is None or instrument.region_id in editable)
        for instrument in instruments
    ]
    return render(
        request,
        "activities/impact/instruments.html",
        {"rows": rows, "may_add": editable is None or bool(editable)},
    )


def _get_instrument_for_user(request: HttpRequest, pk: int) -> PolicyInstrument:
    """The instrument, for a coordinator of its region (or the consortium's); 403 for the
    other coordinators, who see it in the list but do not keep it."""
    require_coordinator(request.user, hide=False)
    instrument = get_object_or_404(PolicyInstrument.objects.select_related("region"), pk=pk)
    if not coordinates_region(request.user, instrument.region):
        raise PermissionDenied
    return instrument


def _instrument_form(request: HttpRequest, instrument: PolicyInstrument | None) -> HttpResponse:
    if request.method == "POST":
        form = PolicyInstrumentForm(request.POST, instance=instrument, user=request.user)
        if form.is_valid():
            saved = form.save(commit=False)
            saved.updated_by = request.user
            saved.save()
            messages.success(request, _("The policy instrument is saved."))
            return redirect("impact:instruments")
        status = 400
    else:
        form = PolicyInstrumentForm(instance=instrument, user=request.user)
        status = 200
    return render(
        request,
        "activities/impact/instrument_form.html",
        {"form": form, "instrument": instrument},
        status=status,
    )


@login_required
def instrument_new(request: HttpRequest) -> HttpResponse:
    require_coordinator(request.user, hide=False)
    return _instrument_form(request, None)


@login_required
def instrument_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _instrument_form(request, _get_instrument_for_user(request, pk))


# The progress report ------------------------------------------------------------------------


@login_required
@require_POST
def export(request: HttpRequest) -> HttpResponse:
    """Ask for a progress report: made in the background by the report pipeline."""
    require_coordinator(request.user, hide=False)
    form = ProgressReportForm(request.POST, user=request.user)
    if not form.is_valid():
        return render(request, "activities/impact/export.html", {"export_form": form}, status=400)
    report, existing = pipeline.request_report(
        user=request.user,
        region=form.cleaned_data["region"],
        campaigns=[],
        filters={
            "start": form.cleaned_data["start"].isoformat(),
            "end": form.cleaned_data["end"].isoformat(),
        },
        language=form.cleaned_data["language"],
        kind=form.cleaned_data["kind"],
    )
    if existing:
        messages.info(
            request,
            _(
                "The same progress report was asked for in the last 24 hours and the data has "
                "not changed since: here it is. Use “Render again” for a new version."
            ),
        )
    else:
        messages.success(request, _("Your progress report is on its way."))
    return redirect(report)


# The public page ----------------------------------------------------------------------------


def public(request: HttpRequest) -> HttpResponse:
    """Aggregate figures of the whole project, for anyone: no names, no per-activity
    counts of people, and people counted in steps of 5."""
    held = dict(
        Activity.objects.counted()
        .values("kind")
        .annotate(number=Count("pk"))
        .order_by()
        .values_list("kind", "number")
    )
    period = indicators.Period.project()
    people = indicators.rounded_people(len(indicators.increased_capacity_people(period)))
    return render(
        request,
        "activities/impact/public.html",
        {
            "held": [(label, held.get(kind, 0)) for kind, label in Kind.choices],
            "practices": GoodPractice.objects.published().count(),
            "people": people,
            "people_in_words": not isinstance(people, int),
            "improved": PolicyInstrument.objects.filter(
                status=PolicyInstrument.Status.IMPROVED
            ).count(),
        },
    )
