"""Regional reports and exports: from a coordinator's request to a stored file and an email.

A request is a `ReportRequest` row (surveys/models/reports.py); the Celery task
`surveys.tasks.render_report` gets only its primary key and calls `run`. What it makes
depends on the row's `kind`: `RENDERERS` maps a kind to a function that writes the file:
the regional report PDF (document.py), or an export (exports.py) through the
small writers at the end of this module. A CSV export comes as a ZIP of the data file and
its codebook, written from the same snapshot, so the codebook's counts are those of the rows
beside it and the two cannot be separated by a shared link.

State machine of a row; every arrow is one conditional UPDATE, so two workers, a
redelivered message and the sweep can never both take the same step:

    queued ──claim (attempts + 1)──▶ running ──finish──▶ done
      ▲                               │   └──error / soft time limit──▶ failed
      └──sweep: overdue, attempts left┘
    running ──redelivery or sweep with attempts used up──▶ failed

- `request_report` writes the row (queued) and sends the task after the transaction
  commits, or finds a row with the same fingerprint (inputs and state of the data) made
  within 24 hours and returns that one instead. "Render again" skips that search.
- Claim: a *queued* row is claimed by any delivery of a task for it; claiming raises
  `attempts` and records the message's task id. A *running* row is claimed again only by a
  delivery of the same message (same task id): with acks_late a message is acknowledged
  after the render, and a broker hands an unacknowledged message to one consumer at a time,
  so seeing it again means the worker that ran it died mid-render (killed, out of memory,
  host lost). The pool requeues it at once when a pool process dies (reject_on_worker_lost);
  when a whole worker dies, the broker gives it back after its visibility timeout. A
  running row whose attempts are used up fails with a message instead. Another message for
  the same row (sent again by the sweep) never takes a running row over.
- Fencing: each write of an attempt (progress, done, failed) is conditioned on the row
  still being running at that attempt's number, so a stale attempt cannot overwrite a newer
  one; its file is deleted.
- Time limits: at the soft limit (REPORT_SOFT_TIME_LIMIT) the render stops itself and the
  row fails with a message; at the hard limit (REPORT_TIME_LIMIT) the pool kills the
  process and acknowledges the message, leaving the row running for the sweep.
- Sweep (Celery beat, every 5 minutes): a running row started longer ago than the hard
  limit plus a grace period has no live attempt: it is queued again with a new message
  while attempts remain, else failed. A queued row whose message was sent long ago (a
  broker restarted without its data, or down when the request was made) gets its message
  again; duplicates are harmless, only one delivery claims. So no row stays running, and no
  request is lost while its row exists.
"""

import dataclasses
import hashlib
import json
import logging
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files import File
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from partners.models import Region, User
from partners.permissions import coordinates_region, roles_of

from .. import analysis
from ..models import Campaign
from ..models.reports import (
    ANSWERS_KINDS,
    ATTEMPTS_EXHAUSTED,
    EXPORT_COLUMNS,
    NO_LONGER_ALLOWED,
    PROGRESS_KINDS,
    RENDER_ERROR,
    TIMED_OUT,
    ReportRequest,
    private_storage,
    report_file_name,
)
from . import document, exports

logger = logging.getLogger(__name__)

# A running row with no live attempt is noticed this long after its hard time limit.
SWEEP_GRACE = timedelta(minutes=2)
# A queued row not claimed this long after its message was sent gets its message again.
RESEND_AFTER = timedelta(minutes=10)
# Bumped when the report's layout or contents change: old fingerprints stop matching.
DOCUMENT_VERSION = 1

Progress = Callable[[int, str], None]


def available_kinds() -> list[tuple[str, str]]:
    """The kinds the regional report form offers (progress reports are asked for on
    /impact/)."""
    return [
        (kind, label)
        for kind, label in ReportRequest.Kind.choices
        if kind in RENDERERS and kind not in PROGRESS_KINDS
    ]


def may_read(user: User, region: Region | None) -> bool:
    """A region's coordinators read its reports; a consortium-wide one (no region), the
    consortium coordinator only."""
    if region is None:
        return roles_of(user).is_consortium_coordinator
    return coordinates_region(user, region)


# Requesting -----------------------------------------------------------------------------


def subject_of(kind: str, region: Region | None, campaign_ids, filters: dict, language: str) -> str:
    """What is asked for, whatever the data: the versions of one report share it."""
    described = {
        "kind": kind,
        "region": region.pk if region is not None else None,
        "campaigns": sorted(set(campaign_ids)),
        # An answers export's columns count even when none are chosen.
        "filters": {
            name: value
            for name, value in sorted(filters.items())
            if value or name == EXPORT_COLUMNS
        },
        "language": language,
        "document": DOCUMENT_VERSION,
    }
    return hashlib.sha256(json.dumps(described, sort_keys=True).encode()).hexdigest()


