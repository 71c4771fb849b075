"""The progress report of a reporting period, of one region or of the consortium: written
by the report pipeline (surveys/reports/pipeline.py) in the background, as CSV, XLSX or PDF.

The pipeline calls the writers registered here (`register`, from activities/apps.py): each
gets the `ReportRequest` row, whose `filters` hold the period ({"start", "end"}) and whose
region (None: every region) limits what is read. Every section is counted in SQL; the three
formats hold the same sections: activities, participants by type, indicators, the capacity
survey's results, practices and briefs of the period. Competence change between a baseline
and a follow-up campaign is not a section: the campaigns are the coordinator's choice on the
competence-change pages; the indicator "people whose self-assessed level rose" is in the
indicators section.

Who may read it: the coordinators of its region, or for a consortium-wide one the
consortium coordinator, who may all see those activities' participants by name; so the
counts of people are exact, and the report holds no names.
"""

import csv
import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Max, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from practices.models import GoodPractice, PolicyBrief
from socore.lib.pdf import html_to_pdf
from surveys.reports.exports import TextOut, append_row, csv_value

from ..models import (
    AGREEMENT,
    Activity,
    CapacityAnswer,
    CapacityFollowUp,
    IndicatorTarget,
    Participant,
    ParticipantType,
    PolicyInstrument,
)
from . import indicators
from .charts import progress_chart

KINDS = ("progress_pdf", "progress_xlsx", "progress_csv")


@dataclass
class Section:
    """One table of the report: a title, a header row and rows."""

    key: str
    title: str
    header: list[str]
    rows: list[list] = field(default_factory=list)
    note: str = ""
    # The column (index) the last column's address links from, in the PDF, where the address
    # is not a column of its own.
    linked: int | None = None

    def pdf_header(self) -> list[str]:
        return self.header if self.linked is None else self.header[:-1]

    def pdf_rows(self) -> list[list[tuple[object, str]]]:
        """Each row as (value, address to link it to, or "")."""
        if self.linked is None:
            return [[(value, "") for value in row] for row in self.rows]
        return [
            [
                (value, row[-1] if index == self.linked else "")
                for index, value in enumerate(row[:-1])
            ]
            for row in self.rows
        ]


def period_of(filters: dict) -> indicators.Period:
    return indicators.Period(
        datetime.date.fromisoformat(filters["start"]), datetime.date.fromisoformat(filters["end"])
    )


def _region_ids(report) -> list[int] | None:
    return None if report.region_id is None else [report.region_id]


def data_state(filters: dict) -> dict:
    """What the report reads, changed by any new or edited activity, participant, answer,
    practice, brief, target or instrument: the same state, the same document."""
    activities = Activity.objects.aggregate(number=Count("pk"), changed=Max("updated_at"))
    participants = Participant.objects.aggregate(
        number=Count("pk"),
        attended=Count("pk", filter=Q(attended=True)),
        answered=Count("follow_up", filter=Q(follow_up__answered_at__isnull=False)),
        last_answer=Max("follow_up__answered_at"),
    )
    return {
        "period": [filters.get("start"), filters.get("end")],
        "activities": activities,
        "participants": participants,
        "practices": GoodPractice.objects.published().aggregate(
            number=Count("pk"), last=Max("published_at")
        ),
        "briefs": PolicyBrief.objects.published().aggregate(
            number=Count("pk"), last=Max("published_at")
        ),
        "targets": IndicatorTarget.objects.aggregate(changed=Max("updated_at")),
        "instruments": PolicyInstrument.objects.aggregate(
            number=Count("pk"), changed=Max("updated_at")
        ),
    }


# The sections ---------------------------------------------------------------------------------


def _activities(period, region_ids):
    activities = (
        Activity.objects.filter(confirmed_at__isnull=False)
        .in_period(period.start, period.end)
        .select_related("host_partner", "region")
        .annotate(attended_count=Count("participants", filter=Q(participants__attended=True)))
        .order_by("starts_on", "pk")
    )
    if region_ids is not None:
        activities = activities.filter(region_id__in=region_ids)
    return activities


