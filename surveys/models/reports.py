"""ReportRequest: a regional report or export asked for by a coordinator, and made by a worker.

The row is the job (STYLE.md point 7). Its transitions are conditional updates, so two
workers, a redelivered message and the periodic sweep can never both win; the state
machine is explained in surveys/reports/pipeline.py.
"""

from datetime import timedelta

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.permissions import roles_of

# The same inputs within this long return the existing report instead of rendering again.
REUSE_WINDOW = timedelta(hours=24)


def private_storage():
    """STORAGES["private"]: outside the web root, or an S3-compatible bucket."""
    return storages["private"]


def report_file_name(report: "ReportRequest", filename: str) -> str:
    return f"reports/{timezone.now():%Y/%m}/{report.pk}-{filename}"


class ReportRequestQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ReportRequestQuerySet":
        """Those of the regions a user coordinates now, all for the consortium coordinator.

        Asking for a report gives no lasting right to it: a requester who no longer
        coordinates the region sees it no more."""
        if not user.is_authenticated:
            return self.none()
        roles = roles_of(user)
        if roles.is_consortium_coordinator:
            return self
        return self.filter(region_id__in=roles.coordinated_region_ids)

    def answers_columns_of(self, campaign) -> list[str] | None:
        """The background columns of the first answers export of a campaign that was made or
        is being made: every later export of its answers uses the same set, so that files
        cannot be joined row by row on the answers to learn more of each respondent."""
        first = (
            self.filter(kind__in=ANSWERS_KINDS, campaigns=campaign)
            .exclude(status=ReportRequest.Status.FAILED)
            .order_by("created_at", "pk")
            .first()
        )
        return None if first is None else first.export_columns

    def reusable(self, fingerprint: str) -> "ReportRequestQuerySet":
        """Made (or being made) from the same inputs and data within the reuse window."""
        return self.filter(
            fingerprint=fingerprint,
            status__in=[
                ReportRequest.Status.QUEUED,
                ReportRequest.Status.RUNNING,
                ReportRequest.Status.DONE,
            ],
            created_at__gte=timezone.now() - REUSE_WINDOW,
        ).order_by("-created_at", "-pk")

    def claim(self, pk: int, task_id: str) -> int | None:
        """Take the row for one attempt; the attempt number, or None when not ours to run.

        A queued row is claimed by any delivery. A running row is claimed again only by a
        redelivery of the message that claimed it (same task id: its worker died before
        acknowledging), and only while attempts remain.
        """
        claimable = Q(status=ReportRequest.Status.QUEUED) | Q(
            status=ReportRequest.Status.RUNNING,
            task_id=task_id,
            attempts__lt=settings.REPORT_MAX_ATTEMPTS,
        )
        claimed = (
            self.filter(claimable, pk=pk).update(
                status=ReportRequest.Status.RUNNING,
                attempts=F("attempts") + 1,
                task_id=task_id,
                started_at=timezone.now(),
                progress=0,
                stage="started",
                error="",
            )
            == 1
        )
        if not claimed:
            return None
        return self.filter(pk=pk).values_list("attempts", flat=True).get()

    def give_up_after_attempts(self, pk: int, task_id: str, message: str) -> bool:
        """A redelivery after the last attempt died: the row fails, with the reason."""
        return bool(
            self.filter(
                pk=pk,
                status=ReportRequest.Status.RUNNING,
                task_id=task_id,
                attempts__gte=settings.REPORT_MAX_ATTEMPTS,
            ).update(
                status=ReportRequest.Status.FAILED,
                finished_at=timezone.now(),
                error=message,
            )
        )


ATTEMPTS_EXHAUSTED = _(
    "The report could not be made: the worker rendering it stopped each time it was tried. "
    "Try again later with fewer campaigns, or tell the portal's administrators."
)
TIMED_OUT = _(
    "The report took too long to make and was stopped. Try again later, or with fewer campaigns."
)
RENDER_ERROR = _("The report could not be made because of an error on our side.")
NO_LONGER_ALLOWED = _(
    "The report was not made: the person who asked for it no longer coordinates this region."
)
# The key of `filters` holding the background columns of an answers export.
EXPORT_COLUMNS = "columns"