def data_state(campaign_ids) -> dict:
    """The state of the responses a report reads: new or changed answers change it."""
    ids = document.comparison_campaign_ids(campaign_ids)
    state = analysis.response_state(ids)
    return {"campaigns": sorted(ids), "responses": {str(pk): value for pk, value in state.items()}}


def fingerprint_of(subject: str, campaign_ids, kind: str = "", filters: dict | None = None) -> str:
    if kind in DATA_STATES:
        # A kind written by a higher app reads other data: that app says what its state is.
        state = json.dumps(DATA_STATES[kind](filters or {}), sort_keys=True, default=str)
    else:
        state = json.dumps(data_state(campaign_ids), sort_keys=True)
    return hashlib.sha256(f"{subject}:{state}".encode()).hexdigest()


def _lock(key: str) -> None:
    """Serialise requests for one subject until the transaction ends (no twin versions)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int(key[:15], 16)])


def _filters_of(kind: str, filters: dict, columns: Sequence[str] | None) -> dict:
    """The background filter; for an answers export, its background columns instead (the
    file holds every respondent of the campaign, the columns tell the groups apart); for a
    progress report, its period."""
    if kind in PROGRESS_KINDS:
        return {"start": str(filters["start"]), "end": str(filters["end"])}
    if kind not in ANSWERS_KINDS:
        return {name: value for name, value in filters.items() if value and name != EXPORT_COLUMNS}
    if columns is None:
        columns = filters.get(EXPORT_COLUMNS, exports.DEFAULT_BACKGROUND_FIELDS)
    return {EXPORT_COLUMNS: [name for name in exports.BACKGROUND_FIELDS if name in columns]}


def request_report(
    *,
    user: User,
    region: Region | None,
    campaigns: list[Campaign],
    filters: dict | None = None,
    language: str,
    kind: str = ReportRequest.Kind.REPORT_PDF,
    columns: Sequence[str] | None = None,
    force: bool = False,
) -> tuple[ReportRequest, bool]:
    """The request and whether it is an existing one (same inputs and data within 24 h).

    `columns`: the background columns of an answers export (default: organisation type).
    `force` ("render again") always makes a new version. `region` None: a consortium-wide
    progress report.
    """
    if region is None and kind not in PROGRESS_KINDS:
        raise ValueError("Only a progress report is of the whole consortium.")
    if kind in ANSWERS_KINDS and len(campaigns) != 1:
        raise ValueError("An answers export is of exactly one campaign.")
    filters = _filters_of(kind, filters or {}, columns)
    if kind in ANSWERS_KINDS:
        fixed = ReportRequest.objects.answers_columns_of(campaigns[0])
        if fixed is not None and set(fixed) != set(filters[EXPORT_COLUMNS]):
            raise ValueError("The answers of this campaign are exported with other columns.")
    campaign_ids = sorted(c.pk for c in campaigns)
    subject = subject_of(kind, region, campaign_ids, filters, language)
    with transaction.atomic():
        _lock(subject)
        fingerprint = fingerprint_of(subject, campaign_ids, kind, filters)
        if not force:
            existing = ReportRequest.objects.reusable(fingerprint).first()
            if existing is not None:
                return existing, True
        report = ReportRequest.objects.create(
            kind=kind,
            requested_by=user,
            region=region,
            filters=filters,
            language=language,
            subject=subject,
            fingerprint=fingerprint,
            version=ReportRequest.objects.filter(subject=subject).count() + 1,
            sent_at=timezone.now(),
        )
        report.campaigns.set(campaign_ids)
        transaction.on_commit(lambda: send(report.pk))
    return report, False


def render_again(report: ReportRequest, user: User) -> ReportRequest:
    """A new version of the same report (and export columns), rendered whatever exists."""
    new, _existing = request_report(
        user=user,
        region=report.region,
        campaigns=list(report.campaigns.all()),
        filters=report.filters,
        language=report.language,
        kind=report.kind,
        force=True,
    )
    return new


def send(pk: int) -> None:
    """Queue the render; if the broker cannot take it now, the sweep sends it later."""
    from ..tasks import render_report

    try:
        render_report.apply_async((pk,), retry=True, retry_policy={"max_retries": 2})
    except Exception:
        logger.exception("report request %s: broker unavailable, the sweep will send it", pk)
        ReportRequest.objects.filter(pk=pk, status=ReportRequest.Status.QUEUED).update(sent_at=None)


# Running --------------------------------------------------------------------------------


def run(pk: int, task_id: str) -> str:
    """The unit of work of one delivery of the task: claim, render, store, tell the requester.

    Returns the row's status afterwards ("skipped" when this delivery had nothing to do).
    """
    attempt = ReportRequest.objects.claim(pk, task_id)
    if attempt is None:
        message = _in_language_of(pk, ATTEMPTS_EXHAUSTED)
        if ReportRequest.objects.give_up_after_attempts(pk, task_id, message):
            logger.error("report request %s failed: attempts used up", pk)
            _tell_requester(pk)
            return ReportRequest.Status.FAILED
        return "skipped"
    report = ReportRequest.objects.select_related("region", "requested_by").get(pk=pk)
    this_attempt = ReportRequest.objects.filter(
        pk=pk, status=ReportRequest.Status.RUNNING, attempts=attempt
    )

    def progress(percent: int, stage: str) -> None:
        this_attempt.update(progress=percent, stage=stage)

    # The right to the region's figures is checked when they are read, not only when asked.
    if report.requested_by is None or not may_read(report.requested_by, report.region):
        logger.warning("report request %s: the requester no longer coordinates it", pk)
        return _fail(this_attempt, pk, _in_language_of(pk, NO_LONGER_ALLOWED))

    with translation.override(report.language):
        try:
            stored, size = _render_and_store(report, progress)
        except SoftTimeLimitExceeded:
            logger.error("report request %s: stopped at the soft time limit", pk)
            # The limit may have struck in the middle of a query: that connection is left
            # busy ("another command is already in progress"). The failure is written on a
            # new one.
            connection.close()
            return _fail(this_attempt, pk, TIMED_OUT)
        except Exception:
            logger.exception("report request %s: render failed", pk)
            return _fail(this_attempt, pk, RENDER_ERROR)
    finished = this_attempt.update(
        status=ReportRequest.Status.DONE,
        progress=100,
        stage="",
        file=stored,
        file_size=size,
        summary=report.summary,
        finished_at=timezone.now(),
    )
    if not finished:
        # A newer attempt holds the row now: this file is nobody's.
        private_storage().delete(stored)
        return "skipped"
    _tell_requester(pk)
    return ReportRequest.Status.DONE


def _render_and_store(report: ReportRequest, progress: Progress) -> tuple[str, int]:
    writer = RENDERERS[report.kind]  # every kind has one (tests check)
    # On disk, not in memory: an export of many answers streams through it.
    with tempfile.TemporaryFile() as output:
        extension = writer(report, output, progress)
        progress(95, "storing")
        size = output.tell()
        output.seek(0)
        name = report_file_name(report, f"{report.kind}-v{report.version}.{extension}")
        stored = private_storage().save(name, File(output, name=name))
    return stored, size


def _fail(this_attempt, pk: int, message) -> str:
    if this_attempt.update(
        status=ReportRequest.Status.FAILED, error=str(message), finished_at=timezone.now()
    ):
        _tell_requester(pk)
        return ReportRequest.Status.FAILED
    return "skipped"


def _tell_requester(pk: int) -> None:
    from ..tasks import email_report_outcome

    transaction.on_commit(lambda: email_report_outcome.delay(pk))


def email_outcome(report: ReportRequest) -> bool:
    """The requester hears that the report is ready (with its link) or that it failed."""
    if report.requested_by is None or not report.requested_by.email:
        return False
    # The requester's own language if they chose one, else the report's.
    with translation.override(report.requested_by.language or report.language):
        context = {
            "report": report,
            "link": settings.SITE_URL + reverse("reports:detail", args=[report.pk]),
        }
        # A region name may hold anything; a mail header may not hold line breaks.
        subject = " ".join(render_to_string("surveys/email/report_subject.txt", context).split())
        body = render_to_string("surveys/email/report_message.txt", context)
    send_mail(subject, body, None, [report.requested_by.email])
    return True


# Sweeping -------------------------------------------------------------------------------


def sweep() -> dict[str, int]:
    """Rows no live attempt holds: retried, failed, or sent again. Returns the counts."""
    now = timezone.now()
    overdue = now - timedelta(seconds=settings.REPORT_TIME_LIMIT) - SWEEP_GRACE
    counts = {"requeued": 0, "failed": 0, "resent": 0}
    stuck = ReportRequest.objects.filter(
        status=ReportRequest.Status.RUNNING, started_at__lt=overdue
    ).values_list("pk", "attempts")
    for pk, attempts in stuck:
        still_stuck = ReportRequest.objects.filter(
            pk=pk, status=ReportRequest.Status.RUNNING, attempts=attempts
        )
        if attempts < settings.REPORT_MAX_ATTEMPTS:
            if still_stuck.update(status=ReportRequest.Status.QUEUED, sent_at=now):
                counts["requeued"] += 1
                transaction.on_commit(lambda pk=pk: send(pk))
        else:
            message = _in_language_of(pk, ATTEMPTS_EXHAUSTED)
            if still_stuck.update(
                status=ReportRequest.Status.FAILED, error=message, finished_at=now
            ):
                counts["failed"] += 1
                _tell_requester(pk)
    forgotten = ReportRequest.objects.filter(
        status=ReportRequest.Status.QUEUED, created_at__lt=now - timedelta(minutes=1)
    ).filter(_not_sent_since(now - RESEND_AFTER))
    for pk in forgotten.values_list("pk", flat=True):
        if (
            ReportRequest.objects.filter(pk=pk, status=ReportRequest.Status.QUEUED)
            .filter(_not_sent_since(now - RESEND_AFTER))
            .update(sent_at=now)
        ):
            counts["resent"] += 1
            transaction.on_commit(lambda pk=pk: send(pk))
    return counts


def _not_sent_since(moment) -> Q:
    return Q(sent_at__isnull=True) | Q(sent_at__lt=moment)


def _in_language_of(pk: int, message) -> str:
    language = ReportRequest.objects.filter(pk=pk).values_list("language", flat=True).first()
    with translation.override(language or settings.LANGUAGE_CODE):
        return str(message)


# Writers of each kind: fn(report, output, progress) -> the file's extension ----------------
# They run in the report's language, outside any transaction (an answers export reads its
# group counts and rows in one snapshot), and may leave a summary on `report.summary`.


def _export_campaign(report: ReportRequest) -> Campaign:
    return report.campaigns.select_related("survey__framework").get()


def _zipped_csv(output, data_name: str, write_data, write_codebook):
    """The data file and its codebook in one ZIP, each streamed into its member; returns
    what `write_data` returned (the codebook gets it too)."""
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open(data_name, "w") as member:
            written = write_data(member)
        with archive.open("codebook.csv", "w") as member:
            write_codebook(member, written)
    return written


def write_answers_csv(report: ReportRequest, output, progress: Progress) -> str:
    campaign, columns = _export_campaign(report), report.export_columns
    progress(10, "writing")
    summary = _zipped_csv(
        output,
        "answers.csv",
        lambda out: exports.write_answers_csv(campaign, out, columns),
        lambda out, summary: exports.write_codebook_csv(campaign, out, columns, summary),
    )
    report.summary = dataclasses.asdict(summary)
    return "zip"


def write_answers_xlsx(report: ReportRequest, output, progress: Progress) -> str:
    campaign = _export_campaign(report)
    progress(10, "writing")
    summary = exports.write_answers_xlsx(campaign, output, report.export_columns)
    report.summary = dataclasses.asdict(summary)
    return "xlsx"


def _analysis(report: ReportRequest, progress: Progress) -> analysis.Analysis:
    campaign_ids = list(report.campaigns.values_list("pk", flat=True))
    progress(10, "analysis")
    result = analysis.analyse(analysis.Group.of(campaign_ids, report.background_filter))
    progress(50, "writing")
    return result


def write_table_csv(report: ReportRequest, output, progress: Progress) -> str:
    result = _analysis(report, progress)
    _zipped_csv(
        output,
        "competences.csv",
        lambda out: exports.write_table_csv(result, out),
        lambda out, _written: exports.write_table_codebook_csv(result, out),
    )
    return "zip"


def write_table_xlsx(report: ReportRequest, output, progress: Progress) -> str:
    exports.write_table_xlsx(_analysis(report, progress), output)
    return "xlsx"


# kind → writer; a kind missing here is not offered in the form. The progress reports'
# writers are registered by the activities app (activities/apps.py), which surveys does not
# import, with `DATA_STATES`: kind → fn(filters) -> the state of the data it reads (for reuse).
DATA_STATES: dict[str, Callable[[dict], dict]] = {}
RENDERERS: dict[str, Callable[[ReportRequest, object, Progress], str]] = {
    ReportRequest.Kind.REPORT_PDF: document.write_pdf,
    ReportRequest.Kind.ANSWERS_CSV: write_answers_csv,
    ReportRequest.Kind.ANSWERS_XLSX: write_answers_xlsx,
    ReportRequest.Kind.TABLE_CSV: write_table_csv,
    ReportRequest.Kind.TABLE_XLSX: write_table_xlsx,
}
