"""The live figures of the findings a policy brief cites, read from the survey analysis.

Nothing is stored: each rendering (page or PDF) asks the analysis for the current figures,
which respect the suppression rule (a group below 5 shows "fewer than 5 responses"). One
analysis per distinct group of campaigns, however many competences the brief cites from it.
"""

import re
import secrets
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from ..markup import render_markdown
from ..models.briefs import BriefFinding, PolicyBrief


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


def cited_findings(brief: PolicyBrief) -> list[CitedFinding]:
    findings = list(
        brief.findings.select_related(
            "region", "campaign", "demand_campaign", "competence", "competence__area"
        )
    )
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
