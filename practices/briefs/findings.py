"""The figures of the findings a policy brief cites, read from the survey analysis.

A draft or a brief in review shows live figures: each rendering asks the analysis, which
applies the suppression rules (a group below 5 shows "fewer than 5 responses"). At
publication they are frozen into each finding (``BriefFinding.figures``) with the date
(``PolicyBrief.figures_as_of``): the published brief shows the figures it was approved with.
One analysis per distinct group of campaigns, however many competences the brief cites.
"""

import re
import secrets
from dataclasses import dataclass
from types import SimpleNamespace

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from ..markup import render_markdown
from ..models.briefs import BriefFinding, BriefStatus, PolicyBrief


@dataclass(frozen=True)
class CitedFinding:
    finding: BriefFinding
    row: object | None  # analysis.CompetenceRow; None when the competence has no figures
    self_respondents: object  # int or analysis.SUPPRESSED
    demand_respondents: object | None

    @property
    def label(self) -> str:
        return self.finding.label

    @property
    def anchor(self) -> str:
        return f"finding-{self.finding.position}"


# The figures a finding shows, as stored when frozen.
MEASURES = ("current", "importance", "required")
FIGURES = ("gap", "mwds", "market_gap")
SUPPRESSED_MARK = "suppressed"


def _stored(value):
    from surveys import analysis

    return SUPPRESSED_MARK if isinstance(value, analysis.Suppressed) else value


def _read(value):
    from surveys import analysis

    return analysis.SUPPRESSED if value == SUPPRESSED_MARK else value


def freeze(brief: PolicyBrief, now) -> None:
    """Store the current figures of every finding in it, and the moment, on publication."""
    for cited in _live(brief):
        row = cited.row
        cited.finding.figures = {
            "self_respondents": _stored(cited.self_respondents),
            "demand_respondents": _stored(cited.demand_respondents),
            "row": None
            if row is None
            else {
                **{name: _stored(getattr(row, name).mean) for name in MEASURES},
                **{name: _stored(getattr(row, name)) for name in FIGURES},
            },
        }
        cited.finding.save(update_fields=["figures"])
    brief.figures_as_of = now


def _frozen_row(stored: dict | None):
    if stored is None:
        return None
    return SimpleNamespace(
        **{name: SimpleNamespace(mean=_read(stored[name])) for name in MEASURES},
        **{name: _read(stored[name]) for name in FIGURES},
    )


def figures_frozen(brief: PolicyBrief) -> bool:
    return brief.status == BriefStatus.PUBLISHED and brief.figures_as_of is not None


def cited_findings(brief: PolicyBrief) -> list[CitedFinding]:
    """The frozen figures of a published brief; the live ones of any other.

    A brief published before figures were frozen is frozen at its first reading since.
    """
    if brief.status == BriefStatus.PUBLISHED and brief.figures_as_of is None:
        freeze(brief, timezone.now())
        PolicyBrief.objects.filter(pk=brief.pk).update(figures_as_of=brief.figures_as_of)
    findings = _findings_of(brief)
    if not figures_frozen(brief) or any(f.figures is None for f in findings):
        return _live(brief, findings)
    return [
        CitedFinding(
            finding=finding,
            row=_frozen_row(finding.figures["row"]),
            self_respondents=_read(finding.figures["self_respondents"]),
            demand_respondents=_read(finding.figures["demand_respondents"]),
        )
        for finding in findings
    ]


def _findings_of(brief: PolicyBrief) -> list[BriefFinding]:
    return list(
        brief.findings.select_related(
            "region", "campaign", "demand_campaign", "competence", "competence__area"
        )
    )


def _live(brief: PolicyBrief, findings: list[BriefFinding] | None = None) -> list[CitedFinding]:
    findings = _findings_of(brief) if findings is None else findings
    if not findings:
        return []
    from surveys import analysis

    results = {}
    cited = []
    for finding in findings:
        key = finding.campaign_ids
        if key not in results:
            results[key] = analysis.analyse(analysis.Group(campaign_ids=key))
        result = results[key]
        try:
            row = result.by_code[finding.competence.code]
        except KeyError:
            row = None
        cited.append(
            CitedFinding(
                finding=finding,
                row=row,
                self_respondents=result.self_respondents,
                demand_respondents=result.demand_respondents
                if finding.demand_campaign_id
                else None,
            )
        )
    return cited


_REFERENCE = re.compile(r"\[F(\d{1,3})\]")


def render_body(brief: PolicyBrief, findings: list[CitedFinding]) -> SafeString:
    """The sanitised Markdown, with each [F1] … of the text replaced by that finding's
    figures.

    Only words of the text are read for references (not code, link targets or titles): each
    becomes a marker no author can guess, and after sanitising the markers, which can only
    stand in text, become our own escaped template output.
    """
    by_label = {cited.label: cited for cited in findings}
    marker = f"finding{secrets.token_hex(8)}x"
    html = str(
        render_markdown(
            brief.body,
            in_text=lambda text: _REFERENCE.sub(lambda m: f"{marker}{m.group(1)}x", text),
        )
    )

    def replace(match: re.Match) -> str:
        cited = by_label.get(f"F{match.group(1)}")
        if cited is None:
            return f"[F{match.group(1)}]"
        return render_to_string("practices/briefs/_finding_inline.html", {"cited": cited}).strip()

    placed = re.sub(rf"{marker}(\d{{1,3}})x", replace, html)
    return mark_safe(placed)  # noqa: S308 - sanitised, then our template