class ReportRequest(models.Model):
    class Kind(models.TextChoices):
        REPORT_PDF = "report_pdf", _("Regional report (PDF)")
        ANSWERS_CSV = "answers_csv", _("Anonymised answers (CSV)")
        ANSWERS_XLSX = "answers_xlsx", _("Anonymised answers (XLSX)")
        TABLE_CSV = "table_csv", _("Results table (CSV)")
        TABLE_XLSX = "table_xlsx", _("Results table (XLSX)")
        # The project's progress report for a reporting period (written by activities.impact,
        # which registers its writers): of one region, or of the consortium (no region).
        PROGRESS_PDF = "progress_pdf", _("Progress report (PDF)")
        PROGRESS_XLSX = "progress_xlsx", _("Progress report (XLSX)")
        PROGRESS_CSV = "progress_csv", _("Progress report (CSV)")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for a worker")
        RUNNING = "running", _("Being made")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    requested_by = models.ForeignKey(
        "partners.User",
        on_delete=models.SET_NULL,
        null=True,
        related_name="report_requests",
        verbose_name=_("requested by"),
    )
    # None: a consortium-wide progress report, seen by the consortium coordinator only.
    region = models.ForeignKey(
        "partners.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_requests",
        verbose_name=_("region"),
    )
    campaigns = models.ManyToManyField(
        "surveys.Campaign", related_name="report_requests", verbose_name=_("campaigns")
    )
    # Background filter of the self-assessment respondents, e.g. {"role": "researcher"}; for
    # an answers export, the background columns it holds instead: {"columns": ["role"]}.
    filters = models.JSONField(_("background filter"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    stage = models.CharField(max_length=20, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    task_id = models.CharField(max_length=50, blank=True)

    # Same subject (kind, region, campaigns, filter, language): the versions of one report.
    subject = models.CharField(max_length=64, db_index=True)
    # The subject and the state of its data: equal fingerprints, equal documents.
    fingerprint = models.CharField(max_length=64)
    version = models.PositiveIntegerField(default=1)

    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The name of the file in STORAGES["private"] (looked up when used, not at import).
    file = models.CharField(max_length=300, blank=True)
    file_size = models.PositiveBigIntegerField(null=True, blank=True)
    # An answers export's ExportSummary (rows written, left out and why), as a dict.
    summary = models.JSONField(default=dict, blank=True)

    objects = ReportRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report request")
        verbose_name_plural = _("report requests")
        indexes = [
            models.Index(fields=["fingerprint", "-created_at"], name="report_reuse_by_fingerprint"),
            models.Index(fields=["status", "started_at"], name="report_sweep_by_status"),
            models.Index(fields=["region", "-created_at"], name="report_list_by_region"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="report_progress_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.region_name} · v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("reports:detail", args=[self.pk])

    @property
    def region_name(self) -> str:
        return self.region.name if self.region_id else str(_("All regions"))

    @property
    def is_progress_report(self) -> bool:
        return self.kind in PROGRESS_KINDS

    @property
    def period(self) -> tuple[str, str] | None:
        """A progress report's first and last day (ISO dates)."""
        if not self.is_progress_report:
            return None
        return self.filters.get("start", ""), self.filters.get("end", "")

    @property
    def is_answers_export(self) -> bool:
        return self.kind in ANSWERS_KINDS

    @property
    def background_filter(self) -> dict[str, str]:
        """The respondents analysed, e.g. {"role": "researcher"} (none for answers exports
        and progress reports, whose filters are their period)."""
        if self.is_progress_report:
            return {}
        return {name: value for name, value in self.filters.items() if name != EXPORT_COLUMNS}

    @property
    def export_columns(self) -> list[str]:
        """The background columns of an answers export, in the survey's order."""
        return list(self.filters.get(EXPORT_COLUMNS, []))

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.DONE and bool(self.file)

    @property
    def stage_label(self) -> str:
        return str(STAGES.get(self.stage, ""))

    @property
    def duration(self) -> timedelta | None:
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None

    def download_name(self) -> str:
        extension = self.file.rsplit(".", 1)[-1] if self.file else "pdf"
        where = self.region.slug if self.region_id else "consortium"
        return f"socore-{where}-{self.kind.replace('_', '-')}-v{self.version}.{extension}"


ANSWERS_KINDS = (ReportRequest.Kind.ANSWERS_CSV, ReportRequest.Kind.ANSWERS_XLSX)
# Asked for on /impact/, not in the regional report form.
PROGRESS_KINDS = (
    ReportRequest.Kind.PROGRESS_PDF,
    ReportRequest.Kind.PROGRESS_XLSX,
    ReportRequest.Kind.PROGRESS_CSV,
)

# What a running render is doing, shown under its progress bar.
STAGES = {
    "started": _("Starting"),
    "analysis": _("Computing the results"),
    "comparison": _("Comparing with the consortium"),
    "charts": _("Drawing the charts"),
    "layout": _("Laying out the pages"),
    "storing": _("Storing the file"),
    "writing": _("Writing the file"),
}