def sections(report) -> tuple[indicators.Period, list[indicators.Figure], list[Section]]:
    period = period_of(report.filters)
    region_ids = _region_ids(report)
    site = settings.SITE_URL
    activities = _activities(period, region_ids)
    activity_rows = [
        [
            activity.starts_on.isoformat(),
            activity.ends_on.isoformat(),
            activity.get_kind_display(),
            activity.title,
            activity.host_partner.name,
            activity.region.name,
            activity.get_status_display(),
            activity.attended_count,
            site + activity.get_absolute_url(),
        ]
        for activity in activities
    ]
    counted_activities = Activity.objects.counted().in_period(period.start, period.end)
    if region_ids is not None:
        counted_activities = counted_activities.filter(region_id__in=region_ids)
    participants = Participant.objects.attended().filter(activity__in=counted_activities)
    by_type = dict(
        participants.values("type")
        .annotate(number=Count("pk"))
        .order_by()
        .values_list("type", "number")
    )
    follow_ups = CapacityFollowUp.objects.filter(participant__in=participants)
    survey = follow_ups.aggregate(
        sent=Count("pk", filter=Q(sent_at__isnull=False)),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
        **{
            f"capacity_{value}": Count("pk", filter=Q(capacity_increased=value))
            for value in CapacityAnswer.values
        },
        **{f"met_{value}": Count("pk", filter=Q(met_practices=value)) for value, _l in AGREEMENT},
    )
    figures = indicators.figures(
        period, region_ids=region_ids, viewer=report.requested_by, regions=None
    )
    for figure in figures:
        figure.chart = progress_chart(figure, chart_id=f"report-{figure.indicator}")
    practices = (
        indicators.published_practices(period, region_ids)
        .select_related("region", "partner")
        .order_by("published_at", "pk")
    )
    briefs = PolicyBrief.objects.published().filter(
        published_at__date__gte=period.start, published_at__date__lte=period.end
    )
    if region_ids is not None:
        briefs = briefs.filter(regions__in=region_ids).distinct()
    result = [
        Section(
            "activities",
            _("Activities"),
            [
                _("First day"),
                _("Last day"),
                _("Kind"),
                _("Title"),
                _("Host"),
                _("Region"),
                _("Status"),
                _("Attended"),
                _("Address"),
            ],
            activity_rows,
            _("Confirmed activities whose first day is in the period."),
            linked=3,
        ),
        Section(
            "participants",
            _("Participants by type"),
            [_("Participant type"), _("Participations")],
            [[label, by_type.get(value, 0)] for value, label in ParticipantType.choices],
            _(
                "Attendance confirmed, at the held activities of the period; a person at two "
                "activities counts twice here, once in the indicators."
            ),
        ),
        Section(
            "indicators",
            _("Indicators"),
            [_("Indicator"), _("Target"), _("Achieved"), _("Share of target (%)")],
            [[figure.label, figure.target, figure.achieved, figure.share] for figure in figures],
            _("Targets are the project's commitments for the whole project period."),
        ),
        Section(
            "over_time",
            _("Indicators per reporting period (cumulative)"),
            [_("Indicator"), _("Reporting period"), _("In the period"), _("Cumulative")],
            [
                [figure.label, str(one), in_period, running]
                for figure in figures
                for one, in_period, running in figure.over_time
            ],
        ),
        Section(
            "capacity_survey",
            _("Capacity survey"),
            [_("Question"), _("Answer"), _("Number")],
            [
                [_("Follow-ups"), _("Sent"), survey["sent"]],
                [_("Follow-ups"), _("Answered"), survey["answered"]],
                *[
                    [_("My professional capacity increased"), label, survey[f"capacity_{value}"]]
                    for value, label in CapacityAnswer.choices
                ],
                *[
                    [
                        _("I came across interesting practices or ideas from other regions"),
                        label,
                        survey[f"met_{value}"],
                    ]
                    for value, label in AGREEMENT
                ],
            ],
            _(
                "Answers of the participants of the period's held activities; the free-text "
                "answers are shown on each activity's page, for groups of 10 or more."
            ),
        ),
        Section(
            "practices",
            _("Good practices published"),
            [_("Published"), _("Title"), _("Region"), _("Partner"), _("Address")],
            [
                [
                    timezone.localdate(practice.published_at).isoformat(),
                    practice.title,
                    practice.region.name,
                    practice.partner.name,
                    site + practice.get_absolute_url(),
                ]
                for practice in practices
            ],
            linked=1,
        ),
        Section(
            "briefs",
            _("Policy briefs published"),
            [_("Published"), _("Title"), _("Address")],
            [
                [
                    timezone.localdate(brief.published_at).isoformat(),
                    brief.title,
                    site + brief.get_absolute_url(),
                ]
                for brief in briefs.order_by("published_at", "pk")
            ],
            linked=1,
        ),
    ]
    return period, figures, result


def _title(report, period) -> list[str]:
    return [
        _("SOCORE progress report"),
        report.region_name,
        f"{period.start.isoformat()} – {period.end.isoformat()}",
    ]


# The writers (fn(report, output, progress) -> extension) --------------------------------------


def write_csv(report, output, progress) -> str:
    """One CSV file, its sections one after another, each under its title."""
    progress(10, "analysis")
    period, _figures, result = sections(report)
    progress(60, "writing")
    with TextOut(output) as stream:
        writer = csv.writer(stream)
        writer.writerow([csv_value(value) for value in _title(report, period)])
        for section in result:
            writer.writerow([])
            writer.writerow([csv_value(section.title)])
            if section.note:
                writer.writerow([csv_value(section.note)])
            writer.writerow([csv_value(value) for value in section.header])
            for row in section.rows:
                writer.writerow([csv_value(value) for value in row])
    return "csv"


def write_xlsx(report, output, progress) -> str:
    """One sheet per section."""
    progress(10, "analysis")
    period, _figures, result = sections(report)
    progress(60, "writing")
    workbook = Workbook(write_only=True)
    for section in result:
        sheet = workbook.create_sheet(section.title[:31])
        append_row(sheet, _title(report, period))
        if section.note:
            append_row(sheet, [section.note])
        append_row(sheet, section.header)
        for row in section.rows:
            append_row(sheet, row)
    workbook.save(output)
    return "xlsx"


def write_pdf(report, output, progress) -> str:
    """The same sections, with each indicator's chart, in the regional reports' look."""
    progress(10, "analysis")
    period, figures, result = sections(report)
    progress(50, "layout")
    html = render_to_string(
        "activities/impact/progress_report.html",
        {
            "report": report,
            "period": period,
            "figures": figures,
            "sections": [section for section in result if section.key != "indicators"],
            "generated_at": timezone.now(),
        },
    )
    html_to_pdf(html, target=output)
    return "pdf"


def register() -> None:
    """Give the report pipeline the progress report's writers and data state."""
    from surveys.reports import pipeline

    for kind, writer in zip(KINDS, (write_pdf, write_xlsx, write_csv), strict=True):
        pipeline.RENDERERS[kind] = writer
        pipeline.DATA_STATES[kind] = data_state
