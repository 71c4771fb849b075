"""The practices app's models: good practices (practices.py) and policy briefs (briefs.py);
every model is re-exported here, so `from practices.models import PolicyBrief` works and
Django finds them all."""

from .briefs import BriefFinding, BriefStatus, BriefStep, BriefVersion, PolicyBrief
from .practices import (
    Attachment,
    GoodPractice,
    PracticeVersion,
    ReviewStep,
    Status,
    Tag,
    TargetGroup,
    Theme,
    attachment_path,
)

__all__ = [
    "Attachment",
    "BriefFinding",
    "BriefStatus",
    "BriefStep",
    "BriefVersion",
    "GoodPractice",
    "PolicyBrief",
    "PracticeVersion",
    "ReviewStep",
    "Status",
    "Tag",
    "TargetGroup",
    "Theme",
    "attachment_path",
]
